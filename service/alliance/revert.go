package alliance

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/alliance/internal/queries"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/storage"
)

// run loads a run and authorizes the caller over its merchant's mall (NOT_FOUND when
// the caller may not see it).
func (s *Service) run(ctx context.Context, q storage.Querier, id uuid.UUID) (Run, error) {
	if _, err := access.Staff(ctx); err != nil {
		return Run{}, err
	}
	r, err := queries.New(q).RunByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Run{}, errs.ErrNotFound.Msgf("import run not found")
	}
	if err != nil {
		return Run{}, fmt.Errorf("import run: %w", err)
	}
	if _, _, err := s.merchant(ctx, q, r.MerchantID); err != nil {
		return Run{}, err
	}
	return toRun(r), nil
}

// RunByID returns one import run.
func (s *Service) RunByID(ctx context.Context, id uuid.UUID) (Run, error) {
	return s.run(ctx, s.db.Pool, id)
}

// Runs lists a merchant's import runs, newest first (at most 100).
func (s *Service) Runs(ctx context.Context, merchantID uuid.UUID, first int) ([]Run, error) {
	m, _, err := s.merchant(ctx, s.db.Pool, merchantID)
	if err != nil {
		return nil, err
	}
	if first <= 0 || first > 100 {
		first = 100
	}
	rows, err := queries.New(s.db.Pool).RunsOfMerchant(ctx, queries.RunsOfMerchantParams{GroupID: m.GroupID,
		MerchantID: m.ID, Before: uuid.Max, Lim: int32(first)})
	if err != nil {
		return nil, fmt.Errorf("import runs: %w", err)
	}
	out := make([]Run, len(rows))
	for i, r := range rows {
		out[i] = toRun(r)
	}
	return out, nil
}

// Revert takes back the points of every row of an import run, once: each row's points
// are clawed back (key alliance.revert:<row>) from the card holding them now, its own
// lot first, then the member's other available points; what the card no longer holds
// (spent) is not taken — no points debt — and is recorded as the row's and run's
// shortfall. A second revert is ALLIANCE_RUN_REVERTED. The rows stay claimed, so the
// same rows imported again are still duplicates.
func (s *Service) Revert(ctx context.Context, runID uuid.UUID) (Run, error) {
	if _, err := s.run(ctx, s.db.Pool, runID); err != nil {
		return Run{}, err
	}
	var out Run
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.revertTx(ctx, tx, runID)
		return err
	})
	return out, err
}

func (s *Service) revertTx(ctx context.Context, tx pgx.Tx, runID uuid.UUID) (Run, error) {
	q := queries.New(tx)
	r, err := q.RunForUpdate(ctx, runID)
	if err != nil {
		return Run{}, fmt.Errorf("lock run: %w", err)
	}
	if RunStatus(r.Status) != RunImported {
		return Run{}, ErrRunReverted
	}
	rows, err := q.RowsOfRun(ctx, r.GroupID, r.ID)
	if err != nil {
		return Run{}, fmt.Errorf("rows of run: %w", err)
	}
	clawed, short := decimal.Zero, decimal.Zero
	for _, row := range rows {
		took, err := s.revertRow(ctx, tx, row)
		if err != nil {
			return Run{}, err
		}
		clawed, short = clawed.Add(took), short.Add(row.Points.Sub(took))
	}
	now := s.now()
	done, err := q.RevertRun(ctx, queries.RevertRunParams{ID: r.ID, RevertedBy: staffID(ctx), RevertedAt: &now,
		ClawedBack: clawed, Shortfall: short})
	if err != nil {
		return Run{}, fmt.Errorf("revert run: %w", err)
	}
	err = audit.Record(ctx, tx, audit.Entry{At: now, Action: "alliance.revert", Entity: "alliance_run", EntityID: r.ID,
		MallID: r.MallID, Details: map[string]any{"clawedBack": clawed.String(), "shortfall": short.String()}})
	return toRun(done), err
}

// revertRow claws back what it can of one row's points and marks the row reverted.
func (s *Service) revertRow(ctx context.Context, tx pgx.Tx, row queries.AllianceRow) (decimal.Decimal, error) {
	took := decimal.Zero
	if row.Points.IsPositive() {
		card, err := ledger.CurrentCardTx(ctx, tx, row.CardID)
		if err != nil {
			return took, fmt.Errorf("current card: %w", err)
		}
		if _, err := s.ledger.LockCardsTx(ctx, tx, card); err != nil {
			return took, fmt.Errorf("lock card: %w", err)
		}
		bal, err := ledger.CardsBalanceTx(ctx, tx, ledger.Points, card)
		if err != nil {
			return took, err
		}
		took = decimal.Min(row.Points, decimal.Max(decimal.Zero, bal[card]))
		if took.IsPositive() {
			lot := uuid.Nil
			if row.LotID != nil {
				lot = *row.LotID
			}
			if _, err := s.ledger.ClawbackTx(ctx, tx, ledger.Clawback{GroupID: row.GroupID, CardID: card, Points: took,
				LotID: lot, Key: RevertKey(row.ID), Memo: "alliance revert"}); err != nil {
				return took, fmt.Errorf("claw back alliance points: %w", err)
			}
		}
	}
	err := queries.New(tx).RevertRow(ctx, queries.RevertRowParams{ID: row.ID, ClawedBack: took, Shortfall: row.Points.Sub(took)})
	return took, err
}
