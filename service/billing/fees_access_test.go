package billing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/billing/energy"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// TestFeesAccess: tariffs, late-fee waivers, deposits, statements, outstanding and
// arrears are finance's of the mall (and ADMIN's); another mall's finance, leasing
// staff, tenants and shoppers get nothing; a tenant reads only its own statement and
// outstanding (myStatement, myOutstanding) and its contract's deposit.
func TestFeesAccess(t *testing.T) {
	t.Parallel()
	f := setup(t, time.Date(2026, 10, 2, 10, 0, 0, 0, sh))
	c := f.contract(t, f.a, withLateFee(terms(schedule.D(2026, 10, 1), 12, 1090), "0.001"))
	f.issueAll(t, f.run(t, "2026-10"))
	f.base.Clock.Set(time.Date(2026, 10, 12, 10, 0, 0, 0, sh))
	f.accrue(t)
	fee := f.lateFeeLines(t)[0]
	waiver, err := f.svc.RequestLateFeeWaiver(f.finance, []uuid.UUID{fee.ID}, "goodwill", "w")
	if err != nil {
		t.Fatal(err)
	}
	mall, today := f.org.MallID, schedule.D(2026, 10, 12)
	one := dec("1")
	ops := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"energyTariffs", func(ctx context.Context) error { _, err := f.svc.Tariffs(ctx, mall); return err }},
		{"setEnergyTariff", func(ctx context.Context) error {
			_, err := f.svc.SetTariff(ctx, mall, "gas", today, energy.Tariff{Kind: energy.Flat, Price: &one})
			return err
		}},
		{"requestLateFeeWaiver", func(ctx context.Context) error {
			_, err := f.svc.RequestLateFeeWaiver(ctx, []uuid.UUID{fee.ID}, "x", "k")
			return err
		}},
		{"approveLateFeeWaiver", func(ctx context.Context) error {
			_, err := f.svc.ApproveRequest(ctx, waiver.ID, billing.ApproveWaiver)
			return err
		}},
		{"rejectBillingRequest", func(ctx context.Context) error { _, err := f.svc.RejectRequest(ctx, waiver.ID); return err }},
		{"billingRequests", func(ctx context.Context) error { _, err := f.svc.Approvals(ctx, mall, "", pageAll); return err }},
		{"requestDepositApplication", func(ctx context.Context) error {
			_, err := f.svc.RequestDepositApplication(ctx, billing.DepositInput{ContractID: c.ID, Amount: one, Reason: "x",
				IdempotencyKey: "k"})
			return err
		}},
		{"requestDepositRefund", func(ctx context.Context) error {
			_, err := f.svc.RequestDepositRefund(ctx, billing.DepositInput{ContractID: c.ID, Amount: one, Reason: "x",
				IdempotencyKey: "k"})
			return err
		}},
		{"tenantStatement", func(ctx context.Context) error {
			_, err := f.svc.TenantStatement(ctx, f.a, today.AddDays(-30), today)
			return err
		}},
		{"outstanding", func(ctx context.Context) error { _, err := f.svc.Outstanding(ctx, f.a, today); return err }},
		{"arrears", func(ctx context.Context) error { _, err := f.svc.Arrears(ctx, mall, today); return err }},
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
		if err := o.call(context.Background()); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Errorf("%s anonymously: %v, want UNAUTHENTICATED", o.name, err)
		}
	}
	// The deposit register: finance and the tenant itself.
	for name, ctx := range map[string]context.Context{"another mall's finance": f.far, "leasing staff": f.leasing,
		"another tenant": f.tenantB, "a shopper": f.shopper} {
		if _, err := f.svc.Deposit(ctx, c.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("deposit by %s: %v", name, err)
		}
	}
	if _, err := f.svc.Deposit(f.tenantA, c.ID); err != nil {
		t.Fatal(err)
	}
	// Tenants: their own statement and outstanding only.
	mine, err := f.svc.MyOutstanding(f.tenantA, today)
	if err != nil || !mine.Total.IsPositive() || mine.MerchantID != f.a {
		t.Fatalf("myOutstanding of A %+v, %v", mine, err)
	}
	if st, err := f.svc.MyStatement(f.tenantA, today.AddDays(-30), today); err != nil || !st.Closing.Equal(mine.Total) {
		t.Fatalf("myStatement of A %+v, %v", st, err)
	}
	theirs, err := f.svc.MyOutstanding(f.tenantB, today)
	if err != nil || !theirs.Total.IsZero() {
		t.Fatalf("myOutstanding of B %+v, %v", theirs, err)
	}
	for name, ctx := range map[string]context.Context{"finance": f.finance, "merchant staff": f.staffA, "a shopper": f.shopper} {
		if _, err := f.svc.MyOutstanding(ctx, today); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("myOutstanding by %s: %v", name, err)
		}
		if _, err := f.svc.MyStatement(ctx, today, today); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("myStatement by %s: %v", name, err)
		}
	}
	if _, err := f.svc.ApproveRequest(f.admin, waiver.ID, billing.ApproveWaiver); err != nil {
		t.Fatal(err)
	}
	f.verify(t)
}
