package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/payments"
)

// PaymentsReconcileArgs asks for one reconciliation run of WeChat Pay orders and
// refunds (payments.Service.Reconcile): every minute, orders still waiting for their
// notification after a minute are queried (paid: processed exactly as the notification
// would be; expired: closed at WeChat Pay and here), and so are pending refunds.
type PaymentsReconcileArgs struct{}

// Kind names the job.
func (PaymentsReconcileArgs) Kind() string { return "payments_reconcile" }

// InsertOpts keeps one pending copy per minute.
func (PaymentsReconcileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// PaymentsReconcileWorker calls payments.Service.Reconcile.
type PaymentsReconcileWorker struct {
	river.WorkerDefaults[PaymentsReconcileArgs]
	Payments *payments.Service
}

// Timeout bounds a run: up to 100 orders and 100 refunds, one WeChat Pay query each
// (the HTTP client's 5-second timeout) plus their transactions.
func (*PaymentsReconcileWorker) Timeout(*river.Job[PaymentsReconcileArgs]) time.Duration {
	return 5 * time.Minute
}

// Work reconciles; a rerun is harmless (every change is a conditional transition).
func (w *PaymentsReconcileWorker) Work(ctx context.Context, _ *river.Job[PaymentsReconcileArgs]) error {
	_, err := w.Payments.Reconcile(ctx)
	return err
}

// paymentsJobs registers the reconciliation, every minute, when payments are wired.
func paymentsJobs(d Deps) []job {
	if d.Payments == nil {
		return nil
	}
	return []job{{register: func(w *river.Workers) {
		river.AddWorker(w, &PaymentsReconcileWorker{Payments: d.Payments})
	}, args: PaymentsReconcileArgs{}, every: time.Minute}}
}
