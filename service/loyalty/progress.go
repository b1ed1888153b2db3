package loyalty

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
)

// TierProgress is where a member stands against the group's tiers: the current tier,
// the next one up, and how much more of the measured quantity (spend in yuan, or points
// earned, over the rolling window) reaches it.
type TierProgress struct {
	Current    *Tier
	Next       *Tier // nil at the top tier, or when the group has no tiers
	Basis      string
	WindowDays int
	Metric     decimal.Decimal // spend or points in the window ending now
	Remaining  decimal.Decimal // to reach Next; zero when there is no next tier
	AsOf       time.Time
}

// MyTierProgress returns the shopper's tier progress.
func (s *Service) MyTierProgress(ctx context.Context) (TierProgress, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return TierProgress{}, err
	}
	m, err := queries.New(s.db.Pool).MemberGroupTier(ctx, member)
	if err != nil {
		return TierProgress{}, err
	}
	now := s.now()
	if m.GroupID == nil { // not registered in a group yet: no tiers apply
		return TierProgress{Basis: "spend", AsOf: now}, nil
	}
	prog, err := program(ctx, s.db.Pool, *m.GroupID)
	if err != nil {
		return TierProgress{}, err
	}
	ts, err := tiers(ctx, s.db.Pool, prog.GroupID)
	if err != nil {
		return TierProgress{}, err
	}
	// The member's tier is one of the group's tiers just read: no second read.
	var current *Tier
	for i := range ts {
		if m.TierID != nil && ts[i].ID == *m.TierID {
			current = &ts[i]
		}
	}
	metric, err := tierMetric(ctx, s.db.Pool, prog, member, now)
	if err != nil {
		return TierProgress{}, err
	}
	return progressOf(prog, ts, current, metric, now), nil
}

// progressOf finds the next tier above current (ts is ordered by rank) and the distance.
func progressOf(prog Program, ts []Tier, current *Tier, metric decimal.Decimal, now time.Time) TierProgress {
	p := TierProgress{Current: current, Basis: prog.TierBasis, WindowDays: prog.TierWindowDays, Metric: metric, AsOf: now}
	for i := range ts {
		if current == nil || ts[i].Rank > current.Rank {
			p.Next = &ts[i]
			p.Remaining = decimal.Max(decimal.Zero, ts[i].Threshold.Sub(metric))
			break
		}
	}
	return p
}
