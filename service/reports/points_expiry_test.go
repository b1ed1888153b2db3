package reports_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/reports"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestPointsExpiryRollupFollowsTheLots moves points through the ledger (the clock
// moved to each step's Shanghai time), rolls up midway and at the end, and checks
// that the rolled-up points per month of expiry are what the live lots (available and
// pending) hold per month of expiry, and the hand-computed figures:
//
//	1 Oct  c1 earns 100 (expires 20 Oct) and 200 (15 Nov), and 50 pending until
//	       8 Oct (10 Jan 2027); c2 earns 80 expiring 1 Dec 00:30 (December in
//	       Shanghai, still November in UTC)
//	5 Oct  c1 spends 60 (from the October lot)           ← first roll-up on 5 Oct
//	6 Oct  30 of c1's pending lot and 40 of c2's lot clawed back (refunds)
//	7 Oct  c1 reissued as c1b: every lot moves with its expiry (40, 200, 20 pending)
//	9 Oct  the pending lot released (no move)
//	21 Oct the October lot's 40 expire                     ← second roll-up on 25 Oct
//
// October 0, November 200, December 40, January 20.
func TestPointsExpiryRollupFollowsTheLots(t *testing.T) {
	t.Parallel()
	clk := &clock{at: local(2026, time.October, 1, 10, 0)}
	f := newFixtureOn(t, storetest.DB(t), servicetest.Clock(clk.now))
	l := f.set.Ledger
	m1, m2 := f.member(f.mall, uuid.Nil), f.member(f.mall, uuid.Nil)
	c1 := f.card(m1, f.ecard, clk.now(), nil)
	c2 := f.card(m2, f.ecard, clk.now(), nil)
	inTx := func(card uuid.UUID, fn func(ctx context.Context, tx pgx.Tx, group uuid.UUID) error) {
		t.Helper()
		ctx := context.Background()
		if err := f.set.DB.InTx(ctx, func(tx pgx.Tx) error {
			group, err := l.LockCardsTx(ctx, tx, card)
			if err != nil {
				return err
			}
			return fn(ctx, tx, group)
		}); err != nil {
			t.Fatal(err)
		}
	}
	earn := func(card uuid.UUID, points int64, availableAt, expires time.Time, key string) uuid.UUID {
		t.Helper()
		var lot uuid.UUID
		inTx(card, func(ctx context.Context, tx pgx.Tx, group uuid.UUID) error {
			e, err := l.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: card, Points: decimal.NewFromInt(points),
				From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: availableAt, ExpiresAt: expires,
				Kind: "earn", Key: key})
			lot = e.LotID
			return err
		})
		return lot
	}
	clawback := func(card, lot uuid.UUID, points int64, key string) {
		t.Helper()
		inTx(card, func(ctx context.Context, tx pgx.Tx, group uuid.UUID) error {
			_, err := l.ClawbackTx(ctx, tx, ledger.Clawback{GroupID: group, CardID: card,
				Points: decimal.NewFromInt(points), LotID: lot, Key: key})
			return err
		})
	}
	live := func() []string {
		return f.rows(`SELECT month || ' ' || points FROM (
				SELECT to_char(date_trunc('month', l.expires_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM') AS month,
					sum(l.remaining)::text AS points
				FROM ledger_lots l JOIN ledger_accounts a ON a.id = l.account_id
				WHERE a.group_id = '` + f.group.String() + `' AND l.status IN ('available', 'pending') AND l.remaining > 0
				GROUP BY 1) x ORDER BY 1`)
	}
	rolled := func() []string {
		return f.rows(`SELECT to_char(month, 'YYYY-MM') || ' ' || points::text FROM report_points_expiry
			WHERE group_id = '` + f.group.String() + `' AND points <> 0 ORDER BY month`)
	}
	check := func(step string, want []string) {
		t.Helper()
		got := rolled()
		if l := live(); !slices.Equal(got, l) {
			t.Errorf("%s: rolled up\n%s\nlive lots\n%s", step, strings.Join(got, "\n"), strings.Join(l, "\n"))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: rolled up\n%s\nwant\n%s", step, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}

	start := clk.now()
	earn(c1, 100, start, local(2026, time.October, 20, 23, 59), "earn-1")
	earn(c1, 200, start, local(2026, time.November, 15, 23, 59), "earn-2")
	pendingLot := earn(c1, 50, local(2026, time.October, 8, 10, 0), local(2027, time.January, 10, 23, 59), "earn-3")
	c2Lot := earn(c2, 80, start, local(2026, time.December, 1, 0, 30), "earn-4")

	clk.set(local(2026, time.October, 5, 10, 0))
	inTx(c1, func(ctx context.Context, tx pgx.Tx, group uuid.UUID) error {
		_, _, err := l.SpendTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "purchase", Key: "spend-1",
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: decimal.NewFromInt(60)}}},
			c1, decimal.NewFromInt(60))
		return err
	})
	clk.set(local(2026, time.October, 5, 11, 0))
	if n := rollUp(t, f)[reports.SourceLotMoves]; n != 5 { // 4 creations, the spend, nothing else yet
		t.Errorf("first roll-up took %d lot moves, want 5", n)
	}
	check("after the spend", []string{"2026-10 40.00", "2026-11 200.00", "2026-12 80.00", "2027-01 50.00"})

	clk.set(local(2026, time.October, 6, 10, 0))
	clawback(c1, pendingLot, 30, "clawback-1")
	clawback(c2, c2Lot, 40, "clawback-2")

	clk.set(local(2026, time.October, 7, 10, 0))
	c1b := f.card(m1, f.ecard, clk.now(), &c1)
	if err := f.set.DB.InTx(context.Background(), func(tx pgx.Tx) error {
		return l.MoveCardTx(context.Background(), tx, c1, c1b, "reissue-1")
	}); err != nil {
		t.Fatal(err)
	}

	clk.set(local(2026, time.October, 9, 10, 0))
	if released, err := l.ReleasePending(context.Background(), clk.now()); err != nil || !released.Equal(decimal.NewFromInt(20)) {
		t.Fatalf("released %v, %v; want 20", released, err)
	}
	clk.set(local(2026, time.October, 21, 10, 0))
	if expired, err := l.ExpireLots(context.Background(), clk.now()); err != nil || !expired.Equal(decimal.NewFromInt(40)) {
		t.Fatalf("expired %v, %v; want 40", expired, err)
	}

	clk.set(local(2026, time.October, 25, 10, 0))
	rollUp(t, f)
	want := []string{"2026-11 200.00", "2026-12 40.00", "2027-01 20.00"}
	check("at the end", want)
	if again := rollUp(t, f)[reports.SourceLotMoves]; again != 0 {
		t.Errorf("a rerun took %d lot moves again", again)
	}
	check("after a rerun", want)

	r, err := f.set.Reports.Points(adminOf(f.mall), f.mall, rangeOf(t, "2026-10", "2027-01"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range r.Rows {
		got = append(got, row.Month.String()+" "+row.Expiring.StringFixed(2))
	}
	if w := []string{"2026-10 0.00", "2026-11 200.00", "2026-12 40.00", "2027-01 20.00"}; !slices.Equal(got, w) {
		t.Errorf("report's expiring points %v, want %v", got, w)
	}
}
