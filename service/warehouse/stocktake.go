package warehouse

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/state"
	"github.com/atrium-mall/atrium/service/warehouse/internal/queries"
	"github.com/atrium-mall/atrium/service/warehouse/valuation"
	"github.com/atrium-mall/atrium/storage"
)

// StocktakeStatus is a stocktake's status.
type StocktakeStatus string

// Stocktake statuses.
const (
	StocktakeCounting  StocktakeStatus = "counting"
	StocktakeSubmitted StocktakeStatus = "submitted"
	StocktakeApproved  StocktakeStatus = "approved"
	StocktakeRejected  StocktakeStatus = "rejected"
)

// StocktakeEvent is what happens to a stocktake.
type StocktakeEvent string

// Stocktake events.
const (
	StocktakeCount   StocktakeEvent = "record counts of"
	StocktakeSubmit  StocktakeEvent = "submit"
	StocktakeApprove StocktakeEvent = "approve"
	StocktakeReject  StocktakeEvent = "reject"
)

// stocktakeMachine: counting → submitted → approved (adjustments applied) or rejected.
var stocktakeMachine = state.New("stocktake", ErrStocktakeState, map[StocktakeEvent]map[StocktakeStatus]StocktakeStatus{
	StocktakeCount:   {StocktakeCounting: StocktakeCounting},
	StocktakeSubmit:  {StocktakeCounting: StocktakeSubmitted},
	StocktakeApprove: {StocktakeSubmitted: StocktakeApproved},
	StocktakeReject:  {StocktakeSubmitted: StocktakeRejected},
})

// ErrStocktakeNegative is an approval whose losses exceed what is in stock now.
var ErrStocktakeNegative = errs.New(errs.KindUser, "STOCKTAKE_WOULD_GO_NEGATIVE",
	"the stock has moved since the count: the loss found exceeds what is in stock now")

// Stocktake is a count (盘点) of a warehouse.
type Stocktake struct {
	ID, MallID, WarehouseID uuid.UUID
	Status                  StocktakeStatus
	CreatedBy               string
	CreatedAt               time.Time
	SubmittedBy, DecidedBy  *string
	Lines                   []StocktakeLine
}

// StocktakeLine is the count of an item: expected is the book quantity when counted;
// Difference > 0 is surplus (盘盈), < 0 loss (盘亏).
type StocktakeLine struct {
	ItemID            uuid.UUID
	ItemName          string
	Expected, Counted int64
}

// Difference is counted − expected.
func (l StocktakeLine) Difference() int64 { return l.Counted - l.Expected }

// StartStocktake opens a count of a warehouse (ADMIN or MEMBER_OPS of its mall).
func (s *Service) StartStocktake(ctx context.Context, warehouseID uuid.UUID) (Stocktake, error) {
	if err := s.canManageWarehouse(ctx, warehouseID); err != nil {
		return Stocktake{}, err
	}
	wh, err := warehouseOf(ctx, s.db.Pool, warehouseID)
	if err != nil {
		return Stocktake{}, err
	}
	id := service.NewID()
	if err := q0(s).InsertStocktake(ctx, queries.InsertStocktakeParams{ID: id, GroupID: wh.GroupID, MallID: wh.MallID,
		WarehouseID: wh.ID, CreatedBy: access.Actor(ctx), CreatedAt: s.now()}); err != nil {
		return Stocktake{}, err
	}
	return s.stocktake(ctx, q0(s), id)
}

// Stocktake reads a stocktake with its lines (ADMIN or MEMBER_OPS of its mall).
func (s *Service) Stocktake(ctx context.Context, id uuid.UUID) (Stocktake, error) {
	st, err := q0(s).Stocktake(ctx, id)
	if _, err := s.visible(ctx, st.MallID, err, "stocktake", manageRoles...); err != nil {
		return Stocktake{}, err
	}
	return s.stocktake(ctx, q0(s), id)
}

// Stocktakes lists a warehouse's latest 100 stocktakes (without lines).
func (s *Service) Stocktakes(ctx context.Context, warehouseID uuid.UUID) ([]Stocktake, error) {
	wh, err := q0(s).Warehouse(ctx, warehouseID)
	if _, err := s.visible(ctx, wh.MallID, err, "warehouse", manageRoles...); err != nil {
		return nil, err
	}
	rows, err := q0(s).StocktakesOfWarehouse(ctx, warehouseID)
	out := make([]Stocktake, len(rows))
	for i, r := range rows {
		out[i] = stocktakeOf(r)
	}
	return out, err
}

func stocktakeOf(r queries.WhStocktake) Stocktake {
	return Stocktake{ID: r.ID, MallID: r.MallID, WarehouseID: r.WarehouseID, Status: StocktakeStatus(r.Status),
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, SubmittedBy: r.SubmittedBy, DecidedBy: r.DecidedBy}
}

func (s *Service) stocktake(ctx context.Context, q *queries.Queries, id uuid.UUID) (Stocktake, error) {
	r, err := q.Stocktake(ctx, id)
	if err != nil {
		return Stocktake{}, err
	}
	st := stocktakeOf(r)
	lines, err := q.StocktakeLines(ctx, id)
	for _, l := range lines {
		st.Lines = append(st.Lines, StocktakeLine{ItemID: l.ItemID, ItemName: l.ItemName, Expected: int64(l.Expected),
			Counted: int64(l.Counted)})
	}
	return st, err
}

// fireStocktake locks a stocktake the caller may run (NOT_FOUND otherwise), fires ev
// and runs fn with the locked row in the same transaction.
func (s *Service) fireStocktake(ctx context.Context, id uuid.UUID, ev StocktakeEvent,
	fn func(tx pgx.Tx, st queries.WhStocktake, next StocktakeStatus) error) error {
	return s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		st, err := queries.New(tx).LockStocktake(ctx, id)
		if _, err := s.visible(ctx, st.MallID, err, "stocktake", manageRoles...); err != nil {
			return err
		}
		next, err := stocktakeMachine.Next(ev, StocktakeStatus(st.Status))
		if err != nil {
			return err
		}
		return fn(tx, st, next)
	})
}

// Count is a counted quantity of an item.
type Count struct {
	ItemID  uuid.UUID
	Counted int64
}

// RecordCounts records counts of items while counting (a later count of an item
// replaces the earlier one); each line keeps the book quantity at the time of the count.
func (s *Service) RecordCounts(ctx context.Context, id uuid.UUID, counts []Count) (Stocktake, error) {
	err := s.fireStocktake(ctx, id, StocktakeCount, func(tx pgx.Tx, st queries.WhStocktake, _ StocktakeStatus) error {
		q := queries.New(tx)
		lines := make([]Line, len(counts))
		for i, c := range counts {
			if c.Counted < 0 || c.Counted > 1_000_000 {
				return errs.Invalid("input.counts.counted", "a count of 0 to 1000000 (line %d)", i+1)
			}
			lines[i] = Line{ItemID: c.ItemID, Quantity: 1}
		}
		if err := checkLines(ctx, q, st.MallID, lines); err != nil {
			return err
		}
		for _, c := range counts {
			if err := q.UpsertStocktakeLine(ctx, queries.UpsertStocktakeLineParams{StocktakeID: id, ItemID: c.ItemID,
				WarehouseID: st.WarehouseID, Counted: int32(c.Counted)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Stocktake{}, err
	}
	return s.stocktake(ctx, q0(s), id)
}

// SubmitStocktake ends counting; the adjustments wait for another person's approval.
func (s *Service) SubmitStocktake(ctx context.Context, id uuid.UUID) (Stocktake, error) {
	err := s.fireStocktake(ctx, id, StocktakeSubmit, func(tx pgx.Tx, _ queries.WhStocktake, next StocktakeStatus) error {
		by := access.Actor(ctx)
		return queries.New(tx).SetStocktakeStatus(ctx, queries.SetStocktakeStatusParams{ID: id, Status: string(next),
			SubmittedBy: &by})
	})
	if err != nil {
		return Stocktake{}, err
	}
	return s.stocktake(ctx, q0(s), id)
}

// RejectStocktake rejects a submitted stocktake (no adjustment; someone other than
// the submitter).
func (s *Service) RejectStocktake(ctx context.Context, id uuid.UUID) (Stocktake, error) {
	return s.decide(ctx, id, StocktakeReject)
}

// ApproveStocktake approves a submitted stocktake (someone other than who submitted it:
// SECOND_PERSON_REQUIRED) and applies its differences to the stock as adjustment
// movements, once (the transition happens once): a surplus enters at the moving
// average cost, a loss leaves at it. A loss exceeding the stock now (it moved since the count) is
// STOCKTAKE_WOULD_GO_NEGATIVE and nothing is applied.
func (s *Service) ApproveStocktake(ctx context.Context, id uuid.UUID) (Stocktake, error) {
	return s.decide(ctx, id, StocktakeApprove)
}

func (s *Service) decide(ctx context.Context, id uuid.UUID, ev StocktakeEvent) (Stocktake, error) {
	err := s.fireStocktake(ctx, id, ev, func(tx pgx.Tx, st queries.WhStocktake, next StocktakeStatus) error {
		by, at := access.Actor(ctx), s.now()
		if st.SubmittedBy != nil && *st.SubmittedBy == by {
			return ErrSecondPerson
		}
		if ev == StocktakeApprove {
			if err := s.adjustTx(ctx, tx, st, by); err != nil {
				return err
			}
		}
		return queries.New(tx).SetStocktakeStatus(ctx, queries.SetStocktakeStatusParams{ID: id, Status: string(next),
			DecidedBy: &by, DecidedAt: &at})
	})
	if err != nil {
		return Stocktake{}, err
	}
	return s.stocktake(ctx, q0(s), id)
}

// adjustTx applies a stocktake's differences (by item id, so balances lock in order).
func (s *Service) adjustTx(ctx context.Context, tx pgx.Tx, st queries.WhStocktake, by string) error {
	wh, err := warehouseOf(ctx, tx, st.WarehouseID)
	if err != nil {
		return err
	}
	lines, err := queries.New(tx).StocktakeLines(ctx, st.ID)
	if err != nil {
		return err
	}
	diffs := make([]Line, 0, len(lines))
	for _, l := range lines {
		if d := int64(l.Counted) - int64(l.Expected); d != 0 {
			diffs = append(diffs, Line{ItemID: l.ItemID, Quantity: d})
		}
	}
	for _, d := range sortedLines(diffs) {
		m := move{wh: wh, item: d.ItemID, kind: KindAdjustment, qty: d.Quantity, ref: st.ID,
			reason: "stocktake", key: "stocktake:" + st.ID.String() + ":" + d.ItemID.String(), by: by}
		if d.Quantity < 0 {
			m.qty, m.out = -d.Quantity, true
		} else {
			cur, err := queries.New(tx).LockStock(ctx, wh.ID, d.ItemID)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			m.valueFen = valuation.AtAverage(valuation.Balance{Quantity: int64(cur.Quantity), ValueFen: cur.ValueFen}, d.Quantity)
		}
		if _, err := s.apply(ctx, tx, m); errors.Is(err, ErrOutOfStock) {
			return ErrStocktakeNegative
		} else if err != nil {
			return storage.MapError(err)
		}
	}
	return nil
}
