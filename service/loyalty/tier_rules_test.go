package loyalty

import (
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/members"
)

var (
	silver = Tier{ID: uuid.MustParse("00000000-0000-0000-0000-000000000001"), Code: "silver", Rank: 1,
		Threshold: decimal.NewFromInt(1000)}
	gold = Tier{ID: uuid.MustParse("00000000-0000-0000-0000-000000000002"), Code: "gold", Rank: 2,
		Threshold: decimal.NewFromInt(5000)}
	gone      = uuid.MustParse("00000000-0000-0000-0000-0000000000ff") // a tier since deleted
	someTiers = []Tier{gold, silver}                                   // any order
)

func code(t *Tier) string {
	if t == nil {
		return "none"
	}
	return t.Code
}

func TestQualifying(t *testing.T) {
	cases := []struct {
		name   string
		metric int64
		want   string
	}{
		{"below every threshold", 999, "none"},
		{"exactly a threshold", 1000, "silver"},
		{"between thresholds", 4999, "silver"},
		{"the highest reached wins", 9000, "gold"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := code(qualifying(someTiers, decimal.NewFromInt(c.metric))); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestUpgradeTo(t *testing.T) {
	cases := []struct {
		name    string
		current *uuid.UUID
		metric  int64
		want    string
		up      bool
	}{
		{"no tier, nothing reached", nil, 10, "none", false},
		{"no tier to silver", nil, 1000, "silver", true},
		{"silver to gold", &silver.ID, 5000, "gold", true},
		{"silver stays silver", &silver.ID, 4000, "none", false},
		{"gold never goes down on a purchase", &gold.ID, 10, "none", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, up := upgradeTo(someTiers, c.current, decimal.NewFromInt(c.metric))
			if code(got) != c.want || up != c.up {
				t.Fatalf("got %s %v, want %s %v", code(got), up, c.want, c.up)
			}
		})
	}
}

func TestDowngradeTo(t *testing.T) {
	cases := []struct {
		name    string
		current uuid.UUID
		metric  int64
		want    string
		down    bool
	}{
		{"gold still reached keeps gold", gold.ID, 5000, "none", false},
		{"gold above it keeps gold", gold.ID, 90000, "none", false},
		{"gold to silver", gold.ID, 4999, "silver", true},
		{"gold to no tier", gold.ID, 0, "none", true},
		{"silver to no tier", silver.ID, 999, "none", true},
		{"silver with a gold metric keeps silver (upgrades are the purchases')", silver.ID, 6000, "none", false},
		{"a deleted tier goes when nothing is reached", gone, 0, "none", true},
		{"a deleted tier is kept while a tier is reached", gone, 1000, "none", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, down := downgradeTo(someTiers, c.current, decimal.NewFromInt(c.metric))
			if code(got) != c.want || down != c.down {
				t.Fatalf("got %s %v, want %s %v", code(got), down, c.want, c.down)
			}
		})
	}
}

func TestDowngrades(t *testing.T) {
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	holders := []members.TierHolder{{MemberID: a, TierID: gold.ID}, {MemberID: b, TierID: gold.ID},
		{MemberID: c, TierID: silver.ID}}
	// a keeps gold, b drops to silver, c (no purchases: absent) drops to none.
	moves := downgrades(someTiers, holders, map[uuid.UUID]decimal.Decimal{a: decimal.NewFromInt(5000),
		b: decimal.NewFromInt(1200)})
	if len(moves) != 2 || moves[0].MemberID != b || moves[0].From != gold.ID || *moves[0].To != silver.ID ||
		moves[1].MemberID != c || moves[1].From != silver.ID || moves[1].To != nil {
		t.Fatalf("moves = %+v", moves)
	}
}
