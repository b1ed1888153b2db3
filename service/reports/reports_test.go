package reports_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/reports"
)

// november seeds the small month the tests compute by hand (Shanghai wall times):
//
// cards (mall's members): c1 E-Card Silver issued 20 Oct, reissued 10 Nov; m2 E-Card Gold
// 3 Nov; m3 Stored Value (no tier) 5 Nov, cancelled 30 Nov 23:30; m2 Stored Value
// 1 Dec 00:30 (December); the other mall's member an E-Card on 4 Nov.
//
// purchases at the mall: 31 Oct 23:00 coffee 9.00 (October); Mon 2 Nov 10:15 coffee
// 30.00 and 10:45 coffee 50.00; Sat 7 Nov 15:20 shoes 300.00, refunded 100.00 on Sun
// 8 Nov 11:00; Mon 30 Nov 23:50 shoes 120.00; Tue 1 Dec 00:10 coffee 20.00 (December);
// the other mall: 2 Nov 12:00 70.00.
//
// points (the group): 15 Oct +100 available (c1); 2 Nov +50 pending (c2); 9 Nov the 50
// released to available; 20 Nov −30 spent (c1); 25 Nov +20 pending (c1); 1 Dec 00:30
// +10 available (December); a stored-value (CNY) recharge of 100 on 5 Nov (not points).
// Lots: c1 available 70 expiring 28 Nov, available 5 expiring 15 Dec, an expired lot
// dated 10 Nov (emptied when it expired: not counted).
func november(f *fixture) {
	m1, m2, m3 := f.member(f.mall, f.silver), f.member(f.mall, f.gold), f.member(f.mall, uuid.Nil)
	m4 := f.member(f.other, uuid.Nil)
	c1 := f.card(m1, f.ecard, local(2026, time.October, 20, 9, 0), nil)
	f.card(m1, f.ecard, local(2026, time.November, 10, 9, 0), &c1)
	c2 := f.card(m2, f.ecard, local(2026, time.November, 3, 9, 0), nil)
	c3 := f.card(m3, f.stored, local(2026, time.November, 5, 9, 0), nil)
	f.event(c3, "cancel", local(2026, time.November, 30, 23, 30), `{}`)
	f.card(m2, f.stored, local(2026, time.December, 1, 0, 30), nil)
	c4 := f.card(m4, f.ecard, local(2026, time.November, 4, 9, 0), nil)

	f.purchase(f.mall, f.coffee, m1, c1, "9.00", local(2026, time.October, 31, 23, 0))
	f.purchase(f.mall, f.coffee, m1, c1, "30.00", local(2026, time.November, 2, 10, 15))
	f.purchase(f.mall, f.coffee, m2, c2, "50.00", local(2026, time.November, 2, 10, 45))
	shoes := f.purchase(f.mall, f.shoe, m2, c2, "300.00", local(2026, time.November, 7, 15, 20))
	f.refund(shoes, "100.00", local(2026, time.November, 8, 11, 0))
	f.purchase(f.mall, f.shoe, m3, c3, "120.00", local(2026, time.November, 30, 23, 50))
	f.purchase(f.mall, f.coffee, m2, c2, "20.00", local(2026, time.December, 1, 0, 10))
	f.purchase(f.other, f.otherShop, m4, c4, "70.00", local(2026, time.November, 2, 12, 0))

	a1, p1 := f.account(c1, "card", "points"), f.account(c1, "card_pending", "points")
	a2, p2 := f.account(c2, "card", "points"), f.account(c2, "card_pending", "points")
	cny := f.account(c2, "card", "cny")
	outside := uuid.New()
	f.exec(`INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached) VALUES
		($1, $2, 'outside', '00000000-0000-0000-0000-000000000000', 'cny', false)`, outside, f.group)
	earn := f.post(local(2026, time.October, 15, 12, 0), "points", a1, "100", f.issuance, "-100")
	f.post(local(2026, time.November, 2, 12, 0), "points", p2, "50", f.issuance, "-50")
	f.post(local(2026, time.November, 9, 12, 0), "points", p2, "-50", a2, "50")
	f.post(local(2026, time.November, 20, 12, 0), "points", a1, "-30", f.redeemed, "30")
	f.post(local(2026, time.November, 25, 12, 0), "points", p1, "20", f.issuance, "-20")
	f.post(local(2026, time.December, 1, 0, 30), "points", a1, "10", f.issuance, "-10")
	f.post(local(2026, time.November, 5, 12, 0), "cny", cny, "100", outside, "-100")
	f.lot(a1, c1, earn, "available", "70", local(2026, time.November, 28, 0, 0))
	f.lot(a1, c1, earn, "available", "5", local(2026, time.December, 15, 0, 0))
	f.lot(a1, c1, earn, "expired", "0", local(2026, time.November, 10, 0, 0))
}

func adminOf(mall uuid.UUID) context.Context {
	return servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelMall, mall))
}

func rangeOf(t *testing.T, from, to string) reports.Range {
	f, err1 := reports.ParseMonth(from)
	tt, err2 := reports.ParseMonth(to)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return reports.Range{From: f, To: tt}
}

// text renders a table's rows as "a|b|c" lines.
func text(tb reports.Table) []string {
	var out []string
	for _, r := range tb.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = reports.Cell(c)
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func rollUp(t *testing.T, f *fixture) reports.RollUpResult {
	t.Helper()
	res, err := f.set.Reports.RollUp(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestReportsOfASeededMonth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	november(f)
	if got := rollUp(t, f); got[reports.SourceCardEvents] != 8 || got[reports.SourcePurchases] != 7 ||
		got[reports.SourceRefunds] != 1 || got[reports.SourceLedgerPoints] != 14 {
		t.Fatalf("rolled up %v", got)
	}
	ctx := adminOf(f.mall)
	nov := rangeOf(t, "2026-11", "2026-11")

	cases := []struct {
		name string
		run  func() (reports.Table, error)
		want []string
	}{
		{"cards: November by type and tier, reissue is renewed, active carries October, December apart",
			func() (reports.Table, error) { r, err := f.set.Reports.Cards(ctx, f.mall, nov); return r.Table(), err },
			[]string{"2026-11|E-Card|Gold|1|0|0|1", "2026-11|E-Card|Silver|0|1|0|1", "2026-11|Stored Value||1|0|1|0"}},
		{"cards: October to December",
			func() (reports.Table, error) {
				r, err := f.set.Reports.Cards(ctx, f.mall, rangeOf(t, "2026-10", "2026-12"))
				return r.Table(), err
			},
			[]string{"2026-10|E-Card|Silver|1|0|0|1", "2026-11|E-Card|Gold|1|0|0|1", "2026-11|E-Card|Silver|0|1|0|1",
				"2026-11|Stored Value||1|0|1|0", "2026-12|Stored Value|Gold|1|0|0|1"}},
		{"cards: the other mall's members",
			func() (reports.Table, error) {
				r, err := f.set.Reports.Cards(adminOf(f.other), f.other, nov)
				return r.Table(), err
			},
			[]string{"2026-11|E-Card||1|0|0|1"}},
		{"consumption: November by every dimension, in the mall's time zone",
			func() (reports.Table, error) {
				r, err := f.set.Reports.Consumption(ctx, f.mall, nov)
				return r.Table(), err
			},
			[]string{
				"total|||4|500.00|125.00|1|100.00|400.00",
				"month|2026-11||4|500.00|125.00|1|100.00|400.00",
				"hour|10||2|80.00|40.00|0|0.00|80.00",
				"hour|11||0|0.00|0.00|1|100.00|-100.00",
				"hour|15||1|300.00|300.00|0|0.00|300.00",
				"hour|23||1|120.00|120.00|0|0.00|120.00",
				"weekday|1||3|200.00|66.67|0|0.00|200.00",
				"weekday|6||1|300.00|300.00|0|0.00|300.00",
				"weekday|7||0|0.00|0.00|1|100.00|-100.00",
				"category|零售||2|420.00|210.00|1|100.00|320.00",
				"category|餐饮||2|80.00|40.00|0|0.00|80.00",
				"merchant|COFFEE|Coffee|2|80.00|40.00|0|0.00|80.00",
				"merchant|SHOE|Shoes|2|420.00|210.00|1|100.00|320.00",
			}},
		{"points: October and November liability, expiring lots, December apart",
			func() (reports.Table, error) {
				r, err := f.set.Reports.Points(ctx, f.mall, rangeOf(t, "2026-10", "2026-11"))
				return r.Table(), err
			},
			[]string{"2026-10|100.00|100.00|0.00|0.00", "2026-11|20.00|120.00|20.00|70.00"}},
		{"points: December",
			func() (reports.Table, error) {
				r, err := f.set.Reports.Points(ctx, f.mall, rangeOf(t, "2026-12", "2026-12"))
				return r.Table(), err
			},
			[]string{"2026-12|10.00|130.00|20.00|5.00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := c.run()
			if err != nil {
				t.Fatal(err)
			}
			if got := text(tb); !slices.Equal(got, c.want) {
				t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if tb.AsOf == nil || !tb.AsOf.Equal(now.Add(-reports.Settle)) {
				t.Errorf("as of %v, want %v", tb.AsOf, now.Add(-reports.Settle))
			}
		})
	}
}

// rollups is every rollup row as text.
func rollups(f *fixture) []string {
	return f.rows(`SELECT r::text FROM (
		SELECT 'c', group_id, mall_id, month, card_type_id, tier_id, issued, renewed, cancelled, 0::numeric, 0::numeric
			FROM report_card_months
		UNION ALL SELECT 'p', group_id, mall_id, month, merchant_id, NULL, weekday * 100 + hour, purchases, refunds,
			amount, refunded FROM report_consumption_months
		UNION ALL SELECT 'l', group_id, NULL, month, NULL, NULL, 0, 0, 0, available, pending FROM report_points_months
		UNION ALL SELECT 'x', group_id, NULL, month, NULL, NULL, 0, 0, 0, points, 0 FROM report_points_expiry
	) r ORDER BY 1`)
}

func TestRollUpIsIncrementalAndRerunSafe(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	november(f)
	// In batches of 2 rows: the same rollups as one big batch would give.
	if _, err := f.set.Reports.RollUpInBatches(f.ctx, 2); err != nil {
		t.Fatal(err)
	}
	first := rollups(f)
	if len(first) == 0 {
		t.Fatal("no rollups")
	}
	t.Run("a second run adds nothing", func(t *testing.T) {
		got := rollUp(t, f)
		for src, n := range got {
			if n != 0 {
				t.Errorf("%s: %d rows again", src, n)
			}
		}
		if again := rollups(f); !slices.Equal(again, first) {
			t.Errorf("rollups changed:\n%v\n%v", first, again)
		}
	})
	t.Run("two runs at once count each row once", func(t *testing.T) {
		m := f.member(f.mall, uuid.Nil)
		c := f.card(m, f.ecard, now.Add(-time.Hour), nil)
		f.purchase(f.mall, f.coffee, m, c, "10.00", now.Add(-time.Hour))
		errc := make(chan error, 4)
		for range 4 {
			go func() { _, err := f.set.Reports.RollUpInBatches(f.ctx, 1); errc <- err }()
		}
		for range 4 {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		r, err := f.set.Reports.Consumption(adminOf(f.mall), f.mall, rangeOf(t, "2026-12", "2026-12"))
		if err != nil {
			t.Fatal(err)
		}
		if got := text(r.Table())[0]; got != "total|||2|30.00|15.00|0|0.00|30.00" {
			t.Errorf("December total %s", got)
		}
	})
	t.Run("a row younger than the settle time waits for a later run", func(t *testing.T) {
		m := f.member(f.mall, uuid.Nil)
		c := f.card(m, f.ecard, now.Add(-time.Hour), nil)
		f.purchase(f.mall, f.coffee, m, c, "1.00", now.Add(-time.Second))
		if got := rollUp(t, f)[reports.SourcePurchases]; got != 0 {
			t.Errorf("an unsettled purchase rolled up (%d)", got)
		}
	})
}

func TestReportRangeIsChecked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, r := range []reports.Range{rangeOf(t, "2026-11", "2026-10"), rangeOf(t, "2020-01", "2026-11")} {
		if _, err := f.set.Reports.Consumption(adminOf(f.mall), f.mall, r); err == nil ||
			!strings.Contains(fmt.Sprint(err), "months") {
			t.Errorf("range %v: %v", r, err)
		}
	}
	if _, err := reports.ParseMonth("2026-13"); err == nil {
		t.Error("month 13 parsed")
	}
}
