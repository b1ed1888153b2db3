package coupons

import (
	"context"
	"sync"
)

// batcher sends the calls made at the same time for one key (a template's gate) as one
// call: the caller that finds nobody calling runs a batch of everything waiting (up to
// max), and when it is done hands on to the first caller that arrived meanwhile, who
// runs the next batch. In a flash sale the gate thus answers thousands of claimers in
// a few round trips to Redis, not one each; a lone caller waits for nobody.
type batcher[In, Out any] struct {
	max int
	run func(ctx context.Context, key string, ins []In) ([]Out, error) // one Out per In

	mu     sync.Mutex
	queues map[string]*batchQueue[In, Out]
}

type batchQueue[In, Out any] struct {
	waiting []*batchCall[In, Out]
	busy    bool // a caller is running a batch
}

type batchCall[In, Out any] struct {
	in   In
	out  Out
	err  error
	lead bool          // woken to run the next batch rather than with its answer
	done chan struct{} // closed when answered, or when it is to lead
}

// do makes the call in for key, in a batch with the calls waiting with it.
func (b *batcher[In, Out]) do(ctx context.Context, key string, in In) (Out, error) {
	c := &batchCall[In, Out]{in: in, done: make(chan struct{})}
	b.mu.Lock()
	if b.queues == nil {
		b.queues = map[string]*batchQueue[In, Out]{}
	}
	q := b.queues[key]
	if q == nil {
		q = &batchQueue[In, Out]{}
		b.queues[key] = q
	}
	q.waiting = append(q.waiting, c)
	if q.busy {
		b.mu.Unlock()
		<-c.done // a batch is short; the call may already be running, so it is not abandoned
		if !c.lead {
			return c.out, c.err
		}
		b.mu.Lock()
	}
	q.busy = true
	n := min(len(q.waiting), b.max)
	batch := q.waiting[:n:n]
	q.waiting = q.waiting[n:]
	b.mu.Unlock()
	b.runBatch(context.WithoutCancel(ctx), key, batch, c)
	b.handOn(key, q)
	return c.out, c.err
}

// runBatch runs batch and answers its calls but self (the caller running it).
func (b *batcher[In, Out]) runBatch(ctx context.Context, key string, batch []*batchCall[In, Out], self *batchCall[In, Out]) {
	ins := make([]In, len(batch))
	for i, c := range batch {
		ins[i] = c.in
	}
	outs, err := b.run(ctx, key, ins)
	for i, c := range batch {
		if c.err = err; err == nil {
			c.out = outs[i]
		}
		if c != self {
			close(c.done)
		}
	}
}

// handOn wakes the first waiting call of q to run the next batch, or marks q idle.
func (b *batcher[In, Out]) handOn(key string, q *batchQueue[In, Out]) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(q.waiting) == 0 {
		q.busy = false
		delete(b.queues, key)
		return
	}
	next := q.waiting[0]
	next.lead = true
	close(next.done)
}
