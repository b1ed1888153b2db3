package coupons

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

func TestIssueToSegment(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.TotalStock = 3 })
	vip := f.world.Members(t, f.db, 4)
	other := f.world.Member(t, f.db)
	if _, err := f.db.Pool.Exec(f.ctx, `UPDATE members SET tags = '{vip}', last_login_at = $2 WHERE id = ANY($1)`,
		vip, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.claim(t, tpl, vip[0]) // already at the limit of 1
	ops := f.world.MallStaffAs(f.ctx, "member_ops")
	seg := Segment{Tags: []string{"vip"}, LastVisitAfter: f.clock.Now().Add(-time.Hour)}
	rep, err := f.svc.IssueToSegment(ops, tpl.ID, seg, "run1")
	// 4 matched: vip[0] is at its limit, two get the remaining stock, the last finds it sold out.
	if err != nil || rep.Matched != 4 || rep.Issued != 2 || rep.Skipped != 2 {
		t.Fatalf("segment: %+v %v", rep, err)
	}
	var n int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM coupons WHERE member_id = $1`, other).Scan(&n)
	if n != 0 {
		t.Fatal("a member outside the segment got a coupon")
	}
	if again, err := f.svc.IssueToSegment(ops, tpl.ID, seg, "run1"); err != nil || again.Issued != 0 {
		t.Fatalf("re-run: %+v %v", again, err)
	}
}

func TestSegmentFilters(t *testing.T) {
	f := setup(t)
	ms := f.world.Members(t, f.db, 6)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := f.db.Pool.Exec(f.ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	gold, silver := uuid.New(), uuid.New()
	exec(`INSERT INTO loyalty_tiers (id, group_id, code, name, rank, threshold) VALUES
		($1, $3, 'gold', 'Gold', 2, 1000), ($2, $3, 'silver', 'Silver', 1, 100)`, gold, silver, f.world.GroupID)
	exec(`UPDATE members SET tier_id = $2 WHERE id = ANY($1)`, ms[:2], gold)
	exec(`UPDATE members SET tier_id = $2 WHERE id = $1`, ms[2], silver)
	exec(`UPDATE members SET tags = '{vip}' WHERE id = ANY($1)`, []uuid.UUID{ms[1], ms[3]})
	exec(`UPDATE members SET last_login_at = $2 WHERE id = ANY($1)`, ms[:4], f.clock.Now().Add(-time.Hour))
	exec(`UPDATE members SET last_login_at = $2 WHERE id = ANY($1)`, ms[4:], f.clock.Now().AddDate(0, 0, -60))
	ct := uuid.New()
	exec(`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'std', 'Std', 'points')`, ct, f.world.GroupID)
	buy := func(member uuid.UUID, payable, refunded int, daysAgo int) {
		t.Helper()
		card := uuid.New()
		exec(`INSERT INTO cards (id, group_id, member_id, card_type_id, number) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, card, f.world.GroupID, member, ct, card.String())
		exec(`INSERT INTO loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id,
			amount, discount_rate, payable, stored_value, points_used, points_value, cash, points_earned, refunded, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, 1, $8, 0, 0, 0, $8, 0, $9, $10)`,
			uuid.New(), f.world.GroupID, f.world.MallID, f.world.MerchantA, uuid.NewString()[:20], member, card,
			payable, refunded, f.clock.Now().AddDate(0, 0, -daysAgo))
	}
	buy(ms[0], 600, 0, 5)   // 600 in window
	buy(ms[1], 600, 300, 5) // 300 net in window
	buy(ms[2], 900, 0, 40)  // outside a 30-day window
	buy(ms[3], 300, 0, 1)
	buy(ms[3], 300, 0, 2) // 600 in two purchases

	ops := f.world.MallStaffAs(f.ctx, "member_ops")
	cases := []struct {
		name string
		seg  Segment
		want []uuid.UUID
	}{
		{"tier", Segment{TierIDs: []uuid.UUID{gold}}, ms[:2]},
		{"tiers", Segment{TierIDs: []uuid.UUID{gold, silver}}, ms[:3]},
		{"tags", Segment{Tags: []string{"vip"}}, []uuid.UUID{ms[1], ms[3]}},
		{"spend", Segment{MinSpend: decimal.NewFromInt(500), SpendWindowDays: 30}, []uuid.UUID{ms[0], ms[3]}},
		{"spend wide window", Segment{MinSpend: decimal.NewFromInt(500), SpendWindowDays: 90}, []uuid.UUID{ms[0], ms[2], ms[3]}},
		{"last visit", Segment{LastVisitAfter: f.clock.Now().AddDate(0, 0, -7)}, ms[:4]},
		{"combined", Segment{TierIDs: []uuid.UUID{gold}, Tags: []string{"vip"}}, ms[1:2]},
		{"tier and spend", Segment{TierIDs: []uuid.UUID{gold}, MinSpend: decimal.NewFromInt(500), SpendWindowDays: 30}, ms[:1]},
	}
	for i, c := range cases {
		tpl := f.cashTemplate(t, func(in *TemplateInput) { in.Name = c.name })
		rep, err := f.svc.IssueToSegment(ops, tpl.ID, c.seg, "filters"+string(rune('a'+i)))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		rows, err := f.db.Pool.Query(f.ctx, `SELECT member_id FROM coupons WHERE template_id = $1 ORDER BY member_id`, tpl.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			t.Fatal(err)
		}
		want := append([]uuid.UUID(nil), c.want...)
		slices.SortFunc(want, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		if rep.Matched != len(want) || rep.Issued != len(want) || !slices.Equal(got, want) {
			t.Errorf("%s: report %+v, issued to %v, want %v", c.name, rep, got, want)
		}
	}
	if _, err := f.svc.IssueToSegment(ops, f.template(t, f.cashInput()).ID,
		Segment{MinSpend: decimal.NewFromInt(1)}, "nowindow"); err == nil {
		t.Error("a minimum spend without a window was accepted")
	}
}
