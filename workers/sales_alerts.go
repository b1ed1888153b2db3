package workers

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/sales"
)

// Leasing staff's alerts (issue 12, point 7): a periodic fan-out job inserts, per mall
// and local day, a sales job (sales not reported by the due day, declared and verified
// sales apart: sales.Service.Alerts, once per merchant and month) and a leasing job
// (contracts ending within 90/60/30 days without renewal, units long vacant:
// leasing.Service.Alerts, once per contract and band, per unit and vacancy). Both notify
// through the notices' dedupe keys, so reruns and replicas notify nothing twice.

// SalesAlertsFanoutArgs asks for one SalesAlertsArgs job per mall.
type SalesAlertsFanoutArgs struct{}

// Kind names the job.
func (SalesAlertsFanoutArgs) Kind() string { return "sales_alerts_fanout" }

// InsertOpts keeps one pending copy per hour.
func (SalesAlertsFanoutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// SalesAlertsArgs asks for the sales alerts of one mall on one of its days.
type SalesAlertsArgs struct {
	MallID uuid.UUID `json:"mall_id"`
	Day    string    `json:"day"` // the mall's local day, YYYY-MM-DD
}

// Kind names the job.
func (SalesAlertsArgs) Kind() string { return "sales_alerts" }

// InsertOpts makes the job unique per mall and day (its arguments), whatever state the
// first copy is in: the hourly fan-out inserts it once a day.
func (SalesAlertsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}} // River's default states include completed
}

// SalesAlertsFanoutWorker inserts the day's per-mall jobs: sales alerts, and leasing
// alerts when Leasing is set.
type SalesAlertsFanoutWorker struct {
	river.WorkerDefaults[SalesAlertsFanoutArgs]
	Sales   *sales.Service
	Leasing *leasing.Service
	Now     func() time.Time
}

// Timeout bounds a run: one read of the malls and one insert per mall.
func (*SalesAlertsFanoutWorker) Timeout(*river.Job[SalesAlertsFanoutArgs]) time.Duration {
	return 2 * time.Minute
}

// Work inserts one SalesAlertsArgs per mall for its local day.
func (w *SalesAlertsFanoutWorker) Work(ctx context.Context, _ *river.Job[SalesAlertsFanoutArgs]) error {
	malls, err := w.Sales.Malls(ctx, w.Now())
	if err != nil {
		return err
	}
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return err
	}
	var params []river.InsertManyParams
	for id, day := range malls {
		params = append(params, river.InsertManyParams{Args: SalesAlertsArgs{MallID: id, Day: day.Format(time.DateOnly)}})
		if w.Leasing != nil {
			params = append(params, river.InsertManyParams{Args: LeasingAlertsArgs{MallID: id, Day: day.Format(time.DateOnly)}})
		}
	}
	if len(params) == 0 {
		return nil
	}
	_, err = client.InsertMany(ctx, params)
	return err
}

// SalesAlertsWorker calls sales.Service.Alerts for one mall.
type SalesAlertsWorker struct {
	river.WorkerDefaults[SalesAlertsArgs]
	Sales *sales.Service
	Now   func() time.Time
}

// Timeout bounds a run: a month's bases of one mall and a notice per merchant at most.
func (*SalesAlertsWorker) Timeout(*river.Job[SalesAlertsArgs]) time.Duration { return 5 * time.Minute }

// Work raises the mall's alerts.
func (w *SalesAlertsWorker) Work(ctx context.Context, j *river.Job[SalesAlertsArgs]) error {
	_, err := w.Sales.Alerts(ctx, j.Args.MallID, w.Now())
	return err
}

// LeasingAlertsArgs asks for the leasing alerts of one mall on one of its days.
type LeasingAlertsArgs struct {
	MallID uuid.UUID `json:"mall_id"`
	Day    string    `json:"day"` // the mall's local day, YYYY-MM-DD
}

// Kind names the job.
func (LeasingAlertsArgs) Kind() string { return "leasing_alerts" }

// InsertOpts makes the job unique per mall and day.
func (LeasingAlertsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// LeasingAlertsWorker calls leasing.Service.Alerts for one mall.
type LeasingAlertsWorker struct {
	river.WorkerDefaults[LeasingAlertsArgs]
	Leasing *leasing.Service
}

// Timeout bounds a run: the mall's units and contracts ending soon, a notice each at most.
func (*LeasingAlertsWorker) Timeout(*river.Job[LeasingAlertsArgs]) time.Duration {
	return 5 * time.Minute
}

// Work raises the mall's alerts.
func (w *LeasingAlertsWorker) Work(ctx context.Context, j *river.Job[LeasingAlertsArgs]) error {
	_, err := w.Leasing.Alerts(ctx, j.Args.MallID)
	return err
}

// salesJobs registers the alerts when the sales service is wired: the fan-out runs
// hourly (so each mall's day is caught soon after its midnight), the per-mall job once
// per mall and day.
func salesJobs(d Deps) []job {
	if d.Sales == nil {
		return nil
	}
	return []job{
		{register: func(w *river.Workers) {
			river.AddWorker(w, &SalesAlertsFanoutWorker{Sales: d.Sales, Leasing: d.Leasing, Now: d.Now})
			river.AddWorker(w, &SalesAlertsWorker{Sales: d.Sales, Now: d.Now})
			if d.Leasing != nil {
				river.AddWorker(w, &LeasingAlertsWorker{Leasing: d.Leasing})
			}
		}, args: SalesAlertsFanoutArgs{}, every: time.Hour},
	}
}
