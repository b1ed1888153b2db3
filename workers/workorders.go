package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/workorders"
)

// WorkOrderSLAWorker runs workorders.CheckSLA for one order at one instant: it records
// the escalations the order's clocks reached and schedules the next check. The service
// enqueues it (unique by order and instant) with every event that moves a clock.
type WorkOrderSLAWorker struct {
	river.WorkerDefaults[workorders.CheckArgs]
	WorkOrders *workorders.Service
}

// Timeout bounds a run: one order's evaluation.
func (*WorkOrderSLAWorker) Timeout(*river.Job[workorders.CheckArgs]) time.Duration {
	return time.Minute
}

// Work checks the order.
func (w *WorkOrderSLAWorker) Work(ctx context.Context, j *river.Job[workorders.CheckArgs]) error {
	_, err := w.WorkOrders.CheckSLA(ctx, j.Args)
	return err
}

// workOrderJobs registers the SLA worker when the work-orders service is given; it is
// enqueued by the service, never on a schedule.
func workOrderJobs(d Deps) []job {
	if d.WorkOrders == nil {
		return nil
	}
	return []job{{register: func(w *river.Workers) {
		river.AddWorker(w, &WorkOrderSLAWorker{WorkOrders: d.WorkOrders})
	}}}
}
