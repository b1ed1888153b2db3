package reports_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/reports"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// clock is a test clock the test moves.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.at = t }

// TestMemberMonthsOfSeededMonths seeds members through the members context (desk
// registrations, exits applied, approved, rejected and restored, tiers set), the clock
// moved to each step's Shanghai time, rolls up twice (mid-November and at the end)
// and checks the member report against hand-computed rows:
//
//	10 Oct 10:00  a (then Silver) and b (then Gold) register at the mall
//	31 Oct 23:30  c registers (October in Shanghai, 15:30 UTC)
//	 1 Nov 00:30  d registers (November in Shanghai, still 31 Oct in UTC)
//	 5 Nov        e registers at the other mall
//	12 Nov        a's exit approved                          ← first roll-up on 15 Nov
//	20 Nov        b's exit approved; 25 Nov c's exit rejected (not counted)
//	 1 Dec 10:00  b restored; 11:00 d's exit approved         ← second roll-up on 2 Dec
//
// October: c (no tier), b (Gold), a (Silver) new, 1 each at the month's end.
// November: d new (no tier, 2 at the end); a and b exited (Silver 0, Gold 0).
// December: d exited (no tier 1); b restored (Gold 1); Silver carried at 0.
func TestMemberMonthsOfSeededMonths(t *testing.T) {
	t.Parallel()
	clk := &clock{at: local(2026, time.October, 10, 10, 0)}
	f := newFixtureOn(t, storetest.DB(t), servicetest.Clock(clk.now))
	ms := f.set.Members
	desk := adminOf(f.mall)
	group := servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, f.group))
	phone := 13800000000
	register := func(mall uuid.UUID, at time.Time) uuid.UUID {
		t.Helper()
		clk.set(at)
		phone++
		m, err := ms.RegisterAtDesk(adminOf(mall), members.DeskRegistration{MallID: mall,
			Profile: members.Profile{Name: "M", Phone: strconv.Itoa(phone)}})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	exit := func(member uuid.UUID, at time.Time, approve bool) uuid.UUID {
		t.Helper()
		clk.set(at)
		e, err := ms.ApplyExit(group, member, "moving away")
		if err != nil {
			t.Fatal(err)
		}
		if approve {
			_, err = ms.ApproveExit(group, e.ID, "")
		} else {
			_, err = ms.RejectExit(group, e.ID, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	tier := func(member, tier uuid.UUID) {
		t.Helper()
		if err := members.SetTier(f.ctx, f.set.DB.Pool, member, &tier, clk.now()); err != nil {
			t.Fatal(err)
		}
	}
	a := register(f.mall, local(2026, time.October, 10, 10, 0))
	tier(a, f.silver)
	b := register(f.mall, local(2026, time.October, 10, 10, 0))
	tier(b, f.gold)
	c := register(f.mall, local(2026, time.October, 31, 23, 30))
	d := register(f.mall, local(2026, time.November, 1, 0, 30))
	register(f.other, local(2026, time.November, 5, 9, 0))
	exit(a, local(2026, time.November, 12, 9, 0), true)

	clk.set(local(2026, time.November, 15, 12, 0))
	if got := rollUp(t, f); got[reports.SourceMembers] != 5 || got[reports.SourceMemberExits] != 1 ||
		got[reports.SourceMemberRestores] != 0 {
		t.Fatalf("first roll-up %v", got)
	}
	bExit := exit(b, local(2026, time.November, 20, 9, 0), true)
	exit(c, local(2026, time.November, 25, 9, 0), false)
	clk.set(local(2026, time.December, 1, 10, 0))
	if _, err := ms.RestoreExit(group, bExit, "came back"); err != nil {
		t.Fatal(err)
	}
	exit(d, local(2026, time.December, 1, 11, 0), true)

	clk.set(now)
	if got := rollUp(t, f); got[reports.SourceMembers] != 0 || got[reports.SourceMemberExits] != 2 ||
		got[reports.SourceMemberRestores] != 1 {
		t.Fatalf("second roll-up %v", got)
	}
	rollups := f.rows(`SELECT concat_ws('|', mall_id, month, tier_id, registered, exited, restored) FROM report_member_months ORDER BY 1`)
	if got := rollUp(t, f); got[reports.SourceMembers]+got[reports.SourceMemberExits]+got[reports.SourceMemberRestores] != 0 {
		t.Fatalf("rerun rolled up %v", got)
	}
	if again := f.rows(`SELECT concat_ws('|', mall_id, month, tier_id, registered, exited, restored) FROM report_member_months ORDER BY 1`); !slices.Equal(again, rollups) {
		t.Fatalf("rerun changed the rollup: %q → %q", rollups, again)
	}

	cases := []struct {
		name string
		ctx  contextT
		mall uuid.UUID
		r    reports.Range
		want []string
	}{
		{"October to December: new, exited, restored, active carried per tier", desk, f.mall,
			rangeOf(t, "2026-10", "2026-12"), []string{
				"2026-10||1|0|0|1", "2026-10|Gold|1|0|0|1", "2026-10|Silver|1|0|0|1",
				"2026-11||1|0|0|2", "2026-11|Gold|0|1|0|0", "2026-11|Silver|0|1|0|0",
				"2026-12||0|1|0|1", "2026-12|Gold|0|0|1|1", "2026-12|Silver|0|0|0|0"}},
		{"November alone: active carries October", desk, f.mall, rangeOf(t, "2026-11", "2026-11"), []string{
			"2026-11||1|0|0|2", "2026-11|Gold|0|1|0|0", "2026-11|Silver|0|1|0|0"}},
		{"September: nothing yet", desk, f.mall, rangeOf(t, "2026-09", "2026-09"), nil},
		{"the other mall's members", adminOf(f.other), f.other, rangeOf(t, "2026-11", "2026-12"), []string{
			"2026-11||1|0|0|1", "2026-12||0|0|0|1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := f.set.Reports.Members(tc.ctx, tc.mall, tc.r)
			if err != nil {
				t.Fatal(err)
			}
			tb := rep.Table()
			if got := text(tb); !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
			if tb.AsOf == nil || !tb.AsOf.Equal(now.Add(-reports.Settle)) {
				t.Errorf("asOf %v", tb.AsOf)
			}
		})
	}

	rep, err := f.set.Reports.Members(desk, f.mall, rangeOf(t, "2026-10", "2026-12"))
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Table().Summary
	if s == nil || !slices.Equal(s.Months, []string{"2026-10", "2026-11", "2026-12"}) ||
		summaryInts(s, 0) != "3 1 0" || summaryInts(s, 1) != "0 2 1" || summaryInts(s, 2) != "3 2 2" {
		t.Errorf("summary %+v", s)
	}
}

// TestMemberMonthsAuthorization: the mall's admin, finance and member operations read
// the member report; another mall's or group's staff, a wrong role and a shopper
// get FORBIDDEN.
func TestMemberMonthsAuthorization(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := rangeOf(t, "2026-11", "2026-11")
	for _, role := range []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleMemberOps} {
		if _, err := f.set.Reports.Members(servicetest.Context(servicetest.Staff(role, auth.LevelMall, f.mall)), f.mall, r); err != nil {
			t.Errorf("%s: %v", role, err)
		}
	}
	denied := map[string]contextT{
		"another mall's admin":  adminOf(f.other),
		"another group's admin": servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, uuid.New())),
		"leasing":               servicetest.Context(servicetest.Staff(auth.RoleLeasing, auth.LevelMall, f.mall)),
		"shopper":               servicetest.Context(servicetest.Shopper(uuid.New())),
	}
	for who, ctx := range denied {
		if rep, err := f.set.Reports.Members(ctx, f.mall, r); err == nil || len(rep.Rows) != 0 {
			t.Errorf("%s: %v %v", who, rep.Rows, err)
		}
	}
}

// summaryInts is a summary series' values as "1 2 3".
func summaryInts(s *reports.Summary, i int) string {
	var out []string
	for _, v := range s.Series[i].Values {
		out = append(out, v.String())
	}
	return strings.Join(out, " ")
}
