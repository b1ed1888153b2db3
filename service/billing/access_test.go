package billing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// TestAccess: finance and admin of the mall do everything; another mall's finance,
// leasing staff, tenants and shoppers get nothing; a tenant's admin reads only its own
// merchant's issued bills.
func TestAccess(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 11, 20, 10, 0, 0, 0, sh))
	c := f.contract(t, f.a, terms(schedule.D(2026, 11, 1), 12, 1090))
	f.contract(t, f.b, terms(schedule.D(2026, 11, 1), 12, 2180))
	run := f.run(t, "2026-11")
	bills := f.bills(t, run.ID)
	var billA, billB billing.Bill
	for _, b := range bills {
		if b.MerchantID == f.a {
			billA = b
		} else {
			billB = b
		}
	}
	none := context.Background()
	mall := f.org.MallID
	oneOff := func(ctx context.Context) error {
		_, err := f.svc.AddOneOffCharge(ctx, billing.OneOffInput{ContractID: c.ID, Code: "OTHER", Amount: decimal.NewFromInt(1),
			Description: "x", IdempotencyKey: "k"})
		return err
	}
	type op struct {
		name string
		call func(ctx context.Context) error
	}
	ops := []op{
		{"startBillRun", func(ctx context.Context) error { _, err := f.svc.StartRun(ctx, mall, "2026-12"); return err }},
		{"billRun", func(ctx context.Context) error { _, err := f.svc.Run(ctx, run.ID); return err }},
		{"billRuns", func(ctx context.Context) error { _, err := f.svc.Runs(ctx, mall, pageAll); return err }},
		{"billRun.report", func(ctx context.Context) error { _, err := f.svc.RunItems(ctx, run, pageAll); return err }},
		{"bills", func(ctx context.Context) error {
			_, err := f.svc.Bills(ctx, mall, billing.BillFilter{}, pageAll)
			return err
		}},
		{"bill (a draft)", func(ctx context.Context) error { _, err := f.svc.Bill(ctx, billA.ID); return err }},
		{"bill.lines (a draft)", func(ctx context.Context) error { _, err := f.svc.Lines(ctx, billA); return err }},
		{"reviewBill", func(ctx context.Context) error { _, err := f.svc.Review(ctx, billA.ID); return err }},
		{"issueBill", func(ctx context.Context) error { _, err := f.svc.Issue(ctx, billA.ID); return err }},
		{"issueBillRun", func(ctx context.Context) error { _, err := f.svc.IssueRun(ctx, run.ID); return err }},
		{"voidBill", func(ctx context.Context) error { _, err := f.svc.Void(ctx, billB.ID, "wrong"); return err }},
		{"addOneOffCharge", oneOff},
		{"oneOffCharges", func(ctx context.Context) error { _, err := f.svc.OneOffCharges(ctx, mall, pageAll); return err }},
		{"vatRates", func(ctx context.Context) error { _, err := f.svc.VatRates(ctx, mall); return err }},
		{"setVatRate", func(ctx context.Context) error {
			_, err := f.svc.SetVatRate(ctx, mall, "OTHER", decimal.RequireFromString("0.06"))
			return err
		}},
	}
	for _, o := range ops {
		for _, who := range []struct {
			name string
			ctx  context.Context
		}{{"another mall's finance", f.far}, {"leasing staff", f.leasing}, {"the tenant's admin", f.tenantA},
			{"another tenant", f.tenantB}, {"a shopper", f.shopper}} {
			if err := o.call(who.ctx); !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("%s by %s: %v, want FORBIDDEN", o.name, who.name, err)
			}
		}
		if err := o.call(none); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Errorf("%s anonymously: %v, want UNAUTHENTICATED", o.name, err)
		}
	}
	// finance may do all of it
	if _, err := f.svc.Review(f.finance, billA.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Issue(f.admin, billA.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Void(f.finance, billB.ID, "wrong"); err != nil {
		t.Fatal(err)
	}
	if err := oneOff(f.finance); err != nil {
		t.Fatal(err)
	}

	t.Run("tenants read only their own issued bills", func(t *testing.T) {
		mine, err := f.svc.MyBills(f.tenantA, pageAll)
		if err != nil || len(mine.Items) != 1 || mine.Items[0].ID != billA.ID {
			t.Fatalf("myBills of A: %+v, %v", mine.Items, err)
		}
		b, err := f.svc.MyBill(f.tenantA, billA.ID)
		if err != nil || b.ID != billA.ID {
			t.Fatalf("myBill of A: %v", err)
		}
		if ls, err := f.svc.Lines(f.tenantA, b); err != nil || len(ls) == 0 {
			t.Fatalf("lines of A's bill: %v", err)
		}
		theirs, err := f.svc.MyBills(f.tenantB, pageAll)
		if err != nil || len(theirs.Items) != 0 {
			t.Fatalf("myBills of B (its bill is void): %+v, %v", theirs.Items, err)
		}
		if _, err := f.svc.MyBill(f.tenantB, billA.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("B reads A's bill: %v", err)
		}
		if _, err := f.svc.MyBill(f.tenantA, billB.ID); !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("A reads B's void bill: %v", err)
		}
		for name, ctx := range map[string]context.Context{"finance": f.finance, "merchant staff": f.staffA,
			"a shopper": f.shopper, "another mall's finance": f.far} {
			if _, err := f.svc.MyBills(ctx, pageAll); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("myBills by %s: %v", name, err)
			}
			if _, err := f.svc.MyBill(ctx, billA.ID); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("myBill by %s: %v", name, err)
			}
		}
		if _, err := f.svc.MyBills(none, pageAll); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Errorf("myBills anonymously: %v", err)
		}
	})
	f.verify(t)
}
