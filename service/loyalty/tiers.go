package loyalty

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/storage"
)

// memberTier is the member's current tier (nil for none).
func memberTier(ctx context.Context, q storage.Querier, memberID uuid.UUID) (*Tier, error) {
	var t Tier
	err := q.QueryRow(ctx, `SELECT t.id, t.group_id, t.code, t.name, t.rank, t.threshold, t.discount_rate, t.points_multiplier
		FROM members m JOIN loyalty_tiers t ON t.id = m.tier_id WHERE m.id = $1`, memberID).
		Scan(&t.ID, &t.GroupID, &t.Code, &t.Name, &t.Rank, &t.Threshold, &t.DiscountRate, &t.PointsMultiplier)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &t, err
}

// tierMetric is what the group's tiers measure over the rolling window ending at now:
// net spend (payable less refunds) or points earned (less claw-backs).
func tierMetric(ctx context.Context, q storage.Querier, prog Program, memberID uuid.UUID, now time.Time) (decimal.Decimal, error) {
	since := now.AddDate(0, 0, -prog.TierWindowDays)
	query := `SELECT coalesce(sum(payable - refunded), 0) FROM loyalty_purchases
		WHERE member_id = $1 AND created_at > $2 AND created_at <= $3`
	if prog.TierBasis == "points" {
		query = `SELECT coalesce(sum(points), 0) FROM loyalty_points_earned
			WHERE member_id = $1 AND created_at > $2 AND created_at <= $3`
	}
	var v decimal.Decimal
	err := q.QueryRow(ctx, query, memberID, since, now).Scan(&v)
	return v, err
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
	var current *uuid.UUID
	if err := tx.QueryRow(ctx, `SELECT tier_id FROM members WHERE id = $1 FOR UPDATE`, memberID).Scan(&current); err != nil {
		return nil, false, err
	}
	best := qualifying(ts, metric)
	if best == nil || (current != nil && rankOf(ts, *current) >= best.Rank) {
		return current, false, nil
	}
	_, err = tx.Exec(ctx, `UPDATE members SET tier_id = $2, tier_since = $3 WHERE id = $1`, memberID, best.ID, now)
	return &best.ID, true, err
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
	rows, err := s.db.Pool.Query(ctx, `SELECT id FROM members WHERE group_id = $1 AND tier_id IS NOT NULL
		AND tier_since <= $2`, groupID, now.AddDate(0, 0, -prog.TierWindowDays))
	if err != nil {
		return 0, err
	}
	members, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, m := range members {
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
		var current *uuid.UUID
		if err := tx.QueryRow(ctx, `SELECT tier_id FROM members WHERE id = $1 FOR UPDATE`, member).Scan(&current); err != nil || current == nil {
			return err
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
		_, err = tx.Exec(ctx, `UPDATE members SET tier_id = $2, tier_since = $3 WHERE id = $1`, member, next, now)
		return err
	})
	return down, err
}

// DowngradeAllTiers runs DowngradeTiers for every group that has tiers.
func (s *Service) DowngradeAllTiers(ctx context.Context, now time.Time) (int, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT DISTINCT group_id FROM loyalty_tiers`)
	if err != nil {
		return 0, err
	}
	groups, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
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
