package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/reports/internal/queries"
)

// Settle is how old a source row must be before it is rolled up: a transaction that
// inserted rows dated before others already committed has committed by then.
const Settle = 2 * time.Minute

// BatchSize is how many source rows one roll-up transaction reads.
const BatchSize = 20000

// The sources the rollups read, each with its watermark row.
const (
	SourceCardEvents   = "card_events"
	SourcePurchases    = "purchases"
	SourceRefunds      = "refunds"
	SourceLedgerPoints = "ledger_points"
	// Members registered (registered_at), exits approved (decided_at), exited members
	// restored (restored_at): the monthly member rollup.
	SourceMembers        = "members"
	SourceMemberExits    = "member_exits"
	SourceMemberRestores = "member_restores"
	// Lot moves (identity order, settled by their posting's created_at): the points
	// expiring per month (report_points_expiry).
	SourceLotMoves = "ledger_lot_moves"
)

// Sources are rolled up in this order.
var Sources = []string{SourceCardEvents, SourcePurchases, SourceRefunds, SourceLedgerPoints, SourceMembers,
	SourceMemberExits, SourceMemberRestores, SourceLotMoves}

// RollUpResult is how many source rows a run added, per source.
type RollUpResult map[string]int

// RollUp brings every rollup up to the settled rows at now (now − Settle): per source,
// batches of BatchSize rows, each batch upserted into its rollup in the transaction
// that advances the source's watermark (locked, so concurrent runs take turns and no
// row is counted twice). A rerun with nothing new adds nothing.
func (s *Service) RollUp(ctx context.Context) (RollUpResult, error) {
	return s.RollUpInBatches(ctx, BatchSize)
}

// RollUpInBatches is RollUp reading size source rows per transaction.
func (s *Service) RollUpInBatches(ctx context.Context, size int) (RollUpResult, error) {
	return s.rollUp(ctx, size, Settle)
}

// CatchUp is RollUp without the settle time, for when nothing else writes the sources
// (the demo seed, at its end): every committed row dated up to now is rolled up
// (rows dated now included: a frozen test clock dates them all alike).
func (s *Service) CatchUp(ctx context.Context) (RollUpResult, error) {
	return s.rollUp(ctx, BatchSize, -time.Microsecond)
}

func (s *Service) rollUp(ctx context.Context, size int, settle time.Duration) (RollUpResult, error) {
	now := s.now()
	out := RollUpResult{}
	for _, src := range Sources {
		for {
			n, err := s.rollUpBatch(ctx, src, now, settle, size)
			if err != nil {
				return out, fmt.Errorf("reports: roll up %s: %w", src, err)
			}
			out[src] += n
			if n < size {
				break
			}
		}
	}
	return out, nil
}

// rollUpBatch rolls up one batch of a source and advances its watermark.
func (s *Service) rollUpBatch(ctx context.Context, src string, now time.Time, settle time.Duration, size int) (int, error) {
	cutoff := now.Add(-settle)
	var n int
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		w, err := q.LockWatermark(ctx, src)
		if err != nil {
			return err
		}
		adv := queries.AdvanceWatermarkParams{Source: src, LastAt: w.LastAt, LastKey: w.LastKey, LastSeq: w.LastSeq,
			UpdatedAt: &now}
		switch src {
		case SourceCardEvents:
			r, err := q.RollUpCardEvents(ctx, queries.RollUpCardEventsParams{Tz: s.zone.String(), LastAt: w.LastAt,
				LastKey: w.LastKey, Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastAt, adv.LastKey = int(r.N), r.LastAt, r.LastKey
		case SourcePurchases:
			r, err := q.RollUpPurchases(ctx, queries.RollUpPurchasesParams{LastAt: w.LastAt, LastKey: w.LastKey,
				Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastAt, adv.LastKey = int(r.N), r.LastAt, r.LastKey
		case SourceRefunds:
			r, err := q.RollUpRefunds(ctx, queries.RollUpRefundsParams{LastAt: w.LastAt, LastKey: w.LastKey,
				Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastAt, adv.LastKey = int(r.N), r.LastAt, r.LastKey
		case SourceLedgerPoints:
			r, err := q.RollUpPoints(ctx, queries.RollUpPointsParams{Tz: s.zone.String(), LastSeq: w.LastSeq,
				Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastSeq = int(r.N), r.LastSeq
			if n > 0 {
				adv.LastAt = r.LastAt
			}
		case SourceLotMoves:
			r, err := q.RollUpLotMoves(ctx, queries.RollUpLotMovesParams{Tz: s.zone.String(), LastSeq: w.LastSeq,
				Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastSeq = int(r.N), r.LastSeq
			if n > 0 {
				adv.LastAt = r.LastAt
			}
		case SourceMembers:
			r, err := q.RollUpMembers(ctx, queries.RollUpMembersParams{Tz: s.zone.String(), LastAt: w.LastAt,
				LastKey: w.LastKey, Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastAt, adv.LastKey = int(r.N), r.LastAt, r.LastKey
		case SourceMemberExits:
			r, err := q.RollUpMemberExits(ctx, queries.RollUpMemberExitsParams{Tz: s.zone.String(), LastAt: w.LastAt,
				LastKey: w.LastKey, Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastAt, adv.LastKey = int(r.N), r.LastAt, r.LastKey
		case SourceMemberRestores:
			r, err := q.RollUpMemberRestores(ctx, queries.RollUpMemberRestoresParams{Tz: s.zone.String(),
				LastAt: w.LastAt, LastKey: w.LastKey, Cutoff: cutoff, BatchSize: int32(size)})
			if err != nil {
				return err
			}
			n, adv.LastAt, adv.LastKey = int(r.N), r.LastAt, r.LastKey
		default:
			return fmt.Errorf("unknown source %q", src)
		}
		// Caught up: every settled row is in; otherwise up to the last row taken.
		asOf := cutoff
		if n == size {
			asOf = adv.LastAt
		}
		adv.AsOf = &asOf
		return q.AdvanceWatermark(ctx, adv)
	})
	return n, err
}

// asOf is the time up to which the sources are in the rollups (the earliest of theirs).
func (s *Service) asOf(ctx context.Context, sources ...string) (*time.Time, error) {
	var out *time.Time
	q := queries.New(s.db.Reader(ctx))
	for _, src := range sources {
		w, err := q.Watermark(ctx, src)
		if err != nil {
			return nil, err
		}
		if w.AsOf == nil {
			return nil, nil
		}
		if out == nil || w.AsOf.Before(*out) {
			out = w.AsOf
		}
	}
	return out, nil
}
