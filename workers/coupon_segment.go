package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/coupons"
)

// CouponSegmentWorker runs coupons.RunSegmentIssue for one segment issue run; the
// service stores the run's report (issued, skipped) on the run row.
type CouponSegmentWorker struct {
	river.WorkerDefaults[coupons.SegmentIssueArgs]
	Coupons *coupons.Service
}

// Timeout bounds a run (River's default is one minute): one
// idempotent issue per member, so a retried run continues without issuing twice.
func (*CouponSegmentWorker) Timeout(*river.Job[coupons.SegmentIssueArgs]) time.Duration {
	return 30 * time.Minute
}

// Work carries out the run.
func (w *CouponSegmentWorker) Work(ctx context.Context, j *river.Job[coupons.SegmentIssueArgs]) error {
	return w.Coupons.RunSegmentIssue(ctx, j.Args.RunID)
}

// couponSegmentJob registers the worker when the coupons service is given; it is
// enqueued by coupons.StartSegmentIssue, never on a schedule.
func couponSegmentJob(d Deps) job {
	return job{register: func(w *river.Workers) {
		if d.Coupons != nil {
			river.AddWorker(w, &CouponSegmentWorker{Coupons: d.Coupons})
		}
	}}
}
