package auth_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestLockoutCountsBeforeTheCheck: 30 parallel attempts on one account from one address
// are counted as 30 and only the first 5 go ahead; the owner, from another address, is
// not locked out by them; a success clears the count; the account-wide limit still
// stops a guess spread over many addresses.
func TestLockoutCountsBeforeTheCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("30 parallel attempts, 5 go ahead", func(t *testing.T) {
		l := auth.NewLockout(storetest.Redis(t), 5, 15*time.Minute)
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for range 30 {
			wg.Go(func() {
				ok, _, err := l.Reserve(ctx, "desk", "198.51.100.7")
				if err != nil {
					t.Error(err)
				}
				if ok {
					allowed.Add(1)
				}
			})
		}
		wg.Wait()
		if allowed.Load() != 5 {
			t.Fatalf("%d attempts went ahead, want 5", allowed.Load())
		}
		ok, left, err := l.Reserve(ctx, "desk", "198.51.100.7")
		if err != nil || ok || left <= 0 || left > 15*time.Minute {
			t.Fatalf("attacker's next attempt: ok %v, lock %v, err %v", ok, left, err)
		}
	})
	t.Run("the owner from another address is not locked out", func(t *testing.T) {
		l := auth.NewLockout(storetest.Redis(t), 5, 15*time.Minute)
		for range 20 {
			_, _, _ = l.Reserve(ctx, "admin", "203.0.113.9")
		}
		if ok, _, err := l.Reserve(ctx, "ADMIN", "192.0.2.1"); err != nil || !ok {
			t.Fatalf("owner refused: ok %v, err %v", ok, err)
		}
	})
	t.Run("a success clears the count", func(t *testing.T) {
		l := auth.NewLockout(storetest.Redis(t), 5, 15*time.Minute)
		for range 4 {
			_, _, _ = l.Reserve(ctx, "ops", "192.0.2.2")
		}
		if err := l.Reset(ctx, "ops", "192.0.2.2"); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			if ok, _, err := l.Reserve(ctx, "ops", "192.0.2.2"); err != nil || !ok {
				t.Fatalf("attempt %d after a success refused: %v", i, err)
			}
		}
	})
	t.Run("a guess spread over many addresses stops at the account limit", func(t *testing.T) {
		l := auth.NewLockout(storetest.Redis(t), 5, 15*time.Minute)
		allowed := 0
		for i := range 100 {
			if ok, _, _ := l.Reserve(ctx, "guard", "10.9.0."+string(rune('0'+i%10))+string(rune('0'+i/10))); ok {
				allowed++
			}
		}
		if allowed != 5*auth.AccountFactor {
			t.Fatalf("%d attempts went ahead over 100 addresses, want %d", allowed, 5*auth.AccountFactor)
		}
	})
}

// TestUnlockClearsEveryAddress: an admin's unlock clears the account's counts from
// every address at once, and no other account's.
func TestUnlockClearsEveryAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := auth.NewLockout(storetest.Redis(t), 2, 15*time.Minute)
	for _, client := range []string{"198.51.100.1", "198.51.100.2", "2001:db8::1"} {
		for range 3 {
			_, _, _ = l.Reserve(ctx, "Desk*1", client)
			_, _, _ = l.Reserve(ctx, "other", client)
		}
	}
	if err := l.Unlock(ctx, "desk*1"); err != nil {
		t.Fatal(err)
	}
	for _, client := range []string{"198.51.100.1", "198.51.100.2", "2001:db8::1"} {
		if ok, _, err := l.Reserve(ctx, "desk*1", client); err != nil || !ok {
			t.Fatalf("%s still locked after unlock: %v", client, err)
		}
		if ok, _, _ := l.Reserve(ctx, "other", client); ok {
			t.Fatalf("unlock of desk*1 unlocked other from %s", client)
		}
	}
}
