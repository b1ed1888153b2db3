// Package workers runs Atrium's background jobs on River (a PostgreSQL-backed queue).
// A job is a thin adapter: its Work method calls one service method, where the rule
// lives. Jobs that must follow a commit are inserted in the same transaction (InsertTx).
package workers

import (
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/assets"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/payments"
	"github.com/atrium-mall/atrium/service/reports"
	"github.com/atrium-mall/atrium/service/sales"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what jobs need. A new job adds the service it calls here.
type Deps struct {
	DB      *storage.DB
	Now     func() time.Time
	Ledger  *ledger.Service  // optional: points release and expiry jobs
	Loyalty *loyalty.Service // optional: reminders and tier review

	// Bookings marks no-shows (optional).
	Bookings *bookings.Service

	// IoT jobs (optional each): device silence alarms, missed patrols, meter partitions.
	Devices *devices.Service
	Patrol  *patrol.Service
	Meters  *meters.Service
	// IoTRetention is how long device events and their exactly-once claims are kept
	// (zero: devices.DefaultRetention).
	IoTRetention devices.Retention

	Coupons *coupons.Service // optional: segment issue runs

	Arrivals *arrivals.Service // optional: biometric data retention

	Leasing    *leasing.Service    // optional: contract activation and expiry
	Sales      *sales.Service      // optional: sales alerts (not reported, declared vs verified)
	WorkOrders *workorders.Service // optional: the SLA check of work orders
	Billing    *billing.Service    // optional: bill runs
	Payments   *payments.Service   // optional: reconciliation of WeChat Pay orders and refunds
	Assets     *assets.Service     // optional: monthly depreciation, due maintenance orders
	Exports    *exports.Service    // optional: Excel exports and their expiry
	Notify     *notify.Service     // optional: notification dispatch and delivery per channel
	Reports    *reports.Service    // optional: the reports' incremental roll-ups
	MemberFees *memberfees.Service // optional: annual member fees, reminders, late penalties
}

// Client is the River client type used throughout Atrium.
type Client = river.Client[pgx.Tx]

// New builds the River client with every worker and periodic job registered.
// Start it with client.Start(ctx); stop it with client.Stop(ctx) (in-flight jobs finish).
func New(d Deps, log *slog.Logger, maxWorkers int) (*Client, error) {
	ws := river.NewWorkers()
	var periodic []*river.PeriodicJob
	for _, job := range jobs(d) {
		job.register(ws)
		if job.every > 0 {
			args := job.args
			periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(job.every),
				func() (river.JobArgs, *river.InsertOpts) { return args, nil },
				&river.PeriodicJobOpts{RunOnStart: true}))
		}
	}
	return river.NewClient(riverpgxv5.New(d.DB.Pool), &river.Config{
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: maxWorkers}},
		Workers:      ws,
		PeriodicJobs: periodic,
		Logger:       log,
	})
}

// job is one worker and, when every > 0, its schedule.
type job struct {
	register func(*river.Workers)
	args     river.JobArgs
	every    time.Duration
}

// jobs lists every job. A new job adds a line here and a file of its own.
func jobs(d Deps) []job {
	return append([]job{
		{register: func(w *river.Workers) { river.AddWorker(w, &PurgeIdempotencyWorker{DB: d.DB, RetentionDays: 90}) },
			args: PurgeIdempotencyArgs{}, every: 24 * time.Hour},
		noShowJob(d),
		couponSegmentJob(d),
		leasingJob(d),
		billingJob(d),
	}, slices.Concat(valueJobs(d), iotJobs(d), arrivalsJobs(d), salesJobs(d), workOrderJobs(d), lateFeeJobs(d),
		paymentsJobs(d), assetsJobs(d), exportJobs(d), notifyJobs(d), reportsJobs(d), memberFeesJobs(d))...)
}

// iotRetention is d.IoTRetention with the defaults filled in.
func (d Deps) iotRetention() devices.Retention {
	r, def := d.IoTRetention, devices.DefaultRetention()
	if r.Months <= 0 {
		r.Months = def.Months
	}
	if r.DedupWindow <= 0 {
		r.DedupWindow = def.DedupWindow
	}
	if r.Ahead <= 0 {
		r.Ahead = def.Ahead
	}
	return r
}
