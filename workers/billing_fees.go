package workers

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/billing"
)

// Late fees (issue 13): an hourly fan-out inserts one billing.LateFeeArgs job per mall
// and local day (unique by its arguments), which accrues the mall's overdue bills from
// their watermarks (billing.Service.AccrueLateFees). A second insert is refused and a
// rerun of the day accrues nothing: the watermark already reached yesterday.

// LateFeeFanoutArgs asks for one late-fee job per mall.
type LateFeeFanoutArgs struct{}

// Kind names the job.
func (LateFeeFanoutArgs) Kind() string { return "billing_late_fees_fanout" }

// InsertOpts keeps one pending copy per hour.
func (LateFeeFanoutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// LateFeeFanoutWorker inserts the day's per-mall late-fee jobs.
type LateFeeFanoutWorker struct {
	river.WorkerDefaults[LateFeeFanoutArgs]
	Billing *billing.Service
}

// Timeout bounds a run: one read of the malls and one insert per mall.
func (*LateFeeFanoutWorker) Timeout(*river.Job[LateFeeFanoutArgs]) time.Duration {
	return 2 * time.Minute
}

// Work inserts one billing.LateFeeArgs per mall for its local day.
func (w *LateFeeFanoutWorker) Work(ctx context.Context, _ *river.Job[LateFeeFanoutArgs]) error {
	days, err := w.Billing.LateFeeDays(ctx)
	if err != nil || len(days) == 0 {
		return err
	}
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, 0, len(days))
	for id, day := range days {
		params = append(params, river.InsertManyParams{Args: billing.LateFeeArgs{MallID: id, Day: day.String()}})
	}
	_, err = client.InsertMany(ctx, params)
	return err
}

// LateFeeWorker accrues one mall's late fees.
type LateFeeWorker struct {
	river.WorkerDefaults[billing.LateFeeArgs]
	Billing *billing.Service
}

// Timeout bounds a run: the mall's overdue bills in batches of 500, one transaction each.
func (*LateFeeWorker) Timeout(*river.Job[billing.LateFeeArgs]) time.Duration { return 10 * time.Minute }

// Work accrues the mall's late fees.
func (w *LateFeeWorker) Work(ctx context.Context, j *river.Job[billing.LateFeeArgs]) error {
	_, err := w.Billing.AccrueLateFees(ctx, j.Args.MallID)
	return err
}

// lateFeeJobs registers the late-fee jobs when the billing service is given.
func lateFeeJobs(d Deps) []job {
	if d.Billing == nil {
		return nil
	}
	return []job{{register: func(w *river.Workers) {
		river.AddWorker(w, &LateFeeFanoutWorker{Billing: d.Billing})
		river.AddWorker(w, &LateFeeWorker{Billing: d.Billing})
	}, args: LateFeeFanoutArgs{}, every: time.Hour}}
}
