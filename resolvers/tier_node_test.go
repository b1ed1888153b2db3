package resolvers_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// A Tier is a Node: members and staff of its group fetch it by global ID; a member or
// staff of another group gets null.
func TestTierIsANode(t *testing.T) {
	t.Parallel()
	api, org, _, staff := newLoyaltyAPI(t)
	svc := newLoyalty(api.db, ledger.New(ledger.Deps{DB: api.db, Now: time.Now}), storetest.Redis(t))
	admin := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: org.GroupID}}})
	tier, err := svc.AddTier(admin, loyalty.Tier{GroupID: org.GroupID, Code: "gold", Name: "Gold", Rank: 1,
		Threshold: decimal.NewFromInt(100), DiscountRate: decimal.NewFromInt(1), PointsMultiplier: decimal.NewFromInt(2)})
	if err != nil {
		t.Fatal(err)
	}
	other := ledgertest.NewOrg(t, api.db)
	q := `query($id: ID!) { node(id: $id) { id ... on Tier { code name } } }`
	vars := map[string]any{"id": relay.ID("Tier", tier.ID)}
	for name, v := range map[string]*auth.Viewer{
		"member of the group":          {Kind: auth.KindShopper, ID: org.Member(t, api.db)},
		"staff of a mall of the group": staff(),
	} {
		if out := api.do(v, q, vars); get(out, "data", "node", "code") != "gold" {
			t.Errorf("%s: %v", name, out)
		}
	}
	for name, v := range map[string]*auth.Viewer{
		"member of another group": {Kind: auth.KindShopper, ID: other.Member(t, api.db)},
		"staff of another group": {Kind: auth.KindStaff, ID: service.NewID(),
			Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: other.MallID}}},
	} {
		if out := api.do(v, q, vars); get(out, "data", "node") != nil {
			t.Errorf("%s sees the tier: %v", name, out)
		}
	}
}
