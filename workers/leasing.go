package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/leasing"
)

// LeasingActivateArgs asks for the contracts whose term started or ended to be moved
// (signed → active, active → expired).
type LeasingActivateArgs struct{}

// Kind names the job.
func (LeasingActivateArgs) Kind() string { return "leasing_activate_due" }

// InsertOpts keeps one pending copy per period.
func (LeasingActivateArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// LeasingActivateWorker calls leasing.Service.ActivateDue.
type LeasingActivateWorker struct {
	river.WorkerDefaults[LeasingActivateArgs]
	Leasing *leasing.Service
}

// Timeout bounds a run: one small transaction per due contract of every mall.
func (*LeasingActivateWorker) Timeout(*river.Job[LeasingActivateArgs]) time.Duration {
	return 10 * time.Minute
}

// Work moves the due contracts.
func (w *LeasingActivateWorker) Work(ctx context.Context, _ *river.Job[LeasingActivateArgs]) error {
	_, err := w.Leasing.ActivateDue(ctx)
	return err
}

// leasingJob registers the worker hourly (contracts start at local midnight in each
// mall's zone) when the leasing service is wired.
func leasingJob(d Deps) job {
	if d.Leasing == nil {
		return job{register: func(*river.Workers) {}}
	}
	return job{register: func(w *river.Workers) {
		river.AddWorker(w, &LeasingActivateWorker{Leasing: d.Leasing})
	}, args: LeasingActivateArgs{}, every: time.Hour}
}
