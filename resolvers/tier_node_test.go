package resolvers_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// A Tier is a Node: members and staff of its group fetch it by global ID; a member or
// staff of another group gets null.
func TestTierIsANode(t *testing.T) {
	t.Parallel()
	a, org, staff := newLoyaltyAPI(t)
	admin := servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, org.GroupID))
	tier, err := a.Loyalty.AddTier(admin, loyalty.Tier{GroupID: org.GroupID, Code: "gold", Name: "Gold", Rank: 1,
		Threshold: decimal.NewFromInt(100), DiscountRate: decimal.NewFromInt(1), PointsMultiplier: decimal.NewFromInt(2)})
	if err != nil {
		t.Fatal(err)
	}
	other := ledgertest.NewOrg(t, a.DB)
	q := `query($id: ID!) { node(id: $id) { id ... on Tier { code name } } }`
	vars := map[string]any{"id": relay.ID("Tier", tier.ID)}
	for name, v := range map[string]*auth.Viewer{
		"member of the group":          {Kind: auth.KindShopper, ID: org.Member(t, a.DB)},
		"staff of a mall of the group": staff(),
	} {
		if out := a.As(v, q, vars); field(out, "data", "node", "code") != "gold" {
			t.Errorf("%s: %v", name, out)
		}
	}
	for name, v := range map[string]*auth.Viewer{
		"member of another group": {Kind: auth.KindShopper, ID: other.Member(t, a.DB)},
		"staff of another group":  servicetest.Staff(auth.RoleAdmin, auth.LevelMall, other.MallID),
	} {
		if out := a.As(v, q, vars); field(out, "data", "node") != nil {
			t.Errorf("%s sees the tier: %v", name, out)
		}
	}
}
