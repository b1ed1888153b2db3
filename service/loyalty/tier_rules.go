package loyalty

import (
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/members"
)

// The tier rules, pure: which tier a metric reaches, when a purchase upgrades and when
// the periodic review moves a member down. The metric is the group's tier basis (net
// spend or points earned) over the rolling window (Program.TierWindowDays).

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

// rankOf is the rank of tier id among ts (-1: not one of them).
func rankOf(ts []Tier, id uuid.UUID) int {
	for _, t := range ts {
		if t.ID == id {
			return t.Rank
		}
	}
	return -1
}

// upgradeTo is the tier a purchase moves the member to (true) when the window's metric
// reaches a tier above the current one (nil: none); never down.
func upgradeTo(ts []Tier, current *uuid.UUID, metric decimal.Decimal) (*Tier, bool) {
	best := qualifying(ts, metric)
	if best == nil || (current != nil && rankOf(ts, *current) >= best.Rank) {
		return nil, false
	}
	return best, true
}

// downgradeTo is the review's rule for a member holding current for at least one full
// window: when the window's metric no longer reaches current's threshold, the member
// moves down (true) to the highest tier the metric reaches (nil: no tier); a member
// whose metric reaches current or higher keeps current (upgrades are the purchases').
func downgradeTo(ts []Tier, current uuid.UUID, metric decimal.Decimal) (*Tier, bool) {
	best := qualifying(ts, metric)
	if best != nil && best.Rank >= rankOf(ts, current) {
		return nil, false
	}
	return best, true
}

// downgrades are the moves of one review batch: downgradeTo for each holder, with its
// metric (absent: zero).
func downgrades(ts []Tier, holders []members.TierHolder, metrics map[uuid.UUID]decimal.Decimal) []members.TierMove {
	var out []members.TierMove
	for _, h := range holders {
		next, down := downgradeTo(ts, h.TierID, metrics[h.MemberID])
		if !down {
			continue
		}
		m := members.TierMove{MemberID: h.MemberID, From: h.TierID}
		if next != nil {
			m.To = &next.ID
		}
		out = append(out, m)
	}
	return out
}
