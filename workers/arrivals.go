package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/arrivals"
)

// PurgeBiometricsArgs asks for face mappings and snapshots past their retention to be
// deleted.
type PurgeBiometricsArgs struct{}

// Kind names the job.
func (PurgeBiometricsArgs) Kind() string { return "arrivals_purge_biometrics" }

// InsertOpts keeps one pending copy per day.
func (PurgeBiometricsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

// PurgeBiometricsWorker calls arrivals.Service.PurgeExpired.
type PurgeBiometricsWorker struct {
	river.WorkerDefaults[PurgeBiometricsArgs]
	Arrivals *arrivals.Service
	Now      func() time.Time
}

// Timeout bounds a run (River's default is one minute): batches of
// 500 snapshots; a rerun continues with what is left.
func (*PurgeBiometricsWorker) Timeout(*river.Job[PurgeBiometricsArgs]) time.Duration {
	return 30 * time.Minute
}

// Work deletes what is past its retention.
func (w *PurgeBiometricsWorker) Work(ctx context.Context, _ *river.Job[PurgeBiometricsArgs]) error {
	_, err := w.Arrivals.PurgeExpired(ctx, w.Now())
	return err
}

func arrivalsJobs(d Deps) []job {
	if d.Arrivals == nil {
		return nil
	}
	return []job{{register: func(w *river.Workers) {
		river.AddWorker(w, &PurgeBiometricsWorker{Arrivals: d.Arrivals, Now: d.Now})
	}, args: PurgeBiometricsArgs{}, every: 24 * time.Hour}}
}
