package coupons

import (
	"testing"
	"time"
)

func TestIssueToSegment(t *testing.T) {
	t.Parallel()
	f := setup(t)
	in := f.cashInput()
	in.TotalStock = 3
	tpl := f.template(t, in)
	vip := f.world.Members(t, f.db, 4)
	other := f.world.Member(t, f.db)
	if _, err := f.db.Pool.Exec(f.ctx, `UPDATE members SET tags = '{vip}', last_login_at = $2 WHERE id = ANY($1)`,
		vip, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.claim(t, tpl, vip[0]) // already at the limit of 1
	ops := f.world.MallStaffAs(f.ctx, "member_ops")
	seg := Segment{Tags: []string{"vip"}, LastVisitAfter: f.clock.Now().Add(-time.Hour)}
	rep, err := f.svc.IssueToSegment(ops, tpl.ID, seg, "run1")
	// 4 matched: vip[0] is at its limit, two get the remaining stock, the last finds it sold out.
	if err != nil || rep.Matched != 4 || rep.Issued != 2 || rep.Skipped != 2 {
		t.Fatalf("segment: %+v %v", rep, err)
	}
	var n int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM coupons WHERE member_id = $1`, other).Scan(&n)
	if n != 0 {
		t.Fatal("a member outside the segment got a coupon")
	}
	if again, err := f.svc.IssueToSegment(ops, tpl.ID, seg, "run1"); err != nil || again.Issued != 0 {
		t.Fatalf("re-run: %+v %v", again, err)
	}
}
