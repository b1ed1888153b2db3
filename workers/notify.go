package workers

import (
	"context"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/notify"
)

// NotifyDispatchArgs expands the outbox's new events into deliveries (notify.Dispatch).
type NotifyDispatchArgs struct{}

// Kind names the job.
func (NotifyDispatchArgs) Kind() string { return "notify_dispatch" }

// NotifyDispatchWorker calls notify.Service.Dispatch until the outbox is drained.
type NotifyDispatchWorker struct {
	river.WorkerDefaults[NotifyDispatchArgs]
	Notify *notify.Service
}

// Work dispatches; a rerun is harmless (deliveries are unique per event and channel).
func (w *NotifyDispatchWorker) Work(ctx context.Context, _ *river.Job[NotifyDispatchArgs]) error {
	for {
		n, err := w.Notify.Dispatch(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// NotifyDeliverArgs sends a channel's due deliveries (notify.Deliver): one job per
// channel, so a slow SMS provider does not hold up the inbox or WeChat.
type NotifyDeliverArgs struct {
	Channel string `json:"channel"`
}

// Kind names the job.
func (NotifyDeliverArgs) Kind() string { return "notify_deliver" }

// NotifyDeliverWorker calls notify.Service.Deliver until nothing is due.
type NotifyDeliverWorker struct {
	river.WorkerDefaults[NotifyDeliverArgs]
	Notify *notify.Service
}

// Timeout bounds a run (each claim is good for two minutes).
func (*NotifyDeliverWorker) Timeout(*river.Job[NotifyDeliverArgs]) time.Duration {
	return 5 * time.Minute
}

// Work delivers batches until none is claimed; at most once per delivery whatever
// River does with the job (claims are conditional updates).
func (w *NotifyDeliverWorker) Work(ctx context.Context, job *river.Job[NotifyDeliverArgs]) error {
	for range 20 {
		r, err := w.Notify.Deliver(ctx, job.Args.Channel, strconv.FormatInt(job.ID, 10))
		if err != nil || r.Claimed == 0 {
			return err
		}
	}
	return nil
}

// notifyJobs registers dispatch and a delivery job per channel, every 15 seconds.
func notifyJobs(d Deps) []job {
	if d.Notify == nil {
		return nil
	}
	out := []job{{register: func(w *river.Workers) {
		river.AddWorker(w, &NotifyDispatchWorker{Notify: d.Notify})
		river.AddWorker(w, &NotifyDeliverWorker{Notify: d.Notify})
	}, args: NotifyDispatchArgs{}, every: 15 * time.Second}}
	for _, ch := range notify.Channels {
		out = append(out, job{register: func(*river.Workers) {}, args: NotifyDeliverArgs{Channel: ch}, every: 15 * time.Second})
	}
	return out
}
