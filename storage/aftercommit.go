package storage

import (
	"context"
	"sync"
)

// AfterCommit collects work to do once a transaction has committed — announcements
// on Redis of what it changed — for code that runs inside a transaction it does not
// own: a call-out hook runs in the producer's transaction (devices.AlarmHook,
// patrol.MissHook, iot.MeterAnomalies) and cannot tell when, or whether, it commits.
// The transaction's owner puts a collector in the context (WithAfterCommit), the hook
// queues its work there (Defer), and the owner runs it after a successful commit
// (Run) or drops it (a rollback: nothing is announced that did not happen). A
// savepoint that may roll back on its own takes a child collector and, once released,
// hands its work to the parent (Defer(parent, child.Run)).
type AfterCommit struct {
	mu  sync.Mutex
	fns []func(context.Context)
}

type afterCommitKey struct{}

// WithAfterCommit returns ctx carrying a new, empty collector, and the collector.
func WithAfterCommit(ctx context.Context) (context.Context, *AfterCommit) {
	a := &AfterCommit{}
	return context.WithValue(ctx, afterCommitKey{}, a), a
}

// Defer queues fn on the collector ctx carries and reports whether there was one;
// without one the caller cannot know when its transaction commits and should not
// announce anything.
func Defer(ctx context.Context, fn func(context.Context)) bool {
	a, _ := ctx.Value(afterCommitKey{}).(*AfterCommit)
	if a == nil {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fns = append(a.fns, fn)
	return true
}

// Reset drops the queued work: a transaction attempt that is run again starts afresh.
func (a *AfterCommit) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fns = nil
}

// Run runs the queued work in order, once, with a context that outlives the caller's
// cancellation (the transaction has committed: its announcements go out).
func (a *AfterCommit) Run(ctx context.Context) {
	a.mu.Lock()
	fns := a.fns
	a.fns = nil
	a.mu.Unlock()
	ctx = context.WithoutCancel(ctx)
	for _, fn := range fns {
		fn(ctx)
	}
}
