package billing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/billing/energy"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/meters"
)

var dec = decimal.RequireFromString

// withLateFee is terms with a late fee of rate a day, no grace, no cap.
func withLateFee(t schedule.Terms, rate string) schedule.Terms {
	t.LateFee = schedule.LateFee{RatePerDay: dec(rate)}
	return t
}

// balance is an account's derived balance (debit-positive) of an owner.
func (f *fixture) balance(t *testing.T, kind string, owner uuid.UUID) decimal.Decimal {
	t.Helper()
	bs, err := ledger.DerivedBalancesTx(context.Background(), f.base.DB.Pool, kind, ledger.CNY)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Owner == owner {
			return b.Balance
		}
	}
	return decimal.Zero
}

// lateFeeLines lists the LATE_FEE lines of the mall's late-fee bills, oldest first.
func (f *fixture) lateFeeLines(t *testing.T) []billing.Line {
	t.Helper()
	var out []billing.Line
	for _, b := range f.bills(t, uuid.Nil) {
		if b.Kind != billing.BillLateFees {
			continue
		}
		if b.Status != billing.BillIssued || b.RunID != uuid.Nil {
			t.Fatalf("late-fee bill %+v", b)
		}
		ls, err := f.svc.Lines(f.finance, b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(ls, out...)
	}
	return out
}

func (f *fixture) accrue(t *testing.T) billing.LateFeeRun {
	t.Helper()
	r, err := f.svc.AccrueLateFees(context.Background(), f.org.MallID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestLateFeeJobRunThreeTimesOnOneDayAccruesOnceAndAWaiverReversesExactly: the bill of
// October (gross 10,900 rent + 1,000 fee + 21,800 deposit, due on the 1st with the
// deposit) accrues 0.1 % a day from the day after; three runs on the 10th accrue the
// days through the 9th once; the 11th adds the
// 10th; a waiver needs a second person and reverses exactly the chosen accrual; the
// waived days are not accrued again; Verify stays clean throughout.
func TestLateFeeJobRunThreeTimesOnOneDayAccruesOnceAndAWaiverReversesExactly(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 10, 2, 10, 0, 0, 0, sh))
	f.contract(t, f.a, withLateFee(terms(schedule.D(2026, 10, 1), 12, 10900), "0.001"))
	oct := f.run(t, "2026-10")
	f.issueAll(t, oct)
	due := schedule.DateOf(*f.bills(t, oct.ID)[0].DueOn) // the deposit's, the 1st
	days := schedule.D(2026, 10, 9).Sub(due)
	receivable := f.balance(t, ledger.KindTenantReceivable, f.a)
	gross := dec("33700") // 10,900 + 1,000 + 21,800
	if !receivable.Equal(gross) {
		t.Fatalf("receivable %s, want %s", receivable, gross)
	}

	f.base.Clock.Set(time.Date(2026, 10, 10, 1, 0, 0, 0, sh))
	first := f.accrue(t)
	for range 2 {
		f.base.Clock.Add(6 * time.Hour)
		if again := f.accrue(t); again.Accruals != 0 || again.Bills != 0 {
			t.Fatalf("a rerun on the same day accrued %+v", again)
		}
	}
	want := gross.Mul(dec("0.001")).Mul(decimal.NewFromInt(int64(days))).Round(2) // the days after the due date × 0.1 %
	if first.Accruals != 1 || first.Bills != 1 || !first.Total.Equal(want) {
		t.Fatalf("first run %+v, want one accrual of %s", first, want)
	}
	f.base.Clock.Set(time.Date(2026, 10, 11, 9, 0, 0, 0, sh))
	if next := f.accrue(t); next.Accruals != 1 || !next.Total.Equal(gross.Mul(dec("0.001")).Round(2)) {
		t.Fatalf("next day %+v", next)
	}
	fees := f.lateFeeLines(t)
	if len(fees) != 2 || fees[0].Period.String() != due.AddDays(1).String()+"..2026-10-09" || fees[1].Period.String() != "2026-10-10..2026-10-10" ||
		fees[0].Code != billing.CodeLateFee || fees[0].Source != billing.SourceLateFee {
		t.Fatalf("late-fee lines %+v", fees)
	}
	f.verify(t)
	withFees := f.balance(t, ledger.KindTenantReceivable, f.a)
	if !withFees.Equal(gross.Add(fees[0].Gross).Add(fees[1].Gross)) {
		t.Fatalf("receivable %s after late fees", withFees)
	}

	// The waiver: requested by finance, refused to the requester, approved by another.
	req, err := f.svc.RequestLateFeeWaiver(f.finance, []uuid.UUID{fees[0].ID}, "goodwill", "w1")
	if err != nil || !req.Amount.Equal(fees[0].Gross) {
		t.Fatalf("request %+v, %v", req, err)
	}
	if _, err := f.svc.ApproveRequest(f.finance, req.ID, billing.ApproveWaiver); !errors.Is(err, billing.ErrOwnRequest) {
		t.Fatalf("own approval: %v", err)
	}
	if _, err := f.svc.ApproveRequest(f.tenantA, req.ID, billing.ApproveWaiver); err == nil {
		t.Fatal("a tenant approved a waiver")
	}
	revenue := f.balance(t, ledger.KindRevenuePrefix+billing.CodeLateFee, f.org.MallID)
	if _, err := f.svc.ApproveRequest(f.approver, req.ID, billing.ApproveWaiver); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApproveRequest(f.admin, req.ID, billing.ApproveWaiver); !errors.Is(err, billing.ErrApprovalStatus) {
		t.Fatalf("approved twice: %v", err)
	}
	if got := f.balance(t, ledger.KindTenantReceivable, f.a); !got.Equal(withFees.Sub(fees[0].Gross)) {
		t.Fatalf("receivable %s after the waiver, want %s", got, withFees.Sub(fees[0].Gross))
	}
	if got := f.balance(t, ledger.KindRevenuePrefix+billing.CodeLateFee, f.org.MallID); !got.Equal(revenue.Add(fees[0].Net)) {
		t.Fatalf("late-fee revenue %s after the waiver, was %s", got, revenue)
	}
	after := f.lateFeeLines(t)
	if !after[0].Outstanding.IsZero() || !after[1].Outstanding.Equal(fees[1].Gross) {
		t.Fatalf("lines after the waiver %+v", after)
	}
	if _, err := f.svc.RequestLateFeeWaiver(f.finance, []uuid.UUID{fees[0].ID}, "again", "w2"); !errors.Is(err, billing.ErrWaiverLine) {
		t.Fatalf("a waived accrual waived again: %v", err)
	}
	if again := f.accrue(t); again.Accruals != 0 {
		t.Fatalf("waived days accrued again: %+v", again)
	}
	f.verify(t)
}

// TestDepositsStatementsAndAgeingEqualTheLedger: a contract terminated with arrears;
// its deposit is applied to the oldest open lines (with approval), the rest refunded;
// the arrears survive the contract's end; outstanding, its buckets, the statement's
// closing balance and the ledger's receivable agree to the fen throughout.
func TestDepositsStatementsAndAgeingEqualTheLedger(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 10, 2, 10, 0, 0, 0, sh))
	c := f.contract(t, f.a, withLateFee(terms(schedule.D(2026, 10, 1), 12, 10900), "0.0005"))
	f.contract(t, f.b, terms(schedule.D(2026, 10, 1), 12, 5450))
	f.issueAll(t, f.run(t, "2026-10"))
	f.base.Clock.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, sh))
	f.issueAll(t, f.run(t, "2026-11"))
	f.base.Clock.Set(time.Date(2026, 11, 20, 10, 0, 0, 0, sh))
	f.accrue(t)
	if _, _, err := f.lease.Terminate(f.leasing, c.ID, schedule.D(2026, 11, 20), "tenant left"); err != nil {
		t.Fatal(err)
	}
	check := func(when string) billing.TenantAgeing {
		t.Helper()
		today := schedule.DateOf(f.base.Clock.Now().In(sh))
		o, err := f.svc.Outstanding(f.finance, f.a, today)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, r := range o.Rows {
			sum = sum.Add(r.Amount)
		}
		recv := f.balance(t, ledger.KindTenantReceivable, f.a)
		st, err := f.svc.TenantStatement(f.finance, f.a, schedule.D(2026, 11, 1), today)
		if err != nil {
			t.Fatal(err)
		}
		if !sum.Equal(o.Total) || !o.Total.Equal(recv) || !st.Closing.Equal(recv) {
			t.Fatalf("%s: buckets %s, total %s, statement closing %s, ledger receivable %s", when, sum, o.Total, st.Closing, recv)
		}
		f.verify(t)
		return o
	}
	before := check("before the deposit")
	if before.Rows[1].Amount.IsZero() { // 0–30 days: November's lines and the late fees are overdue
		t.Fatalf("nothing overdue: %+v", before)
	}
	reg, err := f.svc.Deposit(f.finance, c.ID)
	if err != nil || !reg.Held.Equal(dec("21800")) {
		t.Fatalf("register %+v, %v", reg, err)
	}
	if _, err := f.svc.RequestDepositApplication(f.finance, billing.DepositInput{ContractID: c.ID, Amount: dec("30000"),
		Reason: "too much", IdempotencyKey: "d0"}); !errors.Is(err, billing.ErrAboveDeposit) {
		t.Fatalf("above the deposit: %v", err)
	}
	apply, err := f.svc.RequestDepositApplication(f.finance, billing.DepositInput{ContractID: c.ID, Amount: dec("15000"),
		Reason: "arrears at termination", IdempotencyKey: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	if again, err := f.svc.RequestDepositApplication(f.finance, billing.DepositInput{ContractID: c.ID, Amount: dec("15000"),
		Reason: "arrears at termination", IdempotencyKey: "d1"}); err != nil || again.ID != apply.ID {
		t.Fatalf("a repeat: %+v, %v", again, err)
	}
	if _, err := f.svc.ApproveRequest(f.finance, apply.ID); !errors.Is(err, billing.ErrOwnRequest) {
		t.Fatalf("own approval: %v", err)
	}
	if _, err := f.svc.ApproveRequest(f.admin, apply.ID); err != nil {
		t.Fatal(err)
	}
	partly := check("after applying part of the deposit")
	if !partly.Total.Equal(before.Total.Sub(dec("15000"))) {
		t.Fatalf("total %s after applying 15,000 to %s", partly.Total, before.Total)
	}
	// The oldest lines were paid first: October's rent and fee (due 10-05) are gone.
	for _, r := range partly.Rows {
		for _, it := range r.Items {
			if it.Due.Equal(schedule.D(2026, 10, 5)) && it.Code != "DEPOSIT" {
				t.Fatalf("an October line still open: %+v", it)
			}
		}
	}
	refund, err := f.svc.RequestDepositRefund(f.finance, billing.DepositInput{ContractID: c.ID, Amount: dec("6800"),
		Reason: "the rest back", IdempotencyKey: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApproveRequest(f.approver, refund.ID); err != nil {
		t.Fatal(err)
	}
	if reg, _ := f.svc.Deposit(f.finance, c.ID); !reg.Held.IsZero() || !f.balance(t, ledger.KindDepositHeld, f.a).IsZero() {
		t.Fatalf("register %+v after the refund", reg)
	}
	// Months later the terminated contract's arrears are still there, and aged.
	f.base.Clock.Set(time.Date(2027, 3, 1, 10, 0, 0, 0, sh))
	later := check("months after the end")
	if !later.Total.Equal(partly.Total) || later.Rows[len(later.Rows)-1].Amount.IsZero() {
		t.Fatalf("arrears after the end %+v", later)
	}
	arrears, err := f.svc.Arrears(f.finance, f.org.MallID, schedule.D(2027, 3, 1))
	if err != nil || len(arrears) == 0 {
		t.Fatalf("arrears %+v, %v", arrears, err)
	}
}

// TestEnergyLinesFromMeterReadings: the run of November bills October's energy from the
// unit's meters: electricity from actual readings at the cut-offs (flat 1.00), water
// with an estimated start (tiered); each line keeps the readings it used; a rerun and
// the next run bill nothing again.
func TestEnergyLinesFromMeterReadings(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 10, 2, 10, 0, 0, 0, sh))
	f.contract(t, f.a, terms(schedule.D(2026, 10, 1), 12, 10900)) // unit U00001
	one := dec("1.00")
	if _, err := f.svc.SetTariff(f.finance, f.org.MallID, "electricity", schedule.D(2026, 1, 1),
		energy.Tariff{Kind: energy.Flat, Price: &one}); err != nil {
		t.Fatal(err)
	}
	upTo := dec("10")
	if _, err := f.svc.SetTariff(f.finance, f.org.MallID, "water", schedule.D(2026, 1, 1),
		energy.Tariff{Kind: energy.Tiered, Tiers: []energy.Tier{{UpTo: &upTo, Price: dec("3")}, {Price: dec("5")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetTariff(f.tenantA, f.org.MallID, "gas", schedule.D(2026, 1, 1),
		energy.Tariff{Kind: energy.Flat, Price: &one}); err == nil {
		t.Fatal("a tenant set a tariff")
	}
	if _, err := f.svc.SetTariff(f.finance, f.org.MallID, "gas", schedule.D(2026, 1, 1),
		energy.Tariff{Kind: energy.Flat}); err == nil {
		t.Fatalf("an invalid tariff: %v", err)
	}
	devs := devices.New(devices.Deps{DB: f.base.DB, Org: f.base.Org, Passwords: auth.NewPasswords(bcrypt.MinCost), Now: time.Now})
	meter := func(id, kind string) devices.Device {
		d, _, err := devs.RegisterUnchecked(context.Background(), devices.NewDevice{ID: id, MallID: f.org.MallID,
			Type: devices.Meter, MeterKind: kind, BindingRef: "U00001"})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	read := func(d devices.Device, at time.Time, v string) {
		if err := f.base.DB.InTx(context.Background(), func(tx pgx.Tx) error {
			_, err := meters.RecordTx(context.Background(), tx, d, d.ID+at.String(), at, dec(v), at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	el, wa := meter("el-1", "electricity"), meter("wa-1", "water")
	read(el, time.Date(2026, 10, 1, 0, 5, 0, 0, sh), "100")
	read(el, time.Date(2026, 10, 15, 12, 0, 0, 0, sh), "400")
	read(el, time.Date(2026, 10, 31, 23, 50, 0, 0, sh), "700.5")
	read(wa, time.Date(2026, 9, 30, 12, 0, 0, 0, sh), "50")
	read(wa, time.Date(2026, 10, 1, 12, 0, 0, 0, sh), "52")
	read(wa, time.Date(2026, 11, 1, 0, 0, 0, 0, sh), "70")

	oct := f.run(t, "2026-10") // bills September's energy: the contract did not run then
	for _, l := range f.lines(t, f.bills(t, oct.ID)...) {
		if l.Source == billing.SourceEnergy {
			t.Fatalf("October's run billed energy %+v", l)
		}
	}
	f.base.Clock.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, sh))
	nov := f.run(t, "2026-11")
	bills := f.bills(t, nov.ID)
	var got []billing.Line
	for _, l := range f.lines(t, bills...) {
		if l.Source == billing.SourceEnergy {
			got = append(got, l)
		}
	}
	if len(got) != 2 {
		t.Fatalf("energy lines %+v", got)
	}
	byKey := map[string]billing.Line{}
	for _, l := range got {
		byKey[l.SourceKey] = l
	}
	e, w := byKey["ELECTRICITY|U00001|2026-10"], byKey["WATER|U00001|2026-10"]
	// Water: start estimated at 51 (interpolated), 19 m³ = 10 × 3 + 9 × 5.
	if !e.Gross.Equal(dec("600.5")) || !w.Gross.Equal(dec("75")) || e.Code != billing.CodeEnergy ||
		e.Period.String() != "2026-10-01..2026-10-31" || !e.VATRate.Equal(dec("0.13")) {
		t.Fatalf("electricity %+v, water %+v", e, w)
	}
	bill := bills[0]
	ue, err := f.svc.EnergyUsage(f.finance, bill, e)
	if err != nil || ue == nil || ue.Estimated || len(ue.Meters) != 1 || ue.Meters[0].Start.Kind != string(meters.Actual) ||
		!ue.Meters[0].Start.Value.Equal(dec("100")) || !ue.Meters[0].End.Value.Equal(dec("700.5")) {
		t.Fatalf("electricity usage %+v, %v", ue, err)
	}
	uw, err := f.svc.EnergyUsage(f.finance, bill, w)
	if err != nil || uw == nil || !uw.Estimated || uw.Meters[0].Start.Kind != string(meters.Estimated) ||
		len(uw.Meters[0].Start.Readings) != 2 {
		t.Fatalf("water usage %+v, %v", uw, err)
	}
	if _, err := f.svc.EnergyUsage(f.tenantB, bill, e); err == nil {
		t.Fatal("another tenant read the usage")
	}
	f.base.Clock.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, sh))
	dec26 := f.run(t, "2026-12")
	for _, l := range f.lines(t, f.bills(t, dec26.ID)...) {
		if l.Source == billing.SourceEnergy && l.SourceKey != "ELECTRICITY|U00001|2026-11" && l.SourceKey != "WATER|U00001|2026-11" {
			t.Fatalf("December's run billed %s", l.SourceKey)
		}
	}
	f.issueAll(t, nov)
	f.verify(t)
}
