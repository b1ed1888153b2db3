package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/billing"
)

// BillRunWorker carries out one bill run (billing.Service.Execute): the mall's
// contracts in batches of 200, each committed with the run's progress, so a retried
// job continues where the last attempt stopped and bills nothing twice. It is enqueued
// by billing.StartRun (unique per run), never on a schedule.
type BillRunWorker struct {
	river.WorkerDefaults[billing.RunArgs]
	Billing *billing.Service
}

// Timeout bounds an attempt: a large mall's run (5,000 contracts) takes seconds; an
// attempt cut short is continued by the next.
func (*BillRunWorker) Timeout(*river.Job[billing.RunArgs]) time.Duration { return 30 * time.Minute }

// Work carries out the run.
func (w *BillRunWorker) Work(ctx context.Context, j *river.Job[billing.RunArgs]) error {
	return w.Billing.Execute(ctx, j.Args.RunID)
}

// billingJob registers the worker when the billing service is given.
func billingJob(d Deps) job {
	return job{register: func(w *river.Workers) {
		if d.Billing != nil {
			river.AddWorker(w, &BillRunWorker{Billing: d.Billing})
		}
	}}
}
