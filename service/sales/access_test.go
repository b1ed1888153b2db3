package sales_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/sales"
)

// TestWhoMayDoWhat: every operation of the sales context × every kind of caller. A
// tenant acts on its own merchant only; leasing, finance and admin staff on every
// merchant of their mall; another merchant or mall is FORBIDDEN, an unknown merchant
// NOT_FOUND, shoppers FORBIDDEN, nobody UNAUTHENTICATED.
func TestWhoMayDoWhat(t *testing.T) {
	f := setup(t)
	nov := day("2026-11-01")
	ops := map[string]func(ctx context.Context, merchant uuid.UUID) error{
		"report": func(ctx context.Context, m uuid.UUID) error {
			_, err := f.svc.Report(ctx, sales.ReportInput{MerchantID: m, Period: sales.PeriodDay, Day: nov, Amount: d("1")})
			return err
		},
		"import one merchant's file": func(ctx context.Context, m uuid.UUID) error {
			_, err := f.svc.Import(ctx, sales.ImportInput{MerchantID: m, Format: "csv"}, strings.NewReader("date,amount\n2026-11-01,1\n"))
			return err
		},
		"list a merchant's sales": func(ctx context.Context, m uuid.UUID) error {
			_, err := f.svc.OfMerchant(ctx, m, nov, day("2026-11-30"))
			return err
		},
		"start a merchant's upload": func(ctx context.Context, m uuid.UUID) error {
			_, err := f.svc.StartImportUpload(ctx, sales.ImportInput{MerchantID: m, Format: "csv"})
			return err
		},
		"a merchant's base": func(ctx context.Context, m uuid.UUID) error {
			_, err := f.svc.MerchantBase(ctx, m, nov)
			return err
		},
	}
	mallOps := map[string]func(ctx context.Context) error{
		"import a mall's file": func(ctx context.Context) error {
			_, err := f.svc.Import(ctx, sales.ImportInput{MallID: f.org.MallID, Format: "csv"},
				strings.NewReader("merchant,date,amount\nshop1,2026-11-01,1\n"))
			return err
		},
		"start a mall's upload": func(ctx context.Context) error {
			_, err := f.svc.StartImportUpload(ctx, sales.ImportInput{MallID: f.org.MallID, Format: "csv"})
			return err
		},
		"a mall's base": func(ctx context.Context) error { _, err := f.svc.MallBase(ctx, f.org.MallID, nov); return err },
		"a mall's settings": func(ctx context.Context) error {
			_, err := f.svc.MallSettings(ctx, f.org.MallID)
			return err
		},
	}
	anon := context.Background()
	merchantCases := []struct {
		caller   string
		ctx      context.Context
		merchant uuid.UUID
		want     error
	}{
		{"tenant admin of A on A", f.tenantA, f.a, nil},
		{"merchant staff of A on A", f.staffA, f.a, nil},
		{"tenant admin of B on A", f.tenantB, f.a, errs.ErrForbidden},
		{"merchant staff of A on B", f.staffA, f.b, errs.ErrForbidden},
		{"leasing of the mall on B", f.leasing, f.b, nil},
		{"finance of the mall on A", f.finance, f.a, nil},
		{"group admin on A", f.admin, f.a, nil},
		{"leasing of another mall on A", f.far, f.a, errs.ErrForbidden},
		{"leasing on an unknown merchant", f.leasing, uuid.New(), errs.ErrNotFound},
		{"shopper on A", f.shopper, f.a, errs.ErrForbidden},
		{"anonymous on A", anon, f.a, errs.ErrUnauthenticated},
	}
	for name, op := range ops {
		for _, tc := range merchantCases {
			t.Run(name+"/"+tc.caller, func(t *testing.T) { check(t, op(tc.ctx, tc.merchant), tc.want) })
		}
	}
	mallCases := []struct {
		caller string
		ctx    context.Context
		want   error
	}{
		{"tenant admin", f.tenantA, errs.ErrForbidden},
		{"merchant staff", f.staffA, errs.ErrForbidden},
		{"leasing of the mall", f.leasing, nil},
		{"finance of the mall", f.finance, nil},
		{"group admin", f.admin, nil},
		{"leasing of another mall", f.far, errs.ErrForbidden},
		{"shopper", f.shopper, errs.ErrForbidden},
		{"anonymous", anon, errs.ErrUnauthenticated},
	}
	for name, op := range mallOps {
		for _, tc := range mallCases {
			t.Run(name+"/"+tc.caller, func(t *testing.T) { check(t, op(tc.ctx), tc.want) })
		}
	}
	ownCases := []struct {
		caller string
		op     func() error
		want   error
	}{
		{"my sales: tenant", func() error { _, err := f.svc.Mine(f.tenantA, nov, nov); return err }, nil},
		{"my sales: leasing", func() error { _, err := f.svc.Mine(f.leasing, nov, nov); return err }, errs.ErrForbidden},
		{"my sales: shopper", func() error { _, err := f.svc.Mine(f.shopper, nov, nov); return err }, errs.ErrForbidden},
		{"my sales: anonymous", func() error { _, err := f.svc.Mine(anon, nov, nov); return err }, errs.ErrUnauthenticated},
		{"close: finance", func() error { _, err := f.svc.CloseThrough(f.finance, f.a, nov); return err }, nil},
		{"close: leasing", func() error { _, err := f.svc.CloseThrough(f.leasing, f.a, nov); return err }, errs.ErrForbidden},
		{"close: tenant", func() error { _, err := f.svc.CloseThrough(f.tenantA, f.a, nov); return err }, errs.ErrForbidden},
		{"close: another mall's finance", func() error { _, err := f.svc.CloseThrough(f.far, f.a, nov); return err }, errs.ErrForbidden},
		{"settings: finance", func() error {
			return f.svc.SetMallSettings(f.finance, f.org.MallID, sales.DefaultSettings())
		}, nil},
		{"settings: leasing", func() error {
			return f.svc.SetMallSettings(f.leasing, f.org.MallID, sales.DefaultSettings())
		}, errs.ErrForbidden},
		{"settings: tenant", func() error {
			return f.svc.SetMallSettings(f.tenantA, f.org.MallID, sales.DefaultSettings())
		}, errs.ErrForbidden},
	}
	for _, tc := range ownCases {
		t.Run(tc.caller, func(t *testing.T) { check(t, tc.op(), tc.want) })
	}
	// What a tenant lists is its own merchant's only.
	f.report(t, f.leasing, f.b, sales.PeriodDay, "2026-11-02", "9")
	mine, err := f.svc.Mine(f.tenantA, nov, day("2026-11-30"))
	for _, s := range mine {
		if s.MerchantID != f.a {
			t.Fatalf("tenant A sees %+v (%v)", s, err)
		}
	}
}

func check(t *testing.T, err, want error) {
	t.Helper()
	if want == nil && err != nil || want != nil && !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}
