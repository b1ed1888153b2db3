package leasing_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/page"
)

func TestUnits(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	if u.Status != leasing.UnitVacant || u.Code != "L1-01" {
		t.Fatalf("new unit: %+v", u)
	}
	bad := []struct {
		name string
		in   leasing.UnitInput
		want error
	}{
		{"the same code again", leasing.UnitInput{Code: "l1-01", Kind: leasing.KindShop, Floor: "L1",
			GrossArea: decimal.NewFromInt(10), LettableArea: decimal.NewFromInt(10)}, leasing.ErrUnitCodeTaken},
		{"lettable above gross", leasing.UnitInput{Code: "L1-02", Kind: leasing.KindShop, Floor: "L1",
			GrossArea: decimal.NewFromInt(10), LettableArea: decimal.NewFromInt(11)}, errs.ErrInvalid},
		{"no area", leasing.UnitInput{Code: "L1-03", Kind: leasing.KindKiosk, Floor: "L1"}, errs.ErrInvalid},
		{"an unknown kind", leasing.UnitInput{Code: "L1-04", Kind: "castle", Floor: "L1",
			GrossArea: decimal.NewFromInt(10), LettableArea: decimal.NewFromInt(10)}, errs.ErrInvalid},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.MallID = f.mall
			if _, err := f.svc.CreateUnit(f.leasing, tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	u.OffMarket = true
	if u, err := f.svc.UpdateUnit(f.leasing, u.ID, u.UnitInput); err != nil || u.Status != leasing.UnitOffMarket {
		t.Fatalf("off market: %+v %v", u, err)
	}
	f.unit("L1-05")
	floors, err := f.svc.Vacancy(f.leasing, f.mall, "L1")
	if err != nil || len(floors) != 1 || len(floors[0].Units) != 2 || floors[0].VacantCount != 1 ||
		!floors[0].VacantArea.Equal(decimal.NewFromInt(100)) {
		t.Fatalf("vacancy: %+v %v", floors, err)
	}
}

// TestUnitLeasedOnce: 50 contracts on one unit for overlapping dates are approved at
// once; the exclusion constraint lets exactly one hold the unit.
func TestUnitLeasedOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	const n = 50
	ids := make([]uuid.UUID, n)
	for i := range ids {
		c := f.draft(terms(schedule.D(2026, 5, 1).AddDays(i), 10000), u.ID)
		if _, err := f.svc.Submit(f.leasing, c.ID); err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, results[i] = f.svc.Approve(f.finance, ids[i], "")
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, leasing.ErrUnitAlreadyLeased):
			t.Fatalf("a losing approval: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d contracts hold the unit, want 1", won)
	}
	res, err := f.svc.Contracts(f.leasing, f.mall, leasing.ContractFilter{Status: leasing.StatusApproved, UnitID: u.ID}, page.Request{First: 100})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("approved contracts on the unit: %d, %v", len(res.Items), err)
	}
	// A contract after the first one ends holds the unit too; a draft holds nothing.
	later := f.approved(terms(schedule.D(2028, 1, 1), 10000), u.ID)
	if later.Status != leasing.StatusApproved {
		t.Fatalf("later contract: %s", later.Status)
	}
}

// TestApprovalChain: nobody approves their own contract; FINANCE above its limit
// endorses and the contract waits for ADMIN; a second FINANCE is refused.
func TestApprovalChain(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	big := f.draft(terms(schedule.D(2026, 5, 1), 200_000), u.ID) // ¥2,400,000 a year
	if _, err := f.svc.Submit(f.leasing, big.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Approve(f.leasing, big.ID, ""); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("leasing approving: %v", err)
	}
	// An admin who created a contract cannot approve it.
	own, err := f.svc.CreateContract(f.admin, leasing.ContractInput{MallID: f.mall, MerchantID: f.merchantB,
		UnitIDs: []uuid.UUID{f.unit("L1-02").ID}, Terms: terms(schedule.D(2026, 5, 1), 1000)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(f.leasing, own.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Approve(f.admin, own.ID, ""); !errors.Is(err, leasing.ErrSelfApproval) {
		t.Fatalf("self approval: %v", err)
	}
	c, d, err := f.svc.Approve(f.finance, big.ID, "fine by finance")
	if err != nil || d != leasing.DecisionEndorsed || c.Status != leasing.StatusSubmitted {
		t.Fatalf("finance above its limit: %s %s %v", d, c.Status, err)
	}
	vs, _ := f.svc.Versions(f.leasing, c)
	if vs[0].PendingRole != auth.RoleAdmin {
		t.Fatalf("pending role %s, want admin", vs[0].PendingRole)
	}
	if _, _, err := f.svc.Approve(f.staff(auth.RoleFinance, f.mall), big.ID, ""); !errors.Is(err, leasing.ErrLimitExceeded) {
		t.Fatalf("second finance: %v", err)
	}
	if _, _, err := f.svc.Approve(f.finance, big.ID, ""); !errors.Is(err, leasing.ErrAlreadyApproved) {
		t.Fatalf("finance twice: %v", err)
	}
	c, d, err = f.svc.Approve(f.admin, big.ID, "")
	if err != nil || d != leasing.DecisionApproved || c.Status != leasing.StatusApproved {
		t.Fatalf("admin: %s %s %v", d, c.Status, err)
	}
	as, _ := f.svc.Approvals(f.leasing, c)
	if len(as) != 2 || as[0].Decision != leasing.DecisionEndorsed || as[1].Role != auth.RoleAdmin {
		t.Fatalf("approvals: %+v", as)
	}
	// A mall's own limit lets FINANCE approve it alone.
	max := decimal.NewFromInt(5_000_000)
	if err := f.svc.SetApprovalLimit(f.admin, f.mall, auth.RoleFinance, &max); err != nil {
		t.Fatal(err)
	}
	c2 := f.draft(terms(schedule.D(2028, 5, 1), 200_000), u.ID)
	if _, err := f.svc.Submit(f.leasing, c2.ID); err != nil {
		t.Fatal(err)
	}
	if _, d, err := f.svc.Approve(f.finance, c2.ID, ""); err != nil || d != leasing.DecisionApproved {
		t.Fatalf("raised limit: %s %v", d, err)
	}
	// Rejection sends it back to draft; every step is audited.
	if _, err := f.svc.Reject(f.finance, own.ID, "wrong rent"); err != nil {
		t.Fatal(err)
	}
	entries, err := audit.Of(context.Background(), f.db.Pool, "leasing_contract", own.ID)
	if err != nil || len(entries) != 3 || entries[2].Action != "leasing.reject" {
		t.Fatalf("audit: %d %v", len(entries), err)
	}
}

// TestBilledPeriodNeverChanges: freeze the first months, approve an amendment effective
// in a frozen month: the frozen lines are as they were and ADJUSTMENT lines appear.
func TestBilledPeriodNeverChanges(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	c := f.signed(terms(schedule.D(2026, 1, 1), 10000), u.ID)
	n, err := f.svc.FreezeThrough(f.finance, c.ID, schedule.D(2026, 3, 31))
	if err != nil || n != 4 { // deposit + three months of rent
		t.Fatalf("freeze: %d, %v", n, err)
	}
	if n, err := f.svc.FreezeThrough(f.finance, c.ID, schedule.D(2026, 3, 31)); err != nil || n != 0 {
		t.Fatalf("freeze again: %d, %v", n, err)
	}
	before := frozen(t, f, c.ID)
	amended := terms(schedule.D(2026, 1, 1), 12000)
	if _, err := f.svc.ProposeAmendment(f.leasing, c.ID, leasing.AmendmentInput{Kind: leasing.KindAmendment,
		EffectiveFrom: schedule.D(2026, 2, 1), Terms: amended}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(f.leasing, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, d, err := f.svc.Approve(f.finance, c.ID, ""); err != nil || d != leasing.DecisionApproved {
		t.Fatalf("approve amendment: %s %v", d, err)
	}
	after := frozen(t, f, c.ID)
	if len(after) != len(before) {
		t.Fatalf("frozen lines %d → %d", len(before), len(after))
	}
	for i := range before {
		if before[i].Amount.String() != after[i].Amount.String() || before[i].Code != after[i].Code {
			t.Fatalf("frozen line %d changed: %+v → %+v", i, before[i], after[i])
		}
	}
	lines, err := f.svc.Schedule(f.leasing, c.ID, schedule.D(2026, 4, 30))
	if err != nil {
		t.Fatal(err)
	}
	var adj []schedule.Line
	var april decimal.Decimal
	for _, l := range lines {
		if l.Code == schedule.CodeAdjustment {
			adj = append(adj, l.Line)
		}
		if l.Code == schedule.CodeRent && l.BillPeriod.Start.Equal(schedule.D(2026, 4, 1)) {
			april = l.Amount
		}
	}
	if len(adj) != 2 || !adj[0].Amount.Equal(decimal.NewFromInt(2000)) || adj[0].Of != schedule.CodeRent {
		t.Fatalf("adjustments: %+v", adj)
	}
	if !april.Equal(decimal.NewFromInt(12000)) {
		t.Fatalf("april rent %s, want the amended 12000", april)
	}
	// two adjustments, April at the new rent, and the deposit top-up of the amendment
	if n, err := f.svc.FreezeThrough(f.finance, c.ID, schedule.D(2026, 4, 30)); err != nil || n != 4 {
		t.Fatalf("freeze adjustments and april: %d %v", n, err)
	}
	lines, _ = f.svc.Schedule(f.leasing, c.ID, schedule.D(2026, 4, 30))
	for _, l := range lines {
		if !l.Frozen {
			t.Fatalf("an open line after freezing everything: %+v", l)
		}
	}
}

func frozen(t *testing.T, f *fixture, id uuid.UUID) []leasing.ScheduleLine {
	t.Helper()
	lines, err := f.svc.Schedule(f.leasing, id, schedule.D(2026, 3, 31))
	if err != nil {
		t.Fatal(err)
	}
	var out []leasing.ScheduleLine
	for _, l := range lines {
		if l.Frozen {
			out = append(out, l)
		}
	}
	return out
}

// TestTerminate: an early termination lists what is left to settle and frees the unit
// after the termination date.
func TestTerminate(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	c := f.signed(terms(schedule.D(2026, 1, 1), 10000), u.ID)
	if _, err := f.svc.FreezeThrough(f.finance, c.ID, schedule.D(2026, 4, 30)); err != nil {
		t.Fatal(err)
	}
	c, st, err := f.svc.Terminate(f.leasing, c.ID, schedule.D(2026, 4, 15), "tenant closes")
	if err != nil || c.Status != leasing.StatusTerminated {
		t.Fatalf("terminate: %v", err)
	}
	// April was billed whole: 15 days of it are credited; the deposit is refunded.
	if !st.DepositHeld.Equal(decimal.NewFromInt(30000)) || !st.Outstanding.Equal(decimal.NewFromInt(-5000)) ||
		!st.Net.Equal(decimal.NewFromInt(-35000)) {
		t.Fatalf("settlement: %+v", st)
	}
	// The unit is free from the day after.
	if _, _, err := f.svc.Terminate(f.leasing, c.ID, schedule.D(2026, 4, 20), "again"); !errors.Is(err, leasing.ErrBadTransition) {
		t.Fatalf("terminate twice: %v", err)
	}
	next := f.approved(terms(schedule.D(2026, 4, 16), 9000), u.ID)
	if next.Status != leasing.StatusApproved {
		t.Fatalf("next tenant: %s", next.Status)
	}
}

// TestActivation: a signed contract shows ACTIVE from its start date, and the job stores
// it (audited); past its end it is EXPIRED.
func TestActivation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	c := f.signed(terms(schedule.D(2026, 5, 1), 10000), u.ID)
	if c.Status != leasing.StatusSigned {
		t.Fatalf("before the start: %s", c.Status)
	}
	if got, _ := f.svc.Unit(f.leasing, u.ID); got.Status != leasing.UnitReserved {
		t.Fatalf("unit before the start: %s", got.Status)
	}
	f.clock.set(time.Date(2026, 5, 1, 0, 30, 0, 0, sh))
	if c, _ = f.svc.Contract(f.leasing, c.ID); c.Status != leasing.StatusActive || c.StoredStatus != leasing.StatusSigned {
		t.Fatalf("on the start day: %s/%s", c.Status, c.StoredStatus)
	}
	if n, err := f.svc.ActivateDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("activate: %d %v", n, err)
	}
	if c, _ = f.svc.Contract(f.leasing, c.ID); c.StoredStatus != leasing.StatusActive {
		t.Fatalf("stored: %s", c.StoredStatus)
	}
	if got, _ := f.svc.Unit(f.leasing, u.ID); got.Status != leasing.UnitLeased || got.ContractID != c.ID {
		t.Fatalf("unit: %+v", got)
	}
	f.clock.set(time.Date(2027, 5, 1, 0, 30, 0, 0, sh))
	if n, err := f.svc.ActivateDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	if c, _ = f.svc.Contract(f.leasing, c.ID); c.StoredStatus != leasing.StatusExpired {
		t.Fatalf("stored: %s", c.StoredStatus)
	}
}

// TestTenantScope: a tenant sees its own contracts and their units, nothing of another
// merchant; staff of another mall see nothing.
func TestTenantScope(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	c := f.approved(terms(schedule.D(2026, 5, 1), 10000), u.ID)
	brand := uuid.New()
	mine := f.tenant(auth.RoleTenantAdmin, f.merchantA)
	theirs := f.tenant(auth.RoleTenantAdmin, f.merchantB)
	elsewhere := f.staff(auth.RoleLeasing, f.other)
	if _, err := f.svc.Contract(mine, c.ID); err != nil {
		t.Fatalf("own contract: %v", err)
	}
	if _, err := f.svc.Unit(f.tenant(auth.RoleMerchantStaff, f.merchantA), u.ID); err != nil {
		t.Fatalf("own unit: %v", err)
	}
	res, err := f.svc.MyTenantContracts(mine, page.Request{First: 10})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("my contracts: %d %v", len(res.Items), err)
	}
	for name, ctx := range map[string]context.Context{"another tenant": theirs, "another mall": elsewhere} {
		if _, err := f.svc.Contract(ctx, c.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s: contract %v", name, err)
		}
		if _, err := f.svc.Unit(ctx, u.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s: unit %v", name, err)
		}
		if _, err := f.svc.Schedule(ctx, c.ID, schedule.D(2026, 12, 31)); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s: schedule %v", name, err)
		}
	}
	if res, err := f.svc.MyTenantContracts(theirs, page.Request{First: 10}); err != nil || len(res.Items) != 0 {
		t.Fatalf("another tenant's list: %d %v", len(res.Items), err)
	}
	if list, err := f.svc.ContractsOfBrand(theirs, brand); err != nil || len(list) != 0 {
		t.Fatalf("brand: %v %v", list, err)
	}
}

// TestNewTenantWithContract: a new merchant is created with the contract.
func TestNewTenantWithContract(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := f.unit("L1-01")
	brand := uuid.New()
	c, err := f.svc.CreateContract(f.leasing, leasing.ContractInput{MallID: f.mall, BrandID: &brand,
		NewMerchant: &orgMerchant, UnitIDs: []uuid.UUID{u.ID}, Terms: terms(schedule.D(2026, 5, 1), 8000)})
	if err != nil || c.MerchantID == uuid.Nil || c.MerchantID == f.merchantA {
		t.Fatalf("contract with a new tenant: %+v %v", c, err)
	}
	list, err := f.svc.ContractsOfBrand(f.leasing, brand)
	if err != nil || len(list) != 1 {
		t.Fatalf("contracts of the brand: %d %v", len(list), err)
	}
	// The new tenant is written in the contract's transaction: a code taken refuses both.
	_, err = f.svc.CreateContract(f.leasing, leasing.ContractInput{MallID: f.mall, BrandID: &brand,
		NewMerchant: &orgMerchant, UnitIDs: []uuid.UUID{f.unit("L1-02").ID}, Terms: terms(schedule.D(2026, 5, 1), 8000)})
	if e, ok := errs.As(err); !ok || len(e.Field) < 2 || e.Field[1] != "newMerchant" {
		t.Fatalf("a new tenant whose code is taken: %v", err)
	}
	if list, _ := f.svc.ContractsOfBrand(f.leasing, brand); len(list) != 1 {
		t.Fatalf("contracts of the brand after the refusal: %d", len(list))
	}
	bad := terms(schedule.D(2026, 5, 1), 8000)
	bad.Billing.DueDay = 40
	_, err = f.svc.CreateContract(f.leasing, leasing.ContractInput{MallID: f.mall, MerchantID: f.merchantA,
		UnitIDs: []uuid.UUID{u.ID}, Terms: bad})
	e, ok := errs.As(err)
	if !ok || e.Code != "INVALID_TERMS" || len(e.Field) < 3 || e.Field[2] != "billing" {
		t.Fatalf("bad terms: %v", err)
	}
}

var _ = time.Now

// TestAlertReads: a contract ending in 45 days is alerted in the 60-day band until a
// renewal is proposed; a unit never let is vacant since its creation.
func TestAlertReads(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u, free := f.unit("L1-01"), f.unit("L1-02")
	today := schedule.D(2026, 4, 15)
	tm := terms(today.AddDays(45).AddYears(-1).AddDays(1), 10000)
	c := f.signed(tm, u.ID)
	alerts, err := f.svc.ExpiringContracts(f.leasing, f.mall, today)
	if err != nil || len(alerts) != 1 || alerts[0].ContractID != c.ID || alerts[0].Band != 60 || alerts[0].DaysLeft != 45 {
		t.Fatalf("alerts: %+v %v", alerts, err)
	}
	renewal := tm
	renewal.End = tm.End.AddYears(2)
	if _, err := f.svc.ProposeAmendment(f.leasing, c.ID, leasing.AmendmentInput{Kind: leasing.KindRenewal,
		EffectiveFrom: tm.End.AddDays(1), Terms: renewal}); err != nil {
		t.Fatal(err)
	}
	if alerts, err := f.svc.ExpiringContracts(f.leasing, f.mall, today); err != nil || len(alerts) != 0 {
		t.Fatalf("after a renewal: %+v %v", alerts, err)
	}
	long, err := f.svc.VacantUnits(f.leasing, f.mall, today.AddDays(100), 90)
	if err != nil || len(long) != 1 || long[0].UnitID != free.ID {
		t.Fatalf("long vacant: %+v %v", long, err)
	}
	if _, err := f.svc.ExpiringContracts(f.tenant(auth.RoleTenantAdmin, f.merchantA), f.mall, today); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("a tenant reading alerts: %v", err)
	}
}

// TestAlertsNotifyOnce: a contract ending within 30 days without a renewal and the units
// vacant for more than VacantAlertDays are notified to the mall's leasing staff, once
// each however often the job runs (and only to leasing staff).
func TestAlertsNotifyOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	leased := f.unit("L1-01")
	f.unit("L1-02")                                             // vacant from its creation
	f.approved(terms(schedule.D(2025, 5, 1), 10000), leased.ID) // ends 2026-04-30: 15 days after the clock
	run := func(want int) {
		t.Helper()
		for i, w := range []int{want, 0} { // the rerun notifies nothing
			if n, err := f.svc.Alerts(context.Background(), f.mall); err != nil || n != w {
				t.Fatalf("run %d: %d notices, %v; want %d", i+1, n, err, w)
			}
		}
	}
	run(1) // the expiry, in its 30-day band; the empty unit is vacant since today
	f.clock.set(time.Date(2026, 8, 1, 9, 0, 0, 0, sh))
	run(2) // both units vacant for more than 90 days (since 2026-04-15 and 2026-05-01)
	mine, err := f.notices.Mine(f.leasing, page.Request{First: 10}, false)
	if err != nil || len(mine.Items) != 3 {
		t.Fatalf("leasing staff see %d notices, %v; want 3", len(mine.Items), err)
	}
	kinds := map[string]int{}
	for _, n := range mine.Items {
		kinds[n.Kind]++
	}
	if kinds[leasing.KindContractExpiring] != 1 || kinds[leasing.KindUnitVacant] != 2 {
		t.Fatalf("kinds %v", kinds)
	}
	if other, err := f.notices.Mine(f.finance, page.Request{First: 10}, false); err != nil || len(other.Items) != 0 {
		t.Fatalf("finance sees %d notices, %v", len(other.Items), err)
	}
}
