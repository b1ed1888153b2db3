package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// TestCouponSegmentRun starts River, starts a segment issue run and waits for the job to
// store its report; carrying the same run out again issues nothing more.
func TestCouponSegmentRun(t *testing.T) {
	t.Parallel()
	ctx, s := context.Background(), servicetest.New(t, storetest.DB(t))
	db, svc, world := s.DB, s.Coupons, redemptiontest.NewWorld(t, s.DB)
	client := servicetest.Jobs(t, workers.Deps{DB: db, Coupons: svc}, 2)

	ops := world.MallStaffAs(ctx, "member_ops")
	tpl := s.ActiveTemplate(ops, coupons.TemplateInput{MallID: world.MallID, Name: "20 off", Kind: coupons.KindCash,
		FaceValue: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(100), ValidDays: 30, TotalStock: 3, PerMember: 1})
	vip := world.Members(t, db, 4)
	world.Member(t, db) // not in the segment
	if _, err := db.Pool.Exec(ctx, `UPDATE members SET tags = '{vip}' WHERE id = ANY($1)`, vip); err != nil {
		t.Fatal(err)
	}

	if _, err := svc.StartSegmentIssue(redemptiontest.MerchantStaff(ctx, world.MerchantA), tpl.ID,
		coupons.Segment{Tags: []string{"vip"}}); err == nil {
		t.Fatal("merchant staff started a segment run")
	}
	run, err := svc.StartSegmentIssue(ops, tpl.ID, coupons.Segment{Tags: []string{"vip"}})
	if err != nil || run.Status != "queued" {
		t.Fatalf("start: %+v %v", run, err)
	}
	if _, err := svc.SegmentRun(redemptiontest.MerchantStaff(ctx, world.MerchantA), run.ID); err == nil {
		t.Fatal("merchant staff read a segment run")
	}

	start(t, client)
	if !servicetest.WaitFor(20*time.Second, 100*time.Millisecond, func() bool { // waiting for the job queue
		if run, err = svc.SegmentRun(ops, run.ID); err != nil {
			t.Fatal(err)
		}
		return run.Status == "done" || run.Status == "failed"
	}) {
		t.Fatalf("run not done: %+v", run)
	}
	// Stock 3 for 4 members: 3 issued, the last finds it sold out.
	if run.Status != "done" || run.Issued != 3 || run.Skipped != 1 || run.FinishedAt == nil {
		t.Fatalf("run: %+v", run)
	}
	count := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM coupons WHERE template_id = $1`, tpl.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 3 {
		t.Fatalf("%d coupons issued, want 3", n)
	}
	// Re-running the same run: the job again (the run is done) and the issue itself with
	// the run's id, after more stock, issue nothing more.
	if err := svc.RunSegmentIssue(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE coupon_templates SET total_stock = 100 WHERE id = $1`, tpl.ID); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.IssueToSegment(ops, tpl.ID, coupons.Segment{Tags: []string{"vip"}}, run.ID.String())
	if err != nil || rep.Issued != 1 {
		// the member skipped for stock gets one now; the three issued to are keyed by the run
		t.Fatalf("re-run: %+v %v", rep, err)
	}
	if n := count(); n != 4 {
		t.Fatalf("%d coupons after the re-run, want 4", n)
	}
	if _, err := svc.SegmentRun(ops, uuid.New()); err == nil {
		t.Fatal("an unknown run was found")
	}
}
