package billing_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/billing/alloc"
	"github.com/atrium-mall/atrium/service/billing/receipt/pdftext"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestPaymentsAccess: every payment operation refuses another mall's finance, leasing
// staff, another tenant, a shopper and the anonymous; finance-only operations refuse
// the tenant too; the tenant reads its own payments, receipts, credit and fapiao.
func TestPaymentsAccess(t *testing.T) {
	t.Parallel()
	f, c, bill := billed(t)
	p := f.payBank(t, "40000", nil)
	none := context.Background()
	mall := f.org.MallID
	type op struct {
		name   string
		tenant bool // the bill's tenant may
		call   func(ctx context.Context) error
	}
	ops := []op{
		{"recordTenantPayment", false, func(ctx context.Context) error {
			_, err := f.svc.RecordTenantPayment(ctx, billing.PaymentInput{MerchantID: f.a, Method: billing.MethodCash,
				Amount: dec("1"), IdempotencyKey: "k"})
			return err
		}},
		{"reversePayment", false, func(ctx context.Context) error { _, err := f.svc.ReversePayment(ctx, p.ID, "x"); return err }},
		{"applyTenantCredit", false, func(ctx context.Context) error {
			_, err := f.svc.ApplyTenantCredit(ctx, billing.ApplyCreditInput{MerchantID: f.a})
			return err
		}},
		{"setContractWaterfall", false, func(ctx context.Context) error {
			_, err := f.svc.SetWaterfall(ctx, c.ID, alloc.Default)
			return err
		}},
		{"contractWaterfall", false, func(ctx context.Context) error { _, err := f.svc.Waterfall(ctx, c.ID); return err }},
		{"tenantPayments", false, func(ctx context.Context) error {
			_, err := f.svc.TenantPayments(ctx, mall, billing.PaymentFilter{}, pageAll)
			return err
		}},
		{"billPaymentQr", false, func(ctx context.Context) error { _, err := f.svc.BillPaymentQR(ctx, bill.ID, "k"); return err }},
		{"payment", true, func(ctx context.Context) error { _, err := f.svc.Payment(ctx, p.ID); return err }},
		{"payment.allocations", true, func(ctx context.Context) error { _, err := f.svc.Allocations(ctx, p); return err }},
		{"receipt", true, func(ctx context.Context) error { _, err := f.svc.ReceiptURL(ctx, p.ID); return err }},
		{"tenantCredit", true, func(ctx context.Context) error { _, err := f.svc.TenantCredit(ctx, f.a); return err }},
		{"requestFapiao", true, func(ctx context.Context) error {
			_, err := f.svc.RequestFapiao(ctx, billing.FapiaoInput{BillID: bill.ID, Title: "T",
				TaxNumber: "91350100M000100Y43", Email: "a@b.example"})
			return err
		}},
		{"bill.fapiao", true, func(ctx context.Context) error { _, err := f.svc.Fapiao(ctx, bill.ID); return err }},
	}
	refused := func(err error) bool { return errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrNotFound) }
	for _, o := range ops {
		who := []struct {
			name string
			ctx  context.Context
		}{{"another mall's finance", f.far}, {"leasing staff", f.leasing}, {"another tenant", f.tenantB},
			{"merchant staff", f.staffA}, {"a shopper", f.shopper}}
		if !o.tenant {
			who = append(who, struct {
				name string
				ctx  context.Context
			}{"the tenant's admin", f.tenantA})
		}
		for _, w := range who {
			if err := o.call(w.ctx); !refused(err) {
				t.Errorf("%s by %s: %v, want FORBIDDEN", o.name, w.name, err)
			}
		}
		if err := o.call(none); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Errorf("%s anonymously: %v, want UNAUTHENTICATED", o.name, err)
		}
	}
	// payBill and myPayments are the tenant's own.
	payBill := func(ctx context.Context) error { _, err := f.svc.PayBill(ctx, bill.ID, "openid", "k"); return err }
	for name, ctx := range map[string]context.Context{"finance": f.finance, "another tenant": f.tenantB,
		"merchant staff": f.staffA, "a shopper": f.shopper, "another mall's finance": f.far} {
		if err := payBill(ctx); !refused(err) {
			t.Errorf("payBill by %s: %v", name, err)
		}
	}
	if err := payBill(none); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Errorf("payBill anonymously: %v", err)
	}
	if mine, err := f.svc.MyPayments(f.tenantA, pageAll); err != nil || len(mine.Items) != 1 || mine.Items[0].ID != p.ID {
		t.Errorf("myPayments of A = %+v, %v", mine.Items, err)
	}
	if theirs, err := f.svc.MyPayments(f.tenantB, pageAll); err != nil || len(theirs.Items) != 0 {
		t.Errorf("myPayments of B = %+v, %v", theirs.Items, err)
	}
	for name, ctx := range map[string]context.Context{"finance": f.finance, "a shopper": f.shopper, "none": none} {
		if _, err := f.svc.MyPayments(ctx, pageAll); err == nil {
			t.Errorf("myPayments by %s succeeded", name)
		}
	}
	// The tenant may do its part.
	for _, o := range ops {
		if o.tenant {
			if err := o.call(f.tenantA); err != nil {
				t.Errorf("%s by the tenant: %v", o.name, err)
			}
		}
	}
}

// TestReceiptIsGeneratedOnceStoredAndReadable: the receipt PDF is stored in MinIO behind
// a presigned link, shows the payment and its allocation, and is generated once.
func TestReceiptIsGeneratedOnceStoredAndReadable(t *testing.T) {
	t.Parallel()
	f, _, _ := billed(t)
	deps := f.deps
	deps.Objects = storetest.S3(t)
	f.svc = billing.New(deps)
	p := f.payBank(t, "5000", nil)
	url, err := f.svc.ReceiptURL(f.tenantA, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	pdf := get(t, url)
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: %q", pdf[:min(8, len(pdf))])
	}
	text, err := pdftext.Extract(pdf)
	if err != nil {
		t.Fatal(err)
	}
	text = strings.ReplaceAll(text, "\n", "")
	for _, want := range []string{p.ReceiptNo, "¥5000.00", "Bank transfer", "BOC-5000", "MGMT_FEE", "¥1000.00", "RENT",
		"¥4000.00", "2026-10"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	// Reversed since: the receipt stays the one generated (generated once).
	if _, err := f.svc.ReversePayment(f.finance, p.ID, "bounced"); err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.ReceiptURL(f.finance, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, again); string(got) != string(pdf) {
		t.Errorf("the receipt was generated again")
	}
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET receipt: %d %v %s", res.StatusCode, err, b)
	}
	return b
}
