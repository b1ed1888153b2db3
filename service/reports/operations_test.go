package reports_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// bookingsNovember seeds the booking month computed by hand (Shanghai wall times). The
// rows are the bookings context's (resources, slots with their booked count, bookings):
//
//	Lounge: 3 Nov 10:00 capacity 10, 4 booked (2 used, 1 open, 1 no-show);
//	        3 Nov 14:00 capacity 10, 1 booked (used); 4 Nov 10:00 capacity 5, none;
//	        31 Oct 23:30 and 1 Dec 00:30 (outside November) capacity 10, 1 booked each.
//	Yoga:   10 Nov 19:00 capacity 20, 10 booked, none used.
//	The other mall's resource: 3 Nov capacity 8, 8 booked (not the mall's).
func bookingsNovember(f *fixture) {
	lounge, yoga, elsewhere := uuid.New(), uuid.New(), uuid.New()
	f.exec(`INSERT INTO booking_resources (id, mall_id, name, kind) VALUES ($1, $4, 'Lounge', 'lounge'),
		($2, $4, 'Yoga', 'class'), ($3, $5, 'Elsewhere', 'lounge')`, lounge, yoga, elsewhere, f.mall, f.other)
	members := make([]uuid.UUID, 10)
	for i := range members {
		members[i] = f.member(f.mall, uuid.Nil)
	}
	slot := func(resource uuid.UUID, at time.Time, capacity int, statuses ...string) {
		id := uuid.New()
		f.exec(`INSERT INTO booking_slots (id, resource_id, starts_at, ends_at, capacity, booked) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, resource, at, at.Add(time.Hour), capacity, len(statuses))
		for i, st := range statuses {
			f.exec(`INSERT INTO bookings (id, slot_id, member_id, status) VALUES ($1, $2, $3, $4)`, uuid.New(), id,
				members[i], st)
		}
	}
	slot(lounge, local(2026, time.November, 3, 10, 0), 10, "used", "used", "booked", "no_show")
	slot(lounge, local(2026, time.November, 3, 14, 0), 10, "used")
	slot(lounge, local(2026, time.November, 4, 10, 0), 5)
	slot(lounge, local(2026, time.October, 31, 23, 30), 10, "used")
	slot(lounge, local(2026, time.December, 1, 0, 30), 10, "booked")
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = "booked"
	}
	slot(yoga, local(2026, time.November, 10, 19, 0), 20, ten...)
	slot(elsewhere, local(2026, time.November, 3, 10, 0), 8, ten[:8]...)
}

func TestBookingUtilisationOfASeededMonth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bookingsNovember(f)
	rep, err := f.set.Reports.Bookings(memberOps(f.mall), f.mall, rangeOf(t, "2026-11", "2026-11"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// by|period|resource|slots|capacity|booked|checked in|booked %|checked-in %
		"month|2026-11|Lounge|3|25|5|3|20.0|12.0",
		"month|2026-11|Yoga|1|20|10|0|50.0|0.0",
		"day|2026-11-03|Lounge|2|20|5|3|25.0|15.0",
		"day|2026-11-04|Lounge|1|5|0|0|0.0|0.0",
		"day|2026-11-10|Yoga|1|20|10|0|50.0|0.0",
	}
	tb := rep.Table()
	if got := text(tb); !slices.Equal(got, want) {
		t.Fatalf("booking utilisation:\n got %q\nwant %q", got, want)
	}
	if tb.Read.Replica || tb.Read.Lag != nil {
		t.Fatalf("read %+v: want the primary (no replica configured)", tb.Read)
	}
	if s := tb.Summary; s == nil || !slices.Equal(s.Months, []string{"2026-11"}) || !s.Series[0].Values[0].Equal(decimal.NewFromInt(45)) {
		t.Fatalf("summary %+v: want 2026-11 with 45 seats offered", s)
	}
}

// slaNovember seeds work orders (the workorders context's rows: orders and their
// events) against a policy set through the service: category 电气, NORMAL, around the
// clock, response 1 h, resolution 4 h.
//
//	A 3 Nov 10:00, accepted 10:30, resolved 12:00: both met.
//	B 5 Nov 10:00, accepted 12:00 (late), resolved 13:00: response breached, resolution met.
//	C 20 Nov 10:00, accepted 10:10, never resolved: response met, resolution breached by now (2 Dec).
//	D 30 Nov 23:00 URGENT (the mall's default targets), accepted 23:05: response met, resolution open.
//	E 1 Dec 09:00 (December), F 10 Nov cancelled, G the other mall's: not counted.
func slaNovember(t *testing.T, f *fixture) {
	admin := adminOf(f.mall)
	if err := f.set.WorkOrders.SetPolicy(admin, f.mall, workorders.PolicyRow{Category: "电气", Priority: sla.Normal,
		Response: time.Hour, Resolution: 4 * time.Hour, AroundTheClock: true}); err != nil {
		t.Fatal(err)
	}
	if err := f.set.WorkOrders.SetPolicy(admin, f.mall, workorders.PolicyRow{Category: "电气", Priority: sla.Urgent,
		Response: 15 * time.Minute, Resolution: 30 * 24 * time.Hour, AroundTheClock: true}); err != nil {
		t.Fatal(err)
	}
	n := 0
	order := func(mall uuid.UUID, priority, status string, opened time.Time, events ...any) {
		n++
		id := uuid.New()
		f.exec(`INSERT INTO wo_orders (id, group_id, mall_id, number, category, priority, source, description, status,
			opened_at, updated_at) VALUES ($1, $2, $3, $4, '电气', $5, 'STAFF', 'x', $6, $7, $7)`,
			id, f.group, mall, n, priority, status, opened)
		f.exec(`INSERT INTO wo_events (id, group_id, mall_id, order_id, at, actor, kind, priority)
			VALUES ($1, $2, $3, $4, $5, 'staff', 'raise', $6)`, uuid.New(), f.group, mall, id, opened, priority)
		for i := 0; i < len(events); i += 2 {
			f.exec(`INSERT INTO wo_events (id, group_id, mall_id, order_id, at, actor, kind)
				VALUES ($1, $2, $3, $4, $5, 'staff', $6)`, uuid.New(), f.group, mall, id, events[i+1], events[i])
		}
	}
	order(f.mall, "NORMAL", "RESOLVED", local(2026, time.November, 3, 10, 0),
		"accept", local(2026, time.November, 3, 10, 30), "resolve", local(2026, time.November, 3, 12, 0))
	order(f.mall, "NORMAL", "RESOLVED", local(2026, time.November, 5, 10, 0),
		"accept", local(2026, time.November, 5, 12, 0), "resolve", local(2026, time.November, 5, 13, 0))
	order(f.mall, "NORMAL", "ACCEPTED", local(2026, time.November, 20, 10, 0),
		"accept", local(2026, time.November, 20, 10, 10))
	order(f.mall, "URGENT", "ACCEPTED", local(2026, time.November, 30, 23, 0),
		"accept", local(2026, time.November, 30, 23, 5))
	order(f.mall, "NORMAL", "OPEN", local(2026, time.December, 1, 9, 0))
	order(f.mall, "NORMAL", "CANCELLED", local(2026, time.November, 10, 9, 0),
		"cancel", local(2026, time.November, 10, 9, 30))
	order(f.other, "NORMAL", "OPEN", local(2026, time.November, 10, 9, 0))
}

func TestWorkOrderSLAOfASeededMonth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	slaNovember(t, f)
	ctx := servicetest.Context(servicetest.Staff(auth.RoleMaintenance, auth.LevelMall, f.mall))
	rep, err := f.set.Reports.WorkOrderSLA(ctx, f.mall, rangeOf(t, "2026-11", "2026-11"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// month|category|priority|orders|resp met|resp breached|resp %|res met|res breached|res open|res %
		"2026-11|电气|URGENT|1|1|0|100.0|0|0|1|",
		"2026-11|电气|NORMAL|3|2|1|66.7|2|1|0|66.7",
	}
	if got := text(rep.Table()); !slices.Equal(got, want) {
		t.Fatalf("SLA compliance:\n got %q\nwant %q", got, want)
	}
}

// energyNovember seeds units through leasing, meters through the device registry and
// readings through meters.RecordTx (Shanghai wall times):
//
//	L1-01 (floor L1): electricity 100 on 1 Nov 00:00, 150 on 15 Nov, 220 on 1 Dec 00:00 (120 in November);
//	      water 10 → 12.5 over the same ends (2.5).
//	L1-02 (L1): electricity 0 → 30 (30); L2-01 (L2): electricity 1000 → 1040 (40).
//	L2-02 (L2) has no meter (absent).
func energyNovember(t *testing.T, f *fixture) {
	admin := adminOf(f.mall)
	for _, u := range []struct{ code, floor string }{{"L1-01", "L1"}, {"L1-02", "L1"}, {"L2-01", "L2"}, {"L2-02", "L2"}} {
		if _, err := f.set.Leasing.CreateUnit(admin, leasing.UnitInput{MallID: f.mall, Code: u.code, Kind: leasing.KindShop,
			Floor: u.floor, GrossArea: decimal.NewFromInt(100), LettableArea: decimal.NewFromInt(80)}); err != nil {
			t.Fatal(err)
		}
	}
	start, end := local(2026, time.November, 1, 0, 0), local(2026, time.December, 1, 0, 0)
	meter := func(unit, kind string, readings ...any) {
		d, _, err := f.set.Devices.RegisterUnchecked(admin, devices.NewDevice{ID: "m-" + uuid.NewString()[:8],
			MallID: f.mall, Type: devices.Meter, Name: unit + " " + kind, BindingKind: "unit", BindingRef: unit,
			MeterKind: kind})
		if err != nil {
			t.Fatal(err)
		}
		err = f.set.DB.InTx(f.ctx, func(tx pgx.Tx) error {
			for i := 0; i < len(readings); i += 2 {
				if _, err := meters.RecordTx(f.ctx, tx, d, uuid.NewString(), readings[i].(time.Time),
					decimal.RequireFromString(readings[i+1].(string)), now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	meter("L1-01", "electricity", start, "100", local(2026, time.November, 15, 0, 0), "150", end, "220")
	meter("L1-01", "water", start, "10", end, "12.5")
	meter("L1-02", "electricity", start, "0", end, "30")
	meter("L2-01", "electricity", start, "1000", end, "1040")
}

func TestEnergyUseOfASeededMonth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	energyNovember(t, f)
	ctx := servicetest.Context(servicetest.Staff(auth.RoleMaintenance, auth.LevelMall, f.mall))
	rep, err := f.set.Reports.Energy(ctx, f.mall, rangeOf(t, "2026-11", "2026-11"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// by|month|floor|unit|kind|amount|partial
		"unit|2026-11|L1|L1-01|electricity|120.00|",
		"unit|2026-11|L1|L1-01|water|2.50|",
		"unit|2026-11|L1|L1-02|electricity|30.00|",
		"floor|2026-11|L1||electricity|150.00|",
		"floor|2026-11|L1||water|2.50|",
		"unit|2026-11|L2|L2-01|electricity|40.00|",
		"floor|2026-11|L2||electricity|40.00|",
	}
	if got := text(rep.Table()); !slices.Equal(got, want) {
		t.Fatalf("energy use:\n got %q\nwant %q", got, want)
	}
}

// TestOperationalReportsAreScoped: another mall's admin, a wrong role, a tenant and a
// shopper get FORBIDDEN from the new reports; the group-wide points need a group grant.
func TestOperationalReportsAreScoped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	nov := rangeOf(t, "2026-11", "2026-11")
	run := map[string]func(ctx contextT) error{
		"bookings": func(ctx contextT) error { _, err := f.set.Reports.Bookings(ctx, f.mall, nov); return err },
		"sla":      func(ctx contextT) error { _, err := f.set.Reports.WorkOrderSLA(ctx, f.mall, nov); return err },
		"energy":   func(ctx contextT) error { _, err := f.set.Reports.Energy(ctx, f.mall, nov); return err },
	}
	wrong := map[string]auth.Role{"bookings": auth.RoleMaintenance, "sla": auth.RoleMemberOps, "energy": auth.RoleLeasing}
	for name, fn := range run {
		denied := map[string]contextT{
			"another mall's admin": adminOf(f.other),
			"wrong role":           servicetest.Context(servicetest.Staff(wrong[name], auth.LevelMall, f.mall)),
			"tenant":               servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, f.coffee)),
			"shopper":              servicetest.Context(servicetest.Shopper(uuid.New())),
		}
		for who, ctx := range denied {
			if err := fn(ctx); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%s, %s: %v, want FORBIDDEN", name, who, err)
			}
		}
		if err := fn(adminOf(f.mall)); err != nil {
			t.Errorf("%s, the mall's admin: %v", name, err)
		}
	}
	group := servicetest.Context(servicetest.Staff(auth.RoleFinance, auth.LevelGroup, f.group))
	if _, err := f.set.Reports.GroupPoints(group, f.group, nov); err != nil {
		t.Errorf("group finance: %v", err)
	}
	for who, ctx := range map[string]contextT{"the mall's admin": adminOf(f.mall),
		"another group's admin": servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, uuid.New()))} {
		if _, err := f.set.Reports.GroupPoints(ctx, f.group, nov); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("group points, %s: %v, want FORBIDDEN", who, err)
		}
	}
}

func memberOps(mall uuid.UUID) contextT {
	return servicetest.Context(servicetest.Staff(auth.RoleMemberOps, auth.LevelMall, mall))
}
