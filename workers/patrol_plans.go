package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/patrol"
)

// PatrolRoundsArgs asks for patrol plans' rounds to be materialised ahead and the due
// ones checked.
type PatrolRoundsArgs struct{}

// Kind names the job.
func (PatrolRoundsArgs) Kind() string { return "patrol_rounds" }

// InsertOpts keeps one pending copy per period.
func (PatrolRoundsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 5 * time.Minute}}
}

// PatrolRoundsWorker calls patrol.Service.RunPlans: reruns and two instances are
// harmless (rounds are unique per plan and start, due rounds are locked and checked once).
type PatrolRoundsWorker struct {
	river.WorkerDefaults[PatrolRoundsArgs]
	Patrol *patrol.Service
	Now    func() time.Time
}

// Timeout bounds a run: every plan's next two days and the due rounds.
func (*PatrolRoundsWorker) Timeout(*river.Job[PatrolRoundsArgs]) time.Duration {
	return 5 * time.Minute
}

// Work materialises and checks rounds.
func (w *PatrolRoundsWorker) Work(ctx context.Context, _ *river.Job[PatrolRoundsArgs]) error {
	_, err := w.Patrol.RunPlans(ctx, w.Now())
	return err
}
