package loyalty_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/page"
)

func TestTransferPointsWithinLimits(t *testing.T) {
	b := setup(t)
	if err := b.svc.SetProgram(b.admin, loyalty.Program{GroupID: b.org.GroupID, TierBasis: "spend", TierWindowDays: 365,
		PointsExpiryDays: 365, PointValue: d("0.01"), TransferMax: 60, TransferDailyMax: 100}); err != nil {
		t.Fatal(err)
	}
	alice, bob := b.member(), b.member()
	b.bought(alice, "200", "0", "0")
	ctx := shopperCtx(alice.ID)
	send := func(pts string) error {
		_, err := b.svc.TransferPoints(ctx, loyalty.TransferInput{FromCardID: alice.Card, ToCardNumber: bob.Number,
			Points: d(pts), IdempotencyKey: key()})
		return err
	}
	if err := send("61"); !errors.Is(err, loyalty.ErrTransferLimit) {
		t.Errorf("over the per-transfer limit: %v", err)
	}
	if err := send("60"); err != nil {
		t.Fatal(err)
	}
	if err := send("41"); !errors.Is(err, loyalty.ErrTransferLimit) {
		t.Errorf("over the daily limit: %v", err)
	}
	if err := send("40"); err != nil {
		t.Fatal(err)
	}
	_, err := b.svc.TransferPoints(shopperCtx(bob.ID), loyalty.TransferInput{FromCardID: alice.Card,
		ToCardNumber: bob.Number, Points: d("1"), IdempotencyKey: key()})
	if !errors.Is(err, loyalty.ErrCardNotFound) {
		t.Errorf("someone else's card: %v", err)
	}
	eq(t, "alice", b.balances(alice.Card).Points, "100")
	eq(t, "bob", b.balances(bob.Card).Points, "100")
	b.verify()
}

// A leaderboard rebuilt after its Redis keys are deleted equals the one before.
func TestLeaderboardRebuild(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	month := b.clock.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
	var ms []member
	for i := range 5 {
		m := b.member()
		ms = append(ms, m)
		b.bought(m, d("10").Mul(d(string(rune('1'+i)))).String(), "0", "0")
	}
	// Built on first read, then kept up to date after each commit.
	if _, err := b.svc.Leaderboard(b.desk, b.org.MallID, month, 10); err != nil {
		t.Fatal(err)
	}
	b.bought(ms[0], "100", "0", "0")
	before, err := b.svc.Leaderboard(b.desk, b.org.MallID, month, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 5 || before[0].MemberID != ms[0].ID || !before[0].Points.Equal(d("110")) {
		t.Fatalf("leaderboard = %+v, want member 0 first with 110", before)
	}
	mine, err := b.svc.MyRank(b.desk, b.org.MallID, month, ms[4].ID)
	if err != nil || mine.Rank != 2 {
		t.Fatalf("my rank = %+v, %v; want 2", mine, err)
	}
	keys, err := b.redis.Keys(ctx, b.redis.Prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	if err := b.redis.Del(ctx, keys...).Err(); err != nil {
		t.Fatal(err)
	}
	after, err := b.svc.Leaderboard(b.desk, b.org.MallID, month, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("rebuilt leaderboard %+v differs from %+v", after, before)
	}
}

func TestReferralRewardOnce(t *testing.T) {
	b := setup(t)
	if err := b.svc.SetProgram(b.admin, loyalty.Program{GroupID: b.org.GroupID, TierBasis: "spend", TierWindowDays: 365,
		PointsExpiryDays: 365, PointValue: d("0.01"), TransferMax: 1, TransferDailyMax: 1, ReferralPoints: 500,
		ReferralMinAmount: d("50")}); err != nil {
		t.Fatal(err)
	}
	referrer, referee := b.member(), b.member()
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE members SET referrer_id = $2 WHERE id = $1`, referee.ID, referrer.ID); err != nil {
		t.Fatal(err)
	}
	for _, amount := range []string{"20", "60", "70"} { // the first does not qualify
		b.bought(referee, amount, "0", "0")
	}
	eq(t, "referrer points", b.balances(referrer.Card).Points, "500")
	// A new member with a phone already rewarded brings nothing.
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE members SET phone = NULL WHERE id = $1`, referee.ID); err != nil {
		t.Fatal(err)
	}
	again := b.member()
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE members SET referrer_id = $2,
		phone = (SELECT phone FROM loyalty_referrals WHERE referee_id = $3) WHERE id = $1`, again.ID, referrer.ID, referee.ID); err != nil {
		t.Fatal(err)
	}
	b.bought(again, "80", "0", "0")
	eq(t, "referrer points", b.balances(referrer.Card).Points, "500")
	b.verify()
}

func TestTierDowngradePolicy(t *testing.T) {
	b := setup(t)
	ctx := b.admin
	silver, err := b.svc.AddTier(ctx, loyalty.Tier{GroupID: b.org.GroupID, Code: "silver", Name: "Silver", Rank: 1,
		Threshold: d("100"), DiscountRate: d("1"), PointsMultiplier: d("1")})
	if err != nil {
		t.Fatal(err)
	}
	m := b.member()
	p, err := b.buy(m, "150", "0", "0")
	if err != nil || !p.Upgraded || *p.TierID != silver.ID {
		t.Fatalf("upgrade: %+v, %v", p, err)
	}
	// Within the first window the tier is kept.
	if n, err := b.svc.DowngradeTiers(context.Background(), b.org.GroupID, b.clock.Now().AddDate(0, 0, 200)); err != nil || n != 0 {
		t.Fatalf("downgraded %d, %v within the window", n, err)
	}
	// A window later without spending, the member drops to no tier.
	if n, err := b.svc.DowngradeTiers(context.Background(), b.org.GroupID, b.clock.Now().AddDate(0, 0, 366)); err != nil || n != 1 {
		t.Fatalf("downgraded %d, %v after the window", n, err)
	}
	if n := b.count(`SELECT count(*) FROM members WHERE id = $1 AND tier_id IS NULL`, m.ID); n != 1 {
		t.Error("member kept the tier")
	}
}

func TestRemindersOnceEach(t *testing.T) {
	b := setup(t)
	m := b.member()
	now := b.clock.Now()
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE members SET birthday = $2 WHERE id = $1`, m.ID,
		time.Date(1990, now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	b.bought(m, "10", "0", "0") // points expire in a year
	for range 2 {
		if _, err := b.svc.Remind(context.Background(), now.AddDate(0, 0, 360), 30); err != nil {
			t.Fatal(err)
		}
		if _, err := b.svc.Remind(context.Background(), now, 30); err != nil {
			t.Fatal(err)
		}
	}
	list, err := b.svc.MyNotifications(shopperCtx(m.ID), page.Request{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, n := range list.Items {
		kinds[n.Kind]++
	}
	if kinds["birthday"] != 1 || kinds["points_expiring"] != 1 {
		t.Errorf("notifications %v, want one birthday and one expiring notice", kinds)
	}
}

// boardMatchesPostgres checks the Redis leaderboard against PostgreSQL's sums.
func boardMatchesPostgres(t *testing.T, b bundle, month string) {
	t.Helper()
	ctx := context.Background()
	board, err := b.svc.Leaderboard(b.desk, b.org.MallID, month, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := map[uuid.UUID]string{}
	for _, r := range board {
		got[r.MemberID] = r.Points.String()
	}
	rows, err := b.db.Pool.Query(ctx, `SELECT member_id, sum(points)::int::text FROM loyalty_points_earned
		WHERE mall_id = $1 GROUP BY member_id HAVING sum(points) <> 0`, b.org.MallID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uuid.UUID]string{}
	for rows.Next() {
		var m uuid.UUID
		var p string
		if err := rows.Scan(&m, &p); err != nil {
			t.Fatal(err)
		}
		want[m] = p
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("leaderboard %v, PostgreSQL %v", got, want)
	}
}

// An earning committed while a rebuild is between its PostgreSQL read and its Redis
// write is on the rebuilt board (queued, then applied), and counted once.
func TestLeaderboardRebuildKeepsConcurrentEarnings(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	month := b.clock.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
	m1, m2 := b.member(), b.member()
	b.bought(m1, "50", "0", "0")
	if _, err := b.svc.Leaderboard(b.desk, b.org.MallID, month, 10); err != nil { // builds the board
		t.Fatal(err)
	}
	b.svc.SetRebuildPause(func() {
		if _, err := b.buy(m2, "70", "0", "0"); err != nil {
			t.Error(err)
		}
		if _, err := b.buy(m1, "30", "0", "0"); err != nil {
			t.Error(err)
		}
	})
	if err := b.svc.RebuildLeaderboard(ctx, b.org.MallID, month); err != nil {
		t.Fatal(err)
	}
	b.svc.SetRebuildPause(nil)
	b.bought(m2, "5", "0", "0") // after the rebuild: applied directly
	boardMatchesPostgres(t, b, month)

	// A purchase whose commit a rebuild already saw is not added again when its
	// after-commit step runs late.
	once := sync.Once{}
	b.svc.SetCommitPause(func() {
		once.Do(func() {
			if err := b.svc.RebuildLeaderboard(ctx, b.org.MallID, month); err != nil {
				t.Error(err)
			}
		})
	})
	b.bought(m1, "40", "0", "0")
	b.svc.SetCommitPause(nil)
	boardMatchesPostgres(t, b, month)
}

// Purchases and refunds racing repeated rebuilds leave the board exactly equal to
// PostgreSQL: nothing lost, nothing counted twice.
func TestLeaderboardExactUnderConcurrentRebuilds(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	month := b.clock.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
	ms := []member{b.member(), b.member(), b.member(), b.member()}
	if _, err := b.svc.Leaderboard(b.desk, b.org.MallID, month, 10); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := b.svc.RebuildLeaderboard(ctx, b.org.MallID, month); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var buyers sync.WaitGroup
	for _, m := range ms {
		buyers.Add(1)
		go func() {
			defer buyers.Done()
			for i := range 12 {
				p, err := b.buy(m, "10", "0", "0")
				if err != nil {
					t.Error(err)
					return
				}
				if i%4 == 3 { // some claw-backs too
					if _, err := b.svc.RefundPurchase(b.staff, loyalty.RefundInput{MerchantID: b.org.MerchantID,
						ReceiptNo: p.ReceiptNo, IdempotencyKey: key()}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	buyers.Wait()
	close(stop)
	wg.Wait()
	boardMatchesPostgres(t, b, month)
}

// Birthdays follow the configured business time zone: at 02:00 UTC on 11 March it is
// still 10 March in New York but already 11 March in Shanghai.
func TestBirthdaysUseTheBusinessTimeZone(t *testing.T) {
	b := setup(t)
	m := b.member()
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE members SET birthday = '1990-03-10' WHERE id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 11, 2, 0, 0, 0, time.UTC)
	greeted := func(svc *loyalty.Service) int {
		t.Helper()
		if _, err := svc.Remind(context.Background(), now, 30); err != nil {
			t.Fatal(err)
		}
		return b.count(`SELECT count(*) FROM loyalty_notifications WHERE member_id = $1 AND kind = 'birthday'`, m.ID)
	}
	if n := greeted(b.svc); n != 0 { // default Asia/Shanghai: 11 March
		t.Fatalf("greeted on the wrong day in Shanghai: %d", n)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	inNY := loyalty.New(loyalty.Deps{DB: b.db, Ledger: b.ledger, Redis: b.redis, Org: b.orgs, Coupons: b.cps,
		Zones: calendar.NewZones(ny), Now: b.clock.Now})
	if n := greeted(inNY); n != 1 {
		t.Fatalf("not greeted on 10 March in New York: %d", n)
	}
}

// TestLeaderboardIsForTheMallsPeople: a mall's board (member ids and points) is read by
// staff covering the mall and by members of its group; staff of another group, a
// shopper of another group and an anonymous caller get nothing.
func TestLeaderboardIsForTheMallsPeople(t *testing.T) {
	b := setup(t)
	other := ledgertest.NewOrg(t, b.db)
	mine := b.member()
	month := b.clock.Now().Format("2006-01")
	shopper := func(id uuid.UUID) context.Context {
		return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: id})
	}
	cases := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"desk of the mall", b.desk, nil},
		{"group admin", b.admin, nil},
		{"a member of the group", shopper(mine.ID), nil},
		{"a member of another group", shopper(other.Member(t, b.db)), errs.ErrForbidden},
		{"staff of another group", staffCtx(auth.RoleAdmin, auth.LevelGroup, other.GroupID), errs.ErrForbidden},
		{"anonymous", context.Background(), errs.ErrUnauthenticated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.svc.Leaderboard(tc.ctx, b.org.MallID, month, 10)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Leaderboard: %v, want %v", err, tc.want)
			}
			_, err = b.svc.MyRank(tc.ctx, b.org.MallID, month, mine.ID)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("MyRank: %v, want %v", err, tc.want)
			}
		})
	}
}
