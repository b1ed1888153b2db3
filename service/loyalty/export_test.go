package loyalty

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/members"
)

// SetRebuildPause makes leaderboard rebuilds call pause between reading PostgreSQL and
// writing Redis (tests of that window).
func (s *Service) SetRebuildPause(pause func()) { s.rebuildPause = pause }

// SetCommitPause makes pause run after a commit, before its earnings reach Redis.
func (s *Service) SetCommitPause(pause func()) { s.commitPause = pause }

// DowngradeTiersPerMember is the tier review as it was before it became set-based: one
// transaction per member in sequence (lock, measure, move). Benchmarks run it as the
// baseline; it does the same durable work (members' tier and tier_since).
func (s *Service) DowngradeTiersPerMember(ctx context.Context, groupID uuid.UUID, now time.Time) (int, error) {
	prog, err := program(ctx, s.db.Pool, groupID)
	if err != nil {
		return 0, err
	}
	ts, err := tiers(ctx, s.db.Pool, groupID)
	if err != nil {
		return 0, err
	}
	tiered, err := members.TieredBefore(ctx, s.db.Pool, groupID, now.AddDate(0, 0, -prog.TierWindowDays))
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, m := range tiered {
		down := false
		err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
			down = false
			current, err := members.TierForUpdate(ctx, tx, m)
			if err != nil || current == nil {
				return err
			}
			metric, err := tierMetric(ctx, tx, prog, m, now)
			if err != nil {
				return err
			}
			next, ok := downgradeTo(ts, *current, metric)
			if !ok {
				return nil
			}
			var to *uuid.UUID
			if next != nil {
				to = &next.ID
			}
			down = true
			return members.SetTier(ctx, tx, m, to, now)
		})
		if err != nil {
			return moved, err
		}
		if down {
			moved++
		}
	}
	return moved, nil
}

// SetTierReview makes tier reviews take batch members per transaction and call after
// after each committed batch.
func (s *Service) SetTierReview(batch int, after func()) {
	s.tierBatch, s.afterTierBatch = batch, after
}
