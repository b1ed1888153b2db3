package coupons

import (
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// TestClaimFastWritesNothingWhenRefused: a claim in one implicit transaction whose key
// was used before, or whose slot is taken, writes nothing (the caller then takes the
// usual way); the key of the refused one stays free for a claim that succeeds.
func TestClaimFastWritesNothingWhenRefused(t *testing.T) {
	f := setup(t)
	members := f.world.Members(t, f.db, 2)
	tpl := f.template(t, f.cashInput())
	first, key := redemptiontest.Shopper(f.ctx, members[0]), uuid.NewString()
	if _, err := f.svc.Claim(first, tpl.ID, key); err != nil { // slot 1
		t.Fatal(err)
	}
	rows := func() (n int) {
		if err := f.db.Pool.QueryRow(f.ctx, `SELECT (SELECT count(*) FROM coupons) + (SELECT count(*) FROM redemption_codes)
			+ (SELECT count(*) FROM idempotency_keys) + (SELECT coalesce(sum(claimed), 0) FROM coupon_member_claims)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := rows()
	second, key2 := redemptiontest.Shopper(f.ctx, members[1]), uuid.NewString()
	for _, c := range []struct {
		name   string
		member uuid.UUID
		slot   int
		key    string
	}{
		{"key used before", members[0], 5, key},
		{"slot taken", members[1], 1, key2},
	} {
		ctx := first
		if c.member == members[1] {
			ctx = second
		}
		if _, ok := f.svc.claimFast(ctx, tpl.ID, c.member, c.slot, c.key); ok {
			t.Errorf("%s: claimed", c.name)
		}
		if n := rows(); n != before {
			t.Errorf("%s: %d rows written", c.name, n-before)
		}
	}
	if _, ok := f.svc.claimFast(second, tpl.ID, members[1], 2, key2); !ok {
		t.Fatal("a free slot with a fresh key: not claimed")
	}
	if c, err := f.svc.Claim(second, tpl.ID, key2); err != nil || c.MemberID != members[1] {
		t.Fatalf("repeat of the fast claim: %v %v", c, err)
	}
}
