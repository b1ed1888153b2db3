package loyalty_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// tierHolders seeds n members of org's group holding tier since since, in one
// statement (generate_series), and a purchase of spend at at for every keepEvery-th of
// them (0: none), presented with card. It is how tests and benchmarks get many members
// quickly; the application never writes members this way.
func tierHolders(t testing.TB, b bundle, org ledgertest.Org, n int, tier uuid.UUID, since time.Time, keepEvery int,
	spend string, card uuid.UUID, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := b.db.Pool.Exec(ctx, `INSERT INTO members (id, group_id, tier_id, tier_since)
		SELECT gen_random_uuid(), $1, $2, $3 FROM generate_series(1, $4)`, org.GroupID, tier, since, n); err != nil {
		t.Fatalf("seed members: %v", err)
	}
	if keepEvery == 0 {
		return
	}
	if _, err := b.db.Pool.Exec(ctx, `INSERT INTO loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no,
			member_id, card_id, pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value,
			cash, points_earned, created_at)
		SELECT gen_random_uuid(), $1, $2, $3, 'seed-' || m.rn, m.id, $4, $4, $5, 1, $5, 0, 0, 0, $5, 0, $6
		FROM (SELECT id, row_number() OVER () AS rn FROM members WHERE group_id = $1 AND tier_id = $7) m
		WHERE m.rn % $8 = 0`, org.GroupID, org.MallID, org.MerchantID, card, spend, at, tier, keepEvery); err != nil {
		t.Fatalf("seed purchases: %v", err)
	}
}

// silverTier adds a Silver tier (threshold 100) to org's group.
func silverTier(t testing.TB, b bundle, org ledgertest.Org) loyalty.Tier {
	t.Helper()
	admin := staffCtx(auth.RoleAdmin, auth.LevelGroup, org.GroupID)
	tier, err := b.svc.AddTier(admin, loyalty.Tier{GroupID: org.GroupID, Code: "silver", Name: "Silver", Rank: 1,
		Threshold: d("100"), DiscountRate: d("1"), PointsMultiplier: d("1")})
	if err != nil {
		t.Fatal(err)
	}
	return tier
}

// TestTierReviewResumes stops a review after two batches (as a crash or its timeout
// would) and reruns it the same day: it continues from the last committed batch with
// the first run's as-of time, moves every member once, and a third run does nothing.
func TestTierReviewResumes(t *testing.T) {
	b := setup(t)
	silver := silverTier(t, b, b.org)
	card := b.member().Card
	now := b.clock.Now()
	// 25 holders for over a year; every 5th spent 150 in the window (keeps Silver).
	tierHolders(t, b, b.org, 25, silver.ID, now.AddDate(-2, 0, 0), 5, "150", card, now.AddDate(0, -1, 0))
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	b.svc.SetTierReview(4, func() {
		if batches++; batches == 2 {
			cancel()
		}
	})
	moved1, err := b.svc.DowngradeTiers(ctx, b.org.GroupID, now)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped review: moved %d, err %v", moved1, err)
	}
	if n := b.count(`SELECT reviewed FROM loyalty_tier_reviews WHERE group_id = $1 AND finished_at IS NULL`,
		b.org.GroupID); n != 8 {
		t.Fatalf("%d reviewed before the stop, want 2 batches of 4", n)
	}
	moved2, err := b.svc.DowngradeTiers(context.Background(), b.org.GroupID, now.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if moved1+moved2 != 20 {
		t.Fatalf("moved %d + %d, want 20", moved1, moved2)
	}
	// Every move is the first run's: as of now, not three hours later.
	if n := b.count(`SELECT count(*) FROM members WHERE group_id = $1 AND tier_id IS NULL AND tier_since = $2`,
		b.org.GroupID, now); n != 20 {
		t.Fatalf("%d members moved as of the first run, want 20", n)
	}
	if n := b.count(`SELECT reviewed FROM loyalty_tier_reviews WHERE group_id = $1 AND finished_at IS NOT NULL`,
		b.org.GroupID); n != 25 {
		t.Fatalf("%d reviewed in all, want each of the 25 holders once", n)
	}
	if again, err := b.svc.DowngradeTiers(context.Background(), b.org.GroupID, now.Add(4*time.Hour)); err != nil || again != 0 {
		t.Fatalf("a finished review ran again: %d, %v", again, err)
	}
}

// TestTierReviewConcurrent: eight runs of one day's review at once move each member
// exactly once (the review's cursor row is locked per batch; a member is moved only
// from the tier it was measured at).
func TestTierReviewConcurrent(t *testing.T) {
	b := setup(t)
	silver := silverTier(t, b, b.org)
	card := b.member().Card
	now := b.clock.Now()
	tierHolders(t, b, b.org, 60, silver.ID, now.AddDate(-2, 0, 0), 3, "150", card, now.AddDate(0, -1, 0))
	b.svc.SetTierReview(7, nil)
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := b.svc.DowngradeTiers(context.Background(), b.org.GroupID, now.Add(time.Duration(i)*time.Minute))
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if total != 40 {
		t.Fatalf("moved %d in all, want 40", total)
	}
	if n := b.count(`SELECT count(*) FROM members WHERE group_id = $1 AND tier_id = $2`, b.org.GroupID, silver.ID); n != 20 {
		t.Fatalf("%d keep Silver, want 20", n)
	}
}
