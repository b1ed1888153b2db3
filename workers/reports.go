package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/reports"
)

// ReportsRollUpArgs asks for one incremental roll-up of the reports' sources
// (reports.Service.RollUp): every minute, the card events, purchases, refunds and
// ledger entries after each source's watermark are added to the rollups.
type ReportsRollUpArgs struct{}

// Kind names the job.
func (ReportsRollUpArgs) Kind() string { return "reports_rollup" }

// InsertOpts keeps one pending copy per minute.
func (ReportsRollUpArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// ReportsRollUpWorker calls reports.Service.RollUp.
type ReportsRollUpWorker struct {
	river.WorkerDefaults[ReportsRollUpArgs]
	Reports *reports.Service
}

// Timeout bounds a run: a first run over a long history reads it all, in batches each
// committed on its own, so a run cut short resumes where it stopped.
func (*ReportsRollUpWorker) Timeout(*river.Job[ReportsRollUpArgs]) time.Duration {
	return 30 * time.Minute
}

// Work rolls up; a rerun adds nothing twice (watermarks advance with the upserts).
func (w *ReportsRollUpWorker) Work(ctx context.Context, _ *river.Job[ReportsRollUpArgs]) error {
	_, err := w.Reports.RollUp(ctx)
	return err
}

// reportsJobs registers the roll-up, every minute, when reports are wired.
func reportsJobs(d Deps) []job {
	if d.Reports == nil {
		return nil
	}
	return []job{{register: func(w *river.Workers) {
		river.AddWorker(w, &ReportsRollUpWorker{Reports: d.Reports})
	}, args: ReportsRollUpArgs{}, every: time.Minute}}
}
