package billing_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/sales"
)

var pageAll = page.Request{First: 100}

// lines returns every line of the bills, failing on a (contract, source, key) billed twice.
func (f *fixture) lines(t *testing.T, bills ...billing.Bill) []billing.Line {
	t.Helper()
	var out []billing.Line
	seen := map[string]bool{}
	for _, b := range bills {
		ls, err := f.svc.Lines(f.finance, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			k := fmt.Sprintf("%s/%s/%s", l.ContractID, l.Source, l.SourceKey)
			if seen[k] {
				t.Fatalf("line %s billed twice", k)
			}
			seen[k] = true
		}
		out = append(out, ls...)
	}
	return out
}

// issueAll reviews and issues every bill of the runs.
func (f *fixture) issueAll(t *testing.T, runs ...billing.Run) int {
	t.Helper()
	issued := 0
	for _, r := range runs {
		for _, b := range f.bills(t, r.ID) {
			if b.Status == billing.BillDraft {
				if _, err := f.svc.Review(f.finance, b.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		n, err := f.svc.IssueRun(f.finance, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		issued += n
	}
	return issued
}

func TestRunKilledHalfWayResumesAndBillsEachLineOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 11, 20, 10, 0, 0, 0, sh))
	oct := schedule.D(2026, 10, 1)
	for range 3 {
		f.contract(t, f.a, terms(oct, 12, 10900))
	}
	f.contract(t, f.b, terms(oct, 12, 5450))
	ended := f.contract(t, f.b, terms(schedule.D(2026, 9, 1), 12, 3270))
	if _, _, err := f.lease.Terminate(f.leasing, ended.ID, schedule.D(2026, 10, 15), "tenant left"); err != nil {
		t.Fatal(err)
	}

	killed := false
	f.svc.SetBatch(2, func(batch int) error {
		if batch == 2 && !killed {
			killed = true
			return errors.New("killed")
		}
		return nil
	})
	run, err := f.svc.StartRun(f.finance, f.org.MallID, "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Execute(context.Background(), run.ID); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("execute = %v, want killed", err)
	}
	half, _ := f.svc.Run(f.finance, run.ID)
	if half.Status != billing.RunRunning || half.Done != 4 || half.Total != 5 || !strings.Contains(half.Error, "killed") {
		t.Fatalf("after the kill: %+v", half)
	}
	if err := f.svc.Execute(context.Background(), run.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Execute(context.Background(), run.ID); err != nil { // a rerun of a done run does nothing
		t.Fatal(err)
	}
	run, _ = f.svc.Run(f.finance, run.ID)
	if run.Status != billing.RunDone || run.Done != 5 || run.Billed != 5 || run.Skipped != 0 || run.Error != "" {
		t.Fatalf("run %+v", run)
	}
	again, err := f.svc.StartRun(f.finance, f.org.MallID, "2026-10")
	if err != nil || again.ID != run.ID {
		t.Fatalf("a second start: %+v, %v", again, err)
	}
	octBills := f.bills(t, run.ID)
	if len(octBills) != 2 {
		t.Fatalf("%d bills, want one per tenant", len(octBills))
	}
	// 4 contracts × (deposit, October rent and fee) + the ended one's September and
	// October (to the 15th) rent and fee and its deposit.
	if ls := f.lines(t, octBills...); len(ls) != 4*3+5 {
		t.Fatalf("%d lines, want 17", len(ls))
	}

	nov := f.run(t, "2026-11")
	novLines := f.lines(t, f.bills(t, nov.ID)...)
	if len(novLines) != 4*2 || nov.Billed != 4 || nov.Skipped != 1 {
		t.Fatalf("november: %d lines, run %+v", len(novLines), nov)
	}
	for _, l := range novLines {
		if l.ContractID == ended.ID {
			t.Fatalf("the ended contract billed after its end: %+v", l)
		}
	}
	items, err := f.svc.RunItems(f.finance, nov, pageAll)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items.Items {
		if it.ContractID == ended.ID && (it.Billed || !strings.Contains(it.Reason, "nothing due")) {
			t.Fatalf("the ended contract's report: %+v", it)
		}
	}
	for _, b := range append(octBills, f.bills(t, nov.ID)...) {
		if !b.Net.Add(b.VAT).Equal(b.Gross) || b.Outstanding.Equal(decimal.Zero) {
			t.Fatalf("bill %+v", b)
		}
	}

	if n := f.issueAll(t, run, nov); n != 4 {
		t.Fatalf("issued %d bills, want 4", n)
	}
	if n, err := f.svc.IssueRun(f.finance, nov.ID); err != nil || n != 0 {
		t.Fatalf("issuing again: %d, %v", n, err)
	}
	owed := map[uuid.UUID]decimal.Decimal{}
	for _, r := range []billing.Run{run, nov} {
		for _, b := range f.bills(t, r.ID) {
			if b.Status != billing.BillIssued || b.PostingKey != billing.PostingKey(b.ID) {
				t.Fatalf("bill %+v", b)
			}
			owed[b.MerchantID] = owed[b.MerchantID].Add(b.Outstanding)
		}
	}
	balances, err := ledger.DerivedBalancesTx(context.Background(), f.base.DB.Pool, ledger.KindTenantReceivable, ledger.CNY)
	if err != nil || len(balances) != 2 {
		t.Fatalf("receivables %+v, %v", balances, err)
	}
	for _, b := range balances {
		if !b.Balance.Equal(owed[b.Owner]) || !b.Balance.IsPositive() {
			t.Fatalf("receivable of %s = %s, bills owe %s", b.Owner, b.Balance, owed[b.Owner])
		}
	}
	f.verify(t)
}

func TestConcurrentStartsMakeOneRun(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 11, 20, 10, 0, 0, 0, sh))
	for i := range 5 {
		f.contract(t, []uuid.UUID{f.a, f.b}[i%2], terms(schedule.D(2026, 11, 1), 12, 1090))
	}
	f.svc.SetBatch(2, nil)
	var wg sync.WaitGroup
	ids := make([]uuid.UUID, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.svc.StartRun(f.finance, f.org.MallID, "2026-11")
			if err != nil {
				t.Error(err)
			}
			ids[i] = r.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("two runs: %v", ids)
		}
	}
	for range 3 { // three job attempts at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f.svc.Execute(context.Background(), ids[0]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	run, _ := f.svc.Run(f.finance, ids[0])
	if ls := f.lines(t, f.bills(t, run.ID)...); len(ls) != 5*3 || run.Done != 5 || run.Billed != 5 {
		t.Fatalf("%d lines, run %+v", len(ls), run)
	}
	f.issueAll(t, run)
	f.verify(t)
}

func TestPercentageRentAndOneOffCharges(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 11, 20, 10, 0, 0, 0, sh))
	tm := terms(schedule.D(2026, 10, 1), 12, 10900)
	tm.PercentRent = &schedule.PercentRent{Rate: decimal.RequireFromString("0.1"), Mode: schedule.PctGuaranteedMinimum}
	c := f.contract(t, f.a, tm)
	if _, err := f.sales.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodMonth,
		Day: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Amount: decimal.NewFromInt(200000)}); err != nil {
		t.Fatal(err)
	}
	in := billing.OneOffInput{ContractID: c.ID, Code: "OTHER", Amount: decimal.NewFromInt(500), Description: "Signage",
		IdempotencyKey: "sign-1"}
	o1, err := f.svc.AddOneOffCharge(f.finance, in)
	if err != nil {
		t.Fatal(err)
	}
	if o2, err := f.svc.AddOneOffCharge(f.finance, in); err != nil || o2.ID != o1.ID {
		t.Fatalf("a repeat: %+v, %v", o2, err)
	}
	in.Code, in.IdempotencyKey = "PARKING", "p-1"
	if _, err := f.svc.AddOneOffCharge(f.finance, in); !errors.Is(err, billing.ErrUnknownCode) {
		t.Fatalf("unknown code: %v", err)
	}

	nov := f.run(t, "2026-11")
	ls := f.lines(t, f.bills(t, nov.ID)...)
	byCode := map[string]decimal.Decimal{}
	for _, l := range ls {
		byCode[l.Code] = byCode[l.Code].Add(l.Gross)
	}
	// 10 % of 200,000 less October's rent 10,900; the signage; October's and November's rent.
	if !byCode["PCT_RENT_PROVISIONAL"].Equal(decimal.NewFromInt(9100)) || !byCode["OTHER"].Equal(decimal.NewFromInt(500)) ||
		!byCode["RENT"].Equal(decimal.NewFromInt(21800)) || len(ls) != 7 {
		t.Fatalf("lines %v (%d)", byCode, len(ls))
	}
	_, err = f.sales.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodMonth,
		Day: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Amount: decimal.NewFromInt(1)})
	if e, ok := errs.As(err); !ok || e.Code != "SALES_PERIOD_CLOSED" {
		t.Fatalf("October's sales after billing: %v", err)
	}

	sched, err := f.lease.Schedule(f.finance, c.ID, schedule.D(2026, 11, 30))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sched {
		if l.Code == schedule.CodeAdjustment {
			t.Fatalf("leasing's schedule (no sales base) adjusts billed percentage rent away: %+v", l)
		}
	}

	f.base.Clock.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, sh))
	dec := f.run(t, "2026-12")
	for _, l := range f.lines(t, f.bills(t, dec.ID)...) {
		if l.Source == billing.SourceOneOff || l.Code == "PCT_RENT_PROVISIONAL" {
			t.Fatalf("billed again in December: %+v", l)
		}
	}
	f.issueAll(t, nov, dec)
	f.verify(t)
}
