package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/memberfees"
)

// Member fees (issue 17): annual fees are charged when their fee year starts, reminders
// go out before a fee year and when a fee is overdue, late penalties grow once a day;
// the job runs hourly and a rerun charges nothing more (each card, kind and period is
// one fee with one ledger key; reminders are deduplicated by the notify outbox).

// MemberFeesArgs asks for a fee run.
type MemberFeesArgs struct{}

// Kind names the job.
func (MemberFeesArgs) Kind() string { return "memberfees_run" }

// InsertOpts keeps one pending copy per hour.
func (MemberFeesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// MemberFeesWorker runs the fees (memberfees.Service.RunFees).
type MemberFeesWorker struct {
	river.WorkerDefaults[MemberFeesArgs]
	MemberFees *memberfees.Service
}

// Timeout bounds a run: one transaction per fee card and per overdue fee.
func (*MemberFeesWorker) Timeout(*river.Job[MemberFeesArgs]) time.Duration { return 10 * time.Minute }

// Work runs the fees.
func (w *MemberFeesWorker) Work(ctx context.Context, _ *river.Job[MemberFeesArgs]) error {
	_, err := w.MemberFees.RunFees(ctx)
	return err
}

// memberFeesJobs registers the fee run when the member fees service is given.
func memberFeesJobs(d Deps) []job {
	if d.MemberFees == nil {
		return nil
	}
	return []job{{register: func(w *river.Workers) { river.AddWorker(w, &MemberFeesWorker{MemberFees: d.MemberFees}) },
		args: MemberFeesArgs{}, every: time.Hour}}
}
