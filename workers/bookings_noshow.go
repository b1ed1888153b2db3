package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/bookings"
)

// MarkNoShowsArgs asks for bookings whose slot has ended unredeemed to be marked no-shows.
type MarkNoShowsArgs struct{}

// Kind names the job.
func (MarkNoShowsArgs) Kind() string { return "bookings_mark_no_shows" }

// InsertOpts keeps one pending copy per period.
func (MarkNoShowsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 15 * time.Minute}}
}

// MarkNoShowsWorker calls bookings.Service.MarkNoShows.
type MarkNoShowsWorker struct {
	river.WorkerDefaults[MarkNoShowsArgs]
	Bookings *bookings.Service
	Now      func() time.Time
}

// Timeout bounds a run (River's default is one minute): batches of
// bookings, each its own transaction.
func (*MarkNoShowsWorker) Timeout(*river.Job[MarkNoShowsArgs]) time.Duration { return 10 * time.Minute }

// Work marks the no-shows.
func (w *MarkNoShowsWorker) Work(ctx context.Context, _ *river.Job[MarkNoShowsArgs]) error {
	if _, err := w.Bookings.RemindUpcoming(ctx); err != nil { // booking_reminder notifications
		return err
	}
	_, err := w.Bookings.MarkNoShows(ctx, w.Now())
	return err
}

// noShowJob registers the worker every 15 minutes when the bookings service is wired.
func noShowJob(d Deps) job {
	if d.Bookings == nil {
		return job{register: func(*river.Workers) {}}
	}
	return job{register: func(w *river.Workers) {
		river.AddWorker(w, &MarkNoShowsWorker{Bookings: d.Bookings, Now: d.Now})
	}, args: MarkNoShowsArgs{}, every: 15 * time.Minute}
}
