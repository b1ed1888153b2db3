package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// ReleasePointsArgs makes pending points whose return window ended available.
type ReleasePointsArgs struct{}

// Kind names the job.
func (ReleasePointsArgs) Kind() string { return "ledger_release_points" }

// ReleasePointsWorker runs ledger.ReleasePending.
type ReleasePointsWorker struct {
	river.WorkerDefaults[ReleasePointsArgs]
	Ledger *ledger.Service
	Now    func() time.Time
}

// Timeout bounds a run (River's default is one minute): one
// transaction per card; a stopped run leaves the rest for the next one.
func (*ReleasePointsWorker) Timeout(*river.Job[ReleasePointsArgs]) time.Duration {
	return 10 * time.Minute
}

// Work releases due pending points.
func (w *ReleasePointsWorker) Work(ctx context.Context, _ *river.Job[ReleasePointsArgs]) error {
	_, err := w.Ledger.ReleasePending(ctx, w.Now())
	return err
}

// ExpirePointsArgs expires points lots whose business day ended.
type ExpirePointsArgs struct{}

// Kind names the job.
func (ExpirePointsArgs) Kind() string { return "ledger_expire_points" }

// ExpirePointsWorker runs ledger.ExpireLots.
type ExpirePointsWorker struct {
	river.WorkerDefaults[ExpirePointsArgs]
	Ledger *ledger.Service
	Now    func() time.Time
}

// Timeout bounds a run (River's default is one minute): one
// transaction per card; a stopped run leaves the rest for the next one.
func (*ExpirePointsWorker) Timeout(*river.Job[ExpirePointsArgs]) time.Duration {
	return 10 * time.Minute
}

// Work expires due lots.
func (w *ExpirePointsWorker) Work(ctx context.Context, _ *river.Job[ExpirePointsArgs]) error {
	_, err := w.Ledger.ExpireLots(ctx, w.Now())
	return err
}

// LoyaltyDailyTimeout bounds the daily loyalty job. The tier review is batched and
// resumable (a run stopped by the timeout is retried by River and continues where it
// stopped); BenchmarkTierReview in service/loyalty shows a million members reviewed
// well within it.
const LoyaltyDailyTimeout = 30 * time.Minute

// LoyaltyDailyArgs runs the daily loyalty jobs: reminders and the tier review.
type LoyaltyDailyArgs struct{}

// Kind names the job.
func (LoyaltyDailyArgs) Kind() string { return "loyalty_daily" }

// InsertOpts makes the job unique per day.
func (LoyaltyDailyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

// LoyaltyDailyWorker runs loyalty.Remind (points expiring within 7 days) and
// loyalty.DowngradeAllTiers.
type LoyaltyDailyWorker struct {
	river.WorkerDefaults[LoyaltyDailyArgs]
	Loyalty *loyalty.Service
	Now     func() time.Time
}

// Timeout bounds a run (River's default is one minute): see
// LoyaltyDailyTimeout.
func (*LoyaltyDailyWorker) Timeout(*river.Job[LoyaltyDailyArgs]) time.Duration {
	return LoyaltyDailyTimeout
}

// Work records reminders and reviews tiers.
func (w *LoyaltyDailyWorker) Work(ctx context.Context, _ *river.Job[LoyaltyDailyArgs]) error {
	now := w.Now()
	if _, err := w.Loyalty.Remind(ctx, now, 7); err != nil {
		return err
	}
	_, err := w.Loyalty.DowngradeAllTiers(ctx, now)
	return err
}

// valueJobs are the ledger and loyalty jobs; none when those services are not wired.
func valueJobs(d Deps) []job {
	var out []job
	if d.Ledger != nil {
		out = append(out,
			job{register: func(w *river.Workers) { river.AddWorker(w, &ReleasePointsWorker{Ledger: d.Ledger, Now: d.Now}) },
				args: ReleasePointsArgs{}, every: 15 * time.Minute},
			// Lots expire at the end of a business day; a 5-minute cadence applies it promptly.
			job{register: func(w *river.Workers) { river.AddWorker(w, &ExpirePointsWorker{Ledger: d.Ledger, Now: d.Now}) },
				args: ExpirePointsArgs{}, every: 5 * time.Minute})
	}
	if d.Loyalty != nil {
		out = append(out, job{register: func(w *river.Workers) {
			river.AddWorker(w, &LoyaltyDailyWorker{Loyalty: d.Loyalty, Now: d.Now})
		}, args: LoyaltyDailyArgs{}, every: 24 * time.Hour})
	}
	return out
}
