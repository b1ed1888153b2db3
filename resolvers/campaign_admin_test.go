package resolvers_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// TestCampaignAdminGraphQL: staff create a lottery and a gift, and start a segment issue
// run (queued for the job queue) and read it back; merchant staff are refused.
func TestCampaignAdminGraphQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	rdb := storetest.Redis(t)
	orgs := org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	codes := redemption.New(redemption.Deps{DB: db, Redis: rdb, Org: orgs, Config: redemption.Config{}, Now: time.Now})
	cp := coupons.New(coupons.Deps{DB: db, Redis: rdb, Org: orgs, Codes: codes, Now: time.Now})
	jobs, err := workers.New(workers.Deps{DB: db, Now: time.Now, Coupons: cp}, slog.New(slog.NewTextHandler(io.Discard, nil)), 1)
	if err != nil {
		t.Fatal(err)
	}
	cp.SetJobs(jobs) // not started: the run stays queued
	gql := server.NewGraphQL(resolvers.Config(resolvers.Services{Org: orgs, Coupons: cp, Redemption: codes,
		Campaigns: campaigns.New(campaigns.Deps{DB: db, Org: orgs, Coupons: cp, Ledger: ledger.New(ledger.Deps{DB: db, Now: time.Now}), Now: time.Now, Random: campaigns.CryptoRandom})}),
		server.GraphQLOptions{Complexity: 1000, Depth: 12, Logger: slog.New(slog.DiscardHandler)})
	w := redemptiontest.NewWorld(t, db)
	ops := w.MallStaffAs(ctx, auth.RoleMemberOps)
	mall := relay.ID("Mall", w.MallID)

	out := couponsGQL(t, gql, ops, `mutation($m: ID!) { createLottery(input: {mallId: $m, name: "Spin", costPoints: 10,
		prizes: [{name: "Big", odds: "0.1", stock: 2, points: 100}, {name: "Small", odds: "0.5", stock: 20, points: 5}]}) {
		lottery { id name costPoints prizes { id name odds stock points } } userErrors { code field } } }`,
		map[string]any{"m": mall})
	l := field(out, "data", "createLottery", "lottery")
	if field(l, "name") != "Spin" || field(l, "prizes", 1, "odds") != "0.5" || field(l, "prizes", 0, "stock") != float64(2) {
		t.Fatalf("createLottery: %v", out)
	}
	out = couponsGQL(t, gql, ops, `mutation($m: ID!) { createLottery(input: {mallId: $m, name: "Bad", costPoints: 10,
		prizes: [{name: "A", odds: "0.7", stock: 1}, {name: "B", odds: "0.7", stock: 1}]}) { lottery { id } userErrors { code } } }`,
		map[string]any{"m": mall})
	if field(out, "data", "createLottery", "lottery") != nil || field(out, "data", "createLottery", "userErrors", 0, "code") == nil {
		t.Fatalf("odds over 1 accepted: %v", out)
	}

	gift := `mutation($m: ID!) { createGift(input: {mallId: $m, name: "Mug", pointsCost: 300, stock: 7}) {
		gift { id name pointsCost stock exchanged } userErrors { code } } }`
	out = couponsGQL(t, gql, ops, gift, map[string]any{"m": mall})
	if field(out, "data", "createGift", "gift", "pointsCost") != float64(300) || field(out, "data", "createGift", "gift", "stock") != float64(7) {
		t.Fatalf("createGift: %v", out)
	}
	merchant := redemptiontest.MerchantStaff(ctx, w.MerchantA)
	out = couponsGQL(t, gql, merchant, gift, map[string]any{"m": mall})
	if field(out, "data", "createGift", "gift") != nil {
		t.Fatalf("merchant staff created a gift: %v", out)
	}

	out = couponsGQL(t, gql, ops, `mutation($m: ID!) { createCouponTemplate(input: {mallId: $m, name: "10 off",
		kind: "cash", faceValue: "10", validDays: 7, totalStock: 5}) { template { id } } }`, map[string]any{"m": mall})
	tpl, _ := field(out, "data", "createCouponTemplate", "template", "id").(string)
	issue := `mutation($t: ID!) { issueCouponsToSegment(input: {templateId: $t, tags: ["vip"], minSpend: "100",
		spendWindowDays: 30, lastVisitWithinDays: 90}) { run { id status issued skipped } userErrors { code field } } }`
	out = couponsGQL(t, gql, ops, issue, map[string]any{"t": tpl})
	runID, _ := field(out, "data", "issueCouponsToSegment", "run", "id").(string)
	if runID == "" || field(out, "data", "issueCouponsToSegment", "run", "status") != "queued" {
		t.Fatalf("issueCouponsToSegment: %v", out)
	}
	out = couponsGQL(t, gql, ops, `query($id: ID!) { segmentRun(id: $id) { id templateId status } }`, map[string]any{"id": runID})
	if field(out, "data", "segmentRun", "templateId") != tpl || field(out, "data", "segmentRun", "status") != "queued" {
		t.Fatalf("segmentRun: %v", out)
	}
	out = couponsGQL(t, gql, merchant, issue, map[string]any{"t": tpl})
	if field(out, "data", "issueCouponsToSegment", "run") != nil {
		t.Fatalf("merchant staff started a run: %v", out)
	}
	out = couponsGQL(t, gql, ops, `mutation($t: ID!) { issueCouponsToSegment(input: {templateId: $t, minSpend: "100"}) {
		run { id } userErrors { field } } }`, map[string]any{"t": tpl})
	if field(out, "data", "issueCouponsToSegment", "userErrors", 0, "field", 1) != "spendWindowDays" {
		t.Fatalf("spend without a window: %v", out)
	}
}
