package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
)

// memberTier is the member's current tier (nil for none).
func memberTier(ctx context.Context, q queries.DBTX, memberID uuid.UUID) (*Tier, error) {
	r, err := queries.New(q).MemberTier(ctx, memberID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	t := tierOf(r)
	return &t, err
}

// tierMetric is what the group's tiers measure over the rolling window ending at now:
// net spend (payable less refunds) or points earned (less claw-backs).
func tierMetric(ctx context.Context, q queries.DBTX, prog Program, memberID uuid.UUID, now time.Time) (decimal.Decimal, error) {
	since := now.AddDate(0, 0, -prog.TierWindowDays)
	if prog.TierBasis == "points" {
		return queries.New(q).PointsInWindow(ctx, queries.PointsInWindowParams{MemberID: memberID, Since: since, Until: now})
	}
	return queries.New(q).SpendInWindow(ctx, queries.SpendInWindowParams{MemberID: memberID, Since: since, Until: now})
}

// qualifying is the highest tier whose threshold metric reaches (nil when none).
func qualifying(ts []Tier, metric decimal.Decimal) *Tier {
	var best *Tier
	for i := range ts {
		if ts[i].Threshold.LessThanOrEqual(metric) && (best == nil || ts[i].Rank > best.Rank) {
			best = &ts[i]
		}
	}
	return best
}

// upgradeTx raises the member's tier when the window's metric crossed a higher
// threshold, in the purchase's transaction. It returns the tier after.
func upgradeTx(ctx context.Context, tx pgx.Tx, prog Program, memberID uuid.UUID, now time.Time) (*uuid.UUID, bool, error) {
	ts, err := tiers(ctx, tx, prog.GroupID)
	if err != nil || len(ts) == 0 {
		return nil, false, err
	}
	metric, err := tierMetric(ctx, tx, prog, memberID, now)
	if err != nil {
		return nil, false, err
	}
	current, err := members.TierForUpdate(ctx, tx, memberID)
	if err != nil {
		return nil, false, fmt.Errorf("lock member tier: %w", err)
	}
	best := qualifying(ts, metric)
	if best == nil || (current != nil && rankOf(ts, *current) >= best.Rank) {
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

func rankOf(ts []Tier, id uuid.UUID) int {
	for _, t := range ts {
		if t.ID == id {
			return t.Rank
		}
	}
	return -1
}

// DowngradeTiers is the periodic tier review. Policy: a member keeps a tier for at
// least one full window after reaching it; after that, when the rolling window's
// metric no longer reaches the tier's threshold, the member moves down to the highest
// tier the metric does reach (or to no tier), and the window starts again. Upgrades
// are not done here (purchases do them). It returns how many members moved down.
func (s *Service) DowngradeTiers(ctx context.Context, groupID uuid.UUID, now time.Time) (int, error) {
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
		return 0, fmt.Errorf("tiered members: %w", err)
	}
	moved := 0
	for _, m := range tiered {
		down, err := s.reviewTier(ctx, prog, ts, m, now)
		if err != nil {
			return moved, err
		}
		if down {
			moved++
		}
	}
	return moved, nil
}

func (s *Service) reviewTier(ctx context.Context, prog Program, ts []Tier, member uuid.UUID, now time.Time) (bool, error) {
	down := false
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		down = false // a retried attempt starts over
		current, err := members.TierForUpdate(ctx, tx, member)
		if err != nil || current == nil {
			return wrap("lock member tier", err)
		}
		metric, err := tierMetric(ctx, tx, prog, member, now)
		if err != nil {
			return err
		}
		best := qualifying(ts, metric)
		if best != nil && best.Rank >= rankOf(ts, *current) {
			return nil
		}
		var next *uuid.UUID
		if best != nil {
			next = &best.ID
		}
		down = true
		return wrap("set member tier", members.SetTier(ctx, tx, member, next, now))
	})
	return down, err
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
