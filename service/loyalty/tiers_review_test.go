package loyalty_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/workers"
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

// BenchmarkTierReview runs the daily tier review over a group of a million tier
// holders (ATRIUM_BENCH_TIER_MEMBERS to change it; every third keeps its tier by a
// purchase in the window) and reports members/s, alternated in each iteration with the
// old per-member path (one transaction per member) over a sample of 2,000 holders of
// another group doing the same durable work, and the ratio. It fails when the review
// does not finish within the daily job's timeout (workers.LoyaltyDailyTimeout).
//
//	go test -run '^$' -bench TierReview -benchtime 2x -timeout 30m ./service/loyalty
func BenchmarkTierReview(b *testing.B) {
	s := setup(b)
	ctx := context.Background()
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("ATRIUM_BENCH_TIER_MEMBERS")); err == nil && v > 0 {
		n = v
	}
	const sampleN = 2000
	now := s.clock.Now()
	held := now.AddDate(-2, 0, 0)
	sample := ledgertest.NewOrg(b, s.db)
	big, small := silverTier(b, s, s.org), silverTier(b, s, sample)
	card := s.member().Card
	seeded := time.Now()
	tierHolders(b, s, s.org, n, big.ID, held, 3, "150", card, now.AddDate(0, -1, 0))
	tierHolders(b, s, sample, sampleN, small.ID, held, 3, "150", card, now.AddDate(0, -1, 0))
	if _, err := s.db.Pool.Exec(ctx, `ANALYZE loyalty_purchases`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d + %d tier holders in %s", n, sampleN, time.Since(seeded).Round(time.Second))
	// reset gives every holder of org its tier back, as before a review.
	reset := func(org ledgertest.Org, tier loyalty.Tier) {
		if _, err := s.db.Pool.Exec(ctx, `UPDATE members SET tier_id = $2, tier_since = $3
			WHERE group_id = $1 AND tier_since IS NOT NULL`, org.GroupID, tier.ID, held); err != nil {
			b.Fatal(err)
		}
		if _, err := s.db.Pool.Exec(ctx, `DELETE FROM loyalty_tier_reviews WHERE group_id = $1`, org.GroupID); err != nil {
			b.Fatal(err)
		}
		if _, err := s.db.Pool.Exec(ctx, `VACUUM ANALYZE members`); err != nil {
			b.Fatal(err)
		}
	}
	var batched, perMember time.Duration
	var slowest time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		reset(sample, small)
		start := time.Now()
		moved, err := s.svc.DowngradeTiersPerMember(ctx, sample.GroupID, now)
		perMember += time.Since(start)
		if err != nil || moved != sampleN-sampleN/3 {
			b.Fatalf("per member: moved %d, %v", moved, err)
		}
		reset(s.org, big)
		b.StartTimer()
		start = time.Now()
		moved, err = s.svc.DowngradeTiers(ctx, s.org.GroupID, now)
		took := time.Since(start)
		b.StopTimer()
		batched += took
		slowest = max(slowest, took)
		if err != nil || moved != n-n/3 {
			b.Fatalf("set-based: moved %d, %v", moved, err)
		}
	}
	rate := float64(n*b.N) / batched.Seconds()
	baseline := float64(sampleN*b.N) / perMember.Seconds()
	b.ReportMetric(rate, "members/s")
	b.ReportMetric(baseline, "per-member-baseline-members/s")
	b.ReportMetric(rate/baseline, "x-baseline")
	b.ReportMetric(slowest.Seconds(), "s/review")
	b.ReportMetric(100*slowest.Seconds()/workers.LoyaltyDailyTimeout.Seconds(), "%-of-job-timeout")
	b.Logf("%d members reviewed in %s (slowest run), job timeout %s; per-member path %.0f members/s, set-based %.0f members/s (%.1fx)",
		n, slowest.Round(time.Millisecond), workers.LoyaltyDailyTimeout, baseline, rate, rate/baseline)
	if slowest > workers.LoyaltyDailyTimeout {
		b.Fatalf("the review of %d members took %s, over the job timeout %s", n, slowest, workers.LoyaltyDailyTimeout)
	}
}
