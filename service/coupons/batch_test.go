package coupons

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBatcher: 1,000 concurrent calls on two keys each get their own answer, in batches
// of at most max, never two batches of one key at once.
func TestBatcher(t *testing.T) {
	var running [2]atomic.Int32
	var batches atomic.Int32
	b := batcher[int, int]{max: 64, run: func(_ context.Context, key string, ins []int) ([]int, error) {
		k := int(key[0] - 'a')
		if running[k].Add(1) != 1 {
			t.Error("two batches of one key at once")
		}
		defer running[k].Add(-1)
		if len(ins) > 64 {
			t.Errorf("batch of %d", len(ins))
		}
		batches.Add(1)
		time.Sleep(time.Millisecond)
		out := make([]int, len(ins))
		for i, in := range ins {
			out[i] = in * 2
		}
		return out, nil
	}}
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Go(func() {
			key := []string{"a", "b"}[i%2]
			if out, err := b.do(context.Background(), key, i); err != nil || out != i*2 {
				t.Errorf("call %d: %d, %v", i, out, err)
			}
		})
	}
	wg.Wait()
	if n := batches.Load(); n >= 1000 || len(b.queues) != 0 {
		t.Errorf("%d batches for 1,000 calls, %d queues left", n, len(b.queues))
	}
	t.Logf("%d batches", batches.Load())
}

// TestBatcherError: a failed batch fails each of its calls, and the next batch runs.
func TestBatcherError(t *testing.T) {
	fail := errors.New("redis down")
	var calls atomic.Int32
	b := batcher[int, int]{max: 8, run: func(_ context.Context, _ string, ins []int) ([]int, error) {
		if calls.Add(1) == 1 {
			return nil, fail
		}
		return make([]int, len(ins)), nil
	}}
	if _, err := b.do(context.Background(), "a", 1); !errors.Is(err, fail) {
		t.Fatalf("first call: %v", err)
	}
	if _, err := b.do(context.Background(), "a", 2); err != nil {
		t.Fatalf("second call: %v", err)
	}
}
