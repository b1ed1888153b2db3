package loyalty

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
)

// tierMetric is what the group's tiers measure over the rolling window ending at now:
// net spend (payable less refunds) or points earned (less claw-backs).
func tierMetric(ctx context.Context, q queries.DBTX, prog Program, memberID uuid.UUID, now time.Time) (decimal.Decimal, error) {
	since := now.AddDate(0, 0, -prog.TierWindowDays)
	if prog.TierBasis == "points" {
		return queries.New(q).PointsInWindow(ctx, queries.PointsInWindowParams{MemberID: memberID, Since: since, Until: now})
	}
	return queries.New(q).SpendInWindow(ctx, queries.SpendInWindowParams{MemberID: memberID, Since: since, Until: now})
}

// upgradeTx raises the member's tier when the window's metric crossed a higher
// threshold of the group's tiers ts (lowest rank first), in the purchase's
// transaction. It returns the tier after.
func upgradeTx(ctx context.Context, tx pgx.Tx, prog Program, ts []Tier, memberID uuid.UUID, now time.Time) (*uuid.UUID, bool, error) {
	if len(ts) == 0 {
		return nil, false, nil
	}
	metric, err := tierMetric(ctx, tx, prog, memberID, now)
	if err != nil {
		return nil, false, err
	}
	current, err := members.TierForUpdate(ctx, tx, memberID)
	if err != nil {
		return nil, false, fmt.Errorf("lock member tier: %w", err)
	}
	best, up := upgradeTo(ts, current, metric)
	if !up {
		return current, false, nil
	}
	if err := members.SetTier(ctx, tx, memberID, &best.ID, now); err != nil {
		return nil, false, fmt.Errorf("set member tier: %w", err)
	}
	return &best.ID, true, nil
}

// wrap names what failed (nil stays nil).
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// TierReviewBatch is how many members one transaction of the tier review covers.
const TierReviewBatch = 5000

// DowngradeTiers is the periodic tier review (the rule: downgradeTo). It is set-based
// and resumable: members are taken in id order, TierReviewBatch per transaction, each
// batch locked, measured with one query and moved with one UPDATE, and the batch's
// cursor is committed with it in loyalty_tier_reviews. The review is one per group and
// UTC day of now: a rerun the same day (after a crash or a timeout) continues from the
// last committed batch with the first run's as-of time, and a finished one is not run
// again. A member is moved only while it still holds the tier it was measured at, and a
// moved member's tier_since is the as-of time, so nothing is applied twice. It returns
// how many members this call moved down.
func (s *Service) DowngradeTiers(ctx context.Context, groupID uuid.UUID, now time.Time) (int, error) {
	prog, err := program(ctx, s.db.Pool, groupID)
	if err != nil {
		return 0, err
	}
	ts, err := tiers(ctx, s.db.Pool, groupID)
	if err != nil {
		return 0, err
	}
	runOn := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	run, err := queries.New(s.db.Pool).StartTierReview(ctx, queries.StartTierReviewParams{GroupID: groupID,
		RunOn: runOn, AsOf: now})
	if err != nil {
		return 0, fmt.Errorf("start tier review: %w", err)
	}
	if run.FinishedAt != nil {
		return 0, nil
	}
	moved := 0
	for {
		n, done, err := s.reviewBatch(ctx, prog, ts, runOn, run.AsOf)
		moved += n
		if err != nil || done {
			return moved, err
		}
		if s.afterTierBatch != nil {
			s.afterTierBatch()
		}
	}
}

// reviewBatch reviews the next batch of the group's review in one transaction; done
// when no member was left.
func (s *Service) reviewBatch(ctx context.Context, prog Program, ts []Tier, runOn, asOf time.Time) (int, bool, error) {
	moved, done := 0, false
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		moved, done = 0, false // a retried attempt starts over
		q := queries.New(tx)
		cur, err := q.LockTierReview(ctx, prog.GroupID, runOn)
		if err != nil {
			return wrap("lock tier review", err)
		}
		if cur.FinishedAt != nil {
			done = true
			return nil
		}
		after := uuid.Nil
		if cur.AfterID != nil {
			after = *cur.AfterID
		}
		since := asOf.AddDate(0, 0, -prog.TierWindowDays)
		batch := TierReviewBatch
		if s.tierBatch > 0 {
			batch = s.tierBatch
		}
		holders, err := members.TierHoldersForUpdate(ctx, tx, prog.GroupID, since, after, batch)
		if err != nil {
			return err
		}
		if len(holders) == 0 {
			done = true
			return wrap("finish tier review", q.FinishTierReview(ctx, queries.FinishTierReviewParams{
				FinishedAt: &asOf, GroupID: prog.GroupID, RunOn: runOn}))
		}
		metrics, err := tierMetrics(ctx, tx, prog, holders, since, asOf)
		if err != nil {
			return err
		}
		ids, err := members.SetTiers(ctx, tx, downgrades(ts, holders, metrics), asOf)
		if err != nil {
			return err
		}
		moved = len(ids)
		last := holders[len(holders)-1].MemberID
		return wrap("advance tier review", q.AdvanceTierReview(ctx, queries.AdvanceTierReviewParams{AfterID: &last,
			Reviewed: int64(len(holders)), Moved: int64(moved), GroupID: prog.GroupID, RunOn: runOn}))
	})
	return moved, done, err
}

// tierMetrics is tierMetric of each holder over (since, until], in one query; members
// without purchases (or points) in the window are absent (zero).
func tierMetrics(ctx context.Context, tx pgx.Tx, prog Program, holders []members.TierHolder, since, until time.Time) (map[uuid.UUID]decimal.Decimal, error) {
	ids := make([]uuid.UUID, len(holders))
	for i, h := range holders {
		ids[i] = h.MemberID
	}
	out := make(map[uuid.UUID]decimal.Decimal, len(holders))
	q := queries.New(tx)
	if prog.TierBasis == "points" {
		rows, err := q.PointsInWindowOf(ctx, queries.PointsInWindowOfParams{MemberIds: ids, Since: since, Until: until})
		for _, r := range rows {
			out[r.MemberID] = r.Metric
		}
		return out, wrap("points in window", err)
	}
	rows, err := q.SpendInWindowOf(ctx, queries.SpendInWindowOfParams{MemberIds: ids, Since: since, Until: until})
	for _, r := range rows {
		out[r.MemberID] = r.Metric
	}
	return out, wrap("spend in window", err)
}

// DowngradeAllTiers runs DowngradeTiers for every group that has tiers.
func (s *Service) DowngradeAllTiers(ctx context.Context, now time.Time) (int, error) {
	groups, err := queries.New(s.db.Pool).TierGroups(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, g := range groups {
		n, err := s.DowngradeTiers(ctx, g, now)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
