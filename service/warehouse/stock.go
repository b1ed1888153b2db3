package warehouse

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/warehouse/internal/queries"
	"github.com/atrium-mall/atrium/service/warehouse/valuation"
	"github.com/atrium-mall/atrium/storage"
)

// Kinds of movement.
const (
	KindReceipt     = "receipt"
	KindIssue       = "issue"
	KindTransferOut = "transfer_out"
	KindTransferIn  = "transfer_in"
	KindAdjustment  = "adjustment"
)

// Reasons of a stock-out (出库).
var Reasons = []string{"gift_exchange", "internal_use", "event", "damaged", "lost", "returned_to_supplier", "other"}

// Movement is one row of the stock ledger.
type Movement struct {
	ID, WarehouseID, ItemID uuid.UUID
	Seq                     int64
	Kind                    string
	Quantity                int64 // signed: positive in, negative out
	ValueFen                int64 // signed, at moving average cost for outgoing movements
	Balance, BalanceFen     int64 // after the movement
	Reason                  string
	RefID                   uuid.UUID // the receipt, issue, transfer or stocktake
	Key                     string
	CreatedBy               string
	CreatedAt               time.Time
}

func movementOf(r queries.WhMovement) Movement {
	return Movement{ID: r.ID, WarehouseID: r.WarehouseID, ItemID: r.ItemID, Seq: r.Seq, Kind: r.Kind,
		Quantity: int64(r.Quantity), ValueFen: r.ValueFen, Balance: int64(r.Balance), BalanceFen: r.BalanceFen,
		Reason: r.Reason, RefID: r.RefID, Key: r.IdempotencyKey, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
}

// move is a movement to apply to a warehouse's balance of an item.
type move struct {
	wh       queries.WhWarehouse
	item     uuid.UUID
	kind     string
	qty      int64 // > 0; the direction is the kind's (or the sign of adjustment's delta)
	out      bool
	valueFen int64 // incoming value; outgoing value is computed
	reason   string
	ref      uuid.UUID
	key      string
	by       string
}

// apply records m under the balance's row lock: the balance changes, the movement row
// carries the running balance. A key already used in the warehouse returns that
// movement and changes nothing.
func (s *Service) apply(ctx context.Context, tx pgx.Tx, m move) (Movement, error) {
	q := queries.New(tx)
	prev, err := q.MovementByKey(ctx, queries.MovementByKeyParams{GroupID: m.wh.GroupID, MallID: m.wh.MallID,
		WarehouseID: m.wh.ID, IdempotencyKey: m.key})
	if err == nil {
		return movementOf(prev), nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return Movement{}, err
	}
	var bal queries.StockInRow
	qty, value := m.qty, m.valueFen
	if m.out {
		cur, err := q.LockStock(ctx, m.wh.ID, m.item)
		if errors.Is(err, pgx.ErrNoRows) {
			return Movement{}, ErrOutOfStock
		} else if err != nil {
			return Movement{}, err
		}
		value, err = valuation.Out(valuation.Balance{Quantity: int64(cur.Quantity), ValueFen: cur.ValueFen}, m.qty)
		if err != nil {
			return Movement{}, ErrOutOfStock
		}
		r, err := q.StockOut(ctx, queries.StockOutParams{WarehouseID: m.wh.ID, ItemID: m.item, Quantity: int32(qty),
			ValueFen: value})
		if errors.Is(err, pgx.ErrNoRows) || errors.Is(storage.MapError(err), storage.ErrCheck) {
			return Movement{}, ErrOutOfStock
		} else if err != nil {
			return Movement{}, err
		}
		bal = queries.StockInRow(r)
		qty, value = -qty, -value
	} else {
		bal, err = q.StockIn(ctx, queries.StockInParams{GroupID: m.wh.GroupID, MallID: m.wh.MallID, WarehouseID: m.wh.ID,
			ItemID: m.item, Quantity: int32(qty), ValueFen: value})
		if err != nil {
			return Movement{}, err
		}
	}
	mv := queries.InsertMovementParams{ID: service.NewID(), GroupID: m.wh.GroupID, MallID: m.wh.MallID,
		WarehouseID: m.wh.ID, ItemID: m.item, Seq: bal.Moves, Kind: m.kind, Quantity: int32(qty), ValueFen: value,
		Balance: bal.Quantity, BalanceFen: bal.ValueFen, Reason: m.reason, RefID: m.ref, IdempotencyKey: m.key,
		CreatedBy: m.by, CreatedAt: s.now()}
	if err := q.InsertMovement(ctx, mv); err != nil {
		return Movement{}, err
	}
	return movementOf(queries.WhMovement(mv)), nil
}

// Line is a quantity of an item.
type Line struct {
	ItemID   uuid.UUID
	Quantity int64
}

// IssueInput is a stock-out (出库) from a warehouse.
type IssueInput struct {
	WarehouseID uuid.UUID
	Reason      string // one of Reasons
	Note        string
	Lines       []Line
	// Key is the idempotency key: the movements' keys are Key + ":" + item id.
	Key string
}

// Issue is a recorded stock-out.
type Issue struct {
	ID, WarehouseID uuid.UUID
	Reason, Note    string
	Movements       []Movement
}

// checkLines validates lines: 1 to 100, positive quantities, distinct items of the mall.
func checkLines(ctx context.Context, q *queries.Queries, mall uuid.UUID, lines []Line) error {
	if len(lines) == 0 || len(lines) > 100 {
		return errs.Invalid("input.lines", "1 to 100 lines")
	}
	seen := map[uuid.UUID]bool{}
	for i, l := range lines {
		if l.Quantity <= 0 || l.Quantity > 1_000_000 {
			return errs.Invalid("input.lines.quantity", "a quantity between 1 and 1000000 (line %d)", i+1)
		}
		if seen[l.ItemID] {
			return errs.Invalid("input.lines.itemId", "each item once (line %d)", i+1)
		}
		seen[l.ItemID] = true
		it, err := q.Item(ctx, l.ItemID)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && it.MallID != mall) {
			return ErrWrongMall.At("input", "lines", "itemId")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// IssueTx takes stock out of a warehouse in the caller's transaction: OUT_OF_STOCK when
// any line exceeds the balance (the caller rolls back). It checks no viewer: callers
// (the staff mutation Issue, the gift exchange of campaigns) authorise first. by is
// who issues (access.Actor).
func (s *Service) IssueTx(ctx context.Context, tx pgx.Tx, in IssueInput, by string) (Issue, error) {
	if !slices.Contains(Reasons, in.Reason) {
		return Issue{}, errs.Invalid("input.reason", "one of %v", Reasons)
	}
	if err := text("input.note", &in.Note, 0, 500); err != nil {
		return Issue{}, err
	}
	wh, err := warehouseOf(ctx, tx, in.WarehouseID)
	if err != nil {
		return Issue{}, err
	}
	q := queries.New(tx)
	if err := checkLines(ctx, q, wh.MallID, in.Lines); err != nil {
		return Issue{}, err
	}
	iss := Issue{ID: service.NewID(), WarehouseID: wh.ID, Reason: in.Reason, Note: in.Note}
	if err := q.InsertIssue(ctx, queries.InsertIssueParams{ID: iss.ID, GroupID: wh.GroupID, MallID: wh.MallID,
		WarehouseID: wh.ID, Reason: in.Reason, Note: in.Note, CreatedBy: by, CreatedAt: s.now()}); err != nil {
		return iss, err
	}
	for _, l := range sortedLines(in.Lines) {
		mv, err := s.apply(ctx, tx, move{wh: wh, item: l.ItemID, kind: KindIssue, qty: l.Quantity, out: true,
			reason: in.Reason, ref: iss.ID, key: in.Key + ":" + l.ItemID.String(), by: by})
		if err != nil {
			return iss, err
		}
		iss.Movements = append(iss.Movements, mv)
	}
	return iss, nil
}

// sortedLines orders lines by item, so concurrent documents lock balances in one order.
func sortedLines(lines []Line) []Line {
	out := slices.Clone(lines)
	slices.SortFunc(out, func(a, b Line) int { return slices.Compare(a.ItemID[:], b.ItemID[:]) })
	return out
}

// Issue records a stock-out by staff (ADMIN or MEMBER_OPS of the warehouse's mall), once
// per idempotency key of the caller; OUT_OF_STOCK writes nothing.
func (s *Service) Issue(ctx context.Context, in IssueInput) (Issue, error) {
	if err := s.canManageWarehouse(ctx, in.WarehouseID); err != nil {
		return Issue{}, err
	}
	clientKey := in.Key
	iss, _, err := once.Do(ctx, s.db, once.Op[Issue]{Name: "warehouse.issue", Key: clientKey, Args: in,
		Run: func(ctx context.Context, tx pgx.Tx) (Issue, error) {
			in.Key = "issue:" + service.NewID().String()
			return s.IssueTx(ctx, tx, in, access.Actor(ctx))
		}})
	return iss, err
}

// canManageWarehouse checks the caller runs the warehouse's mall (FORBIDDEN otherwise,
// NOT_FOUND for a missing warehouse).
func (s *Service) canManageWarehouse(ctx context.Context, id uuid.UUID) error {
	if _, err := access.Viewer(ctx); err != nil {
		return err
	}
	wh, err := warehouseOf(ctx, s.db.Pool, id)
	if err != nil {
		return err
	}
	_, err = s.mallFor(ctx, wh.MallID, manageRoles...)
	return err
}

// TransferInput moves stock between two warehouses of one mall.
type TransferInput struct {
	FromWarehouseID, ToWarehouseID uuid.UUID
	Note                           string
	Lines                          []Line
	Key                            string // idempotency key
}

// Transfer is a recorded transfer: out of one warehouse and into the other, at the
// moving average cost of the source, in one transaction (no stock in transit).
type Transfer struct {
	ID, FromWarehouseID, ToWarehouseID uuid.UUID
	Note                               string
	Movements                          []Movement
}

// Transfer moves stock between two warehouses of a mall (ADMIN or MEMBER_OPS there),
// once per idempotency key; OUT_OF_STOCK writes nothing.
func (s *Service) Transfer(ctx context.Context, in TransferInput) (Transfer, error) {
	if err := s.canManageWarehouse(ctx, in.FromWarehouseID); err != nil {
		return Transfer{}, err
	}
	if err := text("input.note", &in.Note, 0, 500); err != nil {
		return Transfer{}, err
	}
	t, _, err := once.Do(ctx, s.db, once.Op[Transfer]{Name: "warehouse.transfer", Key: in.Key, Args: in,
		Run: func(ctx context.Context, tx pgx.Tx) (Transfer, error) { return s.transferTx(ctx, tx, in) }})
	return t, err
}

func (s *Service) transferTx(ctx context.Context, tx pgx.Tx, in TransferInput) (Transfer, error) {
	from, err := warehouseOf(ctx, tx, in.FromWarehouseID)
	if err != nil {
		return Transfer{}, err
	}
	to, err := warehouseOf(ctx, tx, in.ToWarehouseID)
	switch {
	case err != nil || to.MallID != from.MallID:
		return Transfer{}, ErrWrongMall.At("input", "toWarehouseId")
	case to.ID == from.ID:
		return Transfer{}, errs.Invalid("input.toWarehouseId", "another warehouse than the source")
	}
	q := queries.New(tx)
	if err := checkLines(ctx, q, from.MallID, in.Lines); err != nil {
		return Transfer{}, err
	}
	t := Transfer{ID: service.NewID(), FromWarehouseID: from.ID, ToWarehouseID: to.ID, Note: in.Note}
	by := access.Actor(ctx)
	if err := q.InsertTransfer(ctx, queries.InsertTransferParams{ID: t.ID, GroupID: from.GroupID, MallID: from.MallID,
		FromWarehouseID: from.ID, ToWarehouseID: to.ID, Note: in.Note, CreatedBy: by, CreatedAt: s.now()}); err != nil {
		return t, err
	}
	for _, l := range sortedLines(in.Lines) {
		key := "transfer:" + t.ID.String() + ":" + l.ItemID.String()
		out, err := s.apply(ctx, tx, move{wh: from, item: l.ItemID, kind: KindTransferOut, qty: l.Quantity, out: true,
			ref: t.ID, key: key, by: by})
		if err != nil {
			return t, err
		}
		in, err := s.apply(ctx, tx, move{wh: to, item: l.ItemID, kind: KindTransferIn, qty: l.Quantity,
			valueFen: -out.ValueFen, ref: t.ID, key: key, by: by})
		if err != nil {
			return t, err
		}
		t.Movements = append(t.Movements, out, in)
	}
	return t, nil
}

// Stock is the balance of an item in a warehouse.
type Stock struct {
	WarehouseID, ItemID uuid.UUID
	ItemName, Unit      string
	Quantity, ValueFen  int64
}

// AverageCostFen is the moving average unit cost (0 when empty), rounded half up.
func (st Stock) AverageCostFen() int64 {
	return valuation.AtAverage(valuation.Balance{Quantity: st.Quantity, ValueFen: st.ValueFen}, 1)
}

// StockOf lists a warehouse's balances by item name (ADMIN, MEMBER_OPS or FINANCE of
// its mall; anyone else NOT_FOUND).
func (s *Service) StockOf(ctx context.Context, warehouseID uuid.UUID) ([]Stock, error) {
	wh, err := queries.New(s.db.Pool).Warehouse(ctx, warehouseID)
	if _, err := s.visible(ctx, wh.MallID, err, "warehouse", stockRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).StockOfWarehouse(ctx, warehouseID)
	out := make([]Stock, len(rows))
	for i, r := range rows {
		out[i] = Stock{WarehouseID: r.WarehouseID, ItemID: r.ItemID, ItemName: r.ItemName, Unit: r.Unit,
			Quantity: int64(r.Quantity), ValueFen: r.ValueFen}
	}
	return out, err
}

// Valuation is the value of a mall's gift stock.
type Valuation struct {
	MallID   uuid.UUID
	TotalFen int64
	Stock    []Stock
}

// Valuation values a mall's stock at moving average cost (ADMIN, MEMBER_OPS, FINANCE).
func (s *Service) Valuation(ctx context.Context, mallID uuid.UUID) (Valuation, error) {
	p, err := s.mallFor(ctx, mallID, stockRoles...)
	if err != nil {
		return Valuation{}, err
	}
	rows, err := queries.New(s.db.Pool).StockOfMall(ctx, p.GroupID, mallID)
	v := Valuation{MallID: mallID}
	for _, r := range rows {
		v.TotalFen += r.ValueFen
		v.Stock = append(v.Stock, Stock{WarehouseID: r.WarehouseID, ItemID: r.ItemID, ItemName: r.ItemName,
			Unit: r.Unit, Quantity: int64(r.Quantity), ValueFen: r.ValueFen})
	}
	return v, err
}

// Movements reads the stock ledger of an item in a warehouse, newest first: at most
// first (1 to 100) movements before sequence before (0: from the newest).
func (s *Service) Movements(ctx context.Context, warehouseID, itemID uuid.UUID, first int, before int64) ([]Movement, error) {
	wh, err := queries.New(s.db.Pool).Warehouse(ctx, warehouseID)
	if _, err := s.visible(ctx, wh.MallID, err, "warehouse", stockRoles...); err != nil {
		return nil, err
	}
	if first < 1 || first > 100 {
		return nil, errs.Invalid("first", "between 1 and 100")
	}
	if before <= 0 {
		before = 1 << 62
	}
	rows, err := queries.New(s.db.Pool).Movements(ctx, queries.MovementsParams{WarehouseID: warehouseID,
		ItemID: itemID, BeforeSeq: before, Max: int32(first)})
	out := make([]Movement, len(rows))
	for i, r := range rows {
		out[i] = movementOf(r)
	}
	return out, err
}

// Stockable checks an item and a warehouse belong to mall (for a gift linked to stock);
// ErrWrongMall otherwise. No viewer check: the caller has authorised.
func (s *Service) Stockable(ctx context.Context, mall, warehouseID, itemID uuid.UUID) error {
	q := queries.New(s.db.Pool)
	wh, err := q.Warehouse(ctx, warehouseID)
	if err != nil || wh.MallID != mall {
		return ErrWrongMall.At("input", "warehouseId")
	}
	it, err := q.Item(ctx, itemID)
	if err != nil || it.MallID != mall {
		return ErrWrongMall.At("input", "itemId")
	}
	return nil
}

// Key is a warehouse and item pair.
type Key struct{ WarehouseID, ItemID uuid.UUID }

// Levels reads the quantities in stock of pairs (missing pairs: 0). No viewer check:
// for contexts showing stock they link to (campaigns' gifts).
func (s *Service) Levels(ctx context.Context, pairs []Key) (map[Key]int64, error) {
	out := make(map[Key]int64, len(pairs))
	if len(pairs) == 0 {
		return out, nil
	}
	whs, items := make([]uuid.UUID, len(pairs)), make([]uuid.UUID, len(pairs))
	for i, p := range pairs {
		whs[i], items[i] = p.WarehouseID, p.ItemID
	}
	rows, err := queries.New(s.db.Pool).StockLevels(ctx, whs, items)
	for _, r := range rows {
		if k := (Key{r.WarehouseID, r.ItemID}); slices.Contains(pairs, k) {
			out[k] = int64(r.Quantity)
		}
	}
	return out, err
}
