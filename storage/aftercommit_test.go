package storage

import (
	"context"
	"testing"
)

// TestAfterCommit: work queued in a collector runs once, in order, after Run; a reset
// (a retried attempt) or a dropped child collector (a rolled-back savepoint) runs
// nothing; without a collector Defer says so.
func TestAfterCommit(t *testing.T) {
	var got []string
	note := func(s string) func(context.Context) { return func(context.Context) { got = append(got, s) } }
	if Defer(context.Background(), note("lost")) {
		t.Fatal("Defer without a collector reported one")
	}
	ctx, a := WithAfterCommit(context.Background())
	Defer(ctx, note("first attempt"))
	a.Reset()
	Defer(ctx, note("a"))
	child, released := WithAfterCommit(ctx)
	Defer(child, note("b"))
	Defer(ctx, released.Run) // the savepoint was released
	rolledBack, _ := WithAfterCommit(ctx)
	Defer(rolledBack, note("dropped")) // the savepoint rolled back: its collector is dropped
	Defer(ctx, note("c"))
	a.Run(ctx)
	a.Run(ctx)
	if want := []string{"a", "b", "c"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("ran %v, want %v", got, want)
	}
}
