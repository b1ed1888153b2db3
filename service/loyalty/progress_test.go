package loyalty_test

import (
	"testing"

	"github.com/atrium-mall/atrium/service/loyalty"
)

// TestTierProgress follows a member from no tier to silver and toward gold.
func TestTierProgress(t *testing.T) {
	b := setup(t)
	for _, tier := range []loyalty.Tier{
		{GroupID: b.org.GroupID, Code: "silver", Name: "Silver", Rank: 1, Threshold: d("500"), DiscountRate: d("1"), PointsMultiplier: d("1")},
		{GroupID: b.org.GroupID, Code: "gold", Name: "Gold", Rank: 2, Threshold: d("2000"), DiscountRate: d("0.95"), PointsMultiplier: d("1.5")},
	} {
		if _, err := b.svc.AddTier(b.admin, tier); err != nil {
			t.Fatal(err)
		}
	}
	m := b.member()
	p, err := b.svc.MyTierProgress(shopperCtx(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	if p.Current != nil || p.Next == nil || p.Next.Code != "silver" || p.Basis != "spend" {
		t.Fatalf("new member: %+v", p)
	}
	eq(t, "remaining to silver", p.Remaining, "500")

	b.bought(m, "600", "0", "0") // paid in cash
	p, err = b.svc.MyTierProgress(shopperCtx(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	if p.Current == nil || p.Current.Code != "silver" || p.Next == nil || p.Next.Code != "gold" {
		t.Fatalf("after 600: %+v", p)
	}
	eq(t, "metric", p.Metric, "600")
	eq(t, "remaining to gold", p.Remaining, "1400")

	if _, err := b.svc.MyTierProgress(b.staff); err == nil {
		t.Fatal("staff have no tier progress of their own")
	}
}
