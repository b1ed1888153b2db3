package billing_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/billing/alloc"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/payments"
	"github.com/atrium-mall/atrium/service/payments/wechatpaytest"
)

func eqDec(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(dec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func isCode(err error, code string) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Code == code
}

// billed sets up merchant A with one contract from October (rent 10,900, management
// fee 1,000, deposit 21,800 — 33,700 on October's bill) and issues October's bill.
func billed(t *testing.T) (*fixture, leasing.Contract, billing.Bill) {
	t.Helper()
	f := setup(t, time.Date(2026, 11, 20, 10, 0, 0, 0, sh))
	c := f.contract(t, f.a, terms(schedule.D(2026, 10, 1), 12, 10900))
	run := f.run(t, "2026-10")
	f.issueAll(t, run)
	bills := f.bills(t, run.ID)
	if len(bills) != 1 {
		t.Fatalf("bills = %d", len(bills))
	}
	eqDec(t, "october gross", bills[0].Gross, "33700")
	return f, c, bills[0]
}

// outstandingByCode sums a bill's lines' outstanding per charge code.
func (f *fixture) outstandingByCode(t *testing.T, billID uuid.UUID) map[string]decimal.Decimal {
	t.Helper()
	b, err := f.svc.Bill(f.finance, billID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]decimal.Decimal{"": b.Outstanding}
	for _, l := range f.lines(t, b) {
		out[l.Code] = out[l.Code].Add(l.Outstanding)
	}
	return out
}

func (f *fixture) payBank(t *testing.T, amount string, parts []alloc.Part) billing.Payment {
	t.Helper()
	p, err := f.svc.RecordTenantPayment(f.finance, billing.PaymentInput{MerchantID: f.a, Method: billing.MethodBank,
		Amount: dec(amount), Reference: "BOC-" + amount, ReceivedOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		IdempotencyKey: service.NewID().String(), Parts: parts})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBankPaymentFollowsTheDefaultWaterfallAndReversesExactly(t *testing.T) {
	t.Parallel()
	f, _, bill := billed(t)
	before := f.outstandingByCode(t, bill.ID)
	in := billing.PaymentInput{MerchantID: f.a, Method: billing.MethodBank, Amount: dec("5000"), Reference: "BOC 123",
		ReceiptNo: "PAPER-001", ReceivedOn: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), IdempotencyKey: "k1"}
	p, err := f.svc.RecordTenantPayment(f.finance, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.RecordTenantPayment(f.finance, in)
	if err != nil || again.ID != p.ID {
		t.Fatalf("replay = %v, %v; want the same payment", again.ID, err)
	}
	eqDec(t, "credit", p.Credit, "0")
	// Default: management fee first (1,000), then rent (4,000 of 10,900); the deposit waits.
	after := f.outstandingByCode(t, bill.ID)
	eqDec(t, "MGMT_FEE outstanding", after["MGMT_FEE"], "0")
	eqDec(t, "RENT outstanding", after["RENT"], "6900")
	eqDec(t, "DEPOSIT outstanding", after["DEPOSIT"], before["DEPOSIT"].String())
	eqDec(t, "bill outstanding", after[""], "28700")
	allocs, err := f.svc.Allocations(f.finance, p)
	if err != nil || len(allocs) != 2 || allocs[0].Code != "MGMT_FEE" || allocs[1].Code != "RENT" {
		t.Fatalf("allocations = %+v, %v", allocs, err)
	}
	f.verify(t)
	if _, err := f.svc.RecordTenantPayment(f.finance, billing.PaymentInput{MerchantID: f.a, Method: billing.MethodCash,
		Amount: dec("1"), ReceiptNo: "PAPER-001", IdempotencyKey: "k2"}); !isCode(err, "RECEIPT_NO_TAKEN") {
		t.Errorf("receipt number twice: %v", err)
	}
	if _, err := f.svc.ReversePayment(f.finance, p.ID, " "); !isCode(err, "INVALID_REASON") {
		t.Errorf("reverse without a reason: %v", err)
	}
	r, err := f.svc.ReversePayment(f.finance, p.ID, "bounced")
	if err != nil || r.Status != billing.PaymentReversed || r.ReverseReason != "bounced" {
		t.Fatalf("reverse = %+v, %v", r, err)
	}
	restored := f.outstandingByCode(t, bill.ID)
	for code, v := range before {
		eqDec(t, "restored "+code, restored[code], v.String())
	}
	if _, err := f.svc.ReversePayment(f.finance, p.ID, "again"); !errors.Is(err, billing.ErrReversed) {
		t.Errorf("reverse twice: %v", err)
	}
	f.verify(t)
}

func TestOverpaymentIsCreditAppliedToTheNextIssuedBill(t *testing.T) {
	t.Parallel()
	f, _, bill := billed(t)
	p := f.payBank(t, "40000", nil)
	eqDec(t, "credit left", p.Credit, "6300")
	eqDec(t, "october outstanding", f.outstandingByCode(t, bill.ID)[""], "0")
	if c, err := f.svc.TenantCredit(f.tenantA, f.a); err != nil || !c.Equal(dec("6300")) {
		t.Fatalf("tenant credit = %s, %v", c, err)
	}
	f.verify(t)
	nov := f.run(t, "2026-11")
	f.issueAll(t, nov)
	bills := f.bills(t, nov.ID)
	if len(bills) != 1 {
		t.Fatalf("november bills = %d", len(bills))
	}
	// November: rent 10,900 + management fee 1,000 = 11,900, less the credit of 6,300.
	eqDec(t, "november gross", bills[0].Gross, "11900")
	eqDec(t, "november outstanding", bills[0].Outstanding, "5600")
	if c, _ := f.svc.TenantCredit(f.finance, f.a); !c.IsZero() {
		t.Errorf("credit after the issue = %s, want 0", c)
	}
	f.verify(t)
	// The credit it left is spent: the payment is no longer reversible.
	if _, err := f.svc.ReversePayment(f.finance, p.ID, "mistake"); !errors.Is(err, billing.ErrCreditUsed) {
		t.Errorf("reverse after the credit was applied: %v", err)
	}
	if _, err := f.svc.ApplyTenantCredit(f.finance, billing.ApplyCreditInput{MerchantID: f.a}); !errors.Is(err, billing.ErrNoCredit) {
		t.Errorf("apply without credit: %v", err)
	}
	f.verify(t)
}

func TestDeclaredWaterfallManualAllocationAndCreditOnDemand(t *testing.T) {
	t.Parallel()
	f, c, bill := billed(t)
	if _, err := f.svc.SetWaterfall(f.finance, c.ID, alloc.Waterfall{{"DEPOSIT"}, {""}}); !isCode(err, "ALLOCATION_WATERFALL") {
		t.Errorf("malformed waterfall: %v", err)
	}
	w := alloc.Waterfall{{"RENT"}, {"MGMT_FEE"}}
	if _, err := f.svc.SetWaterfall(f.finance, c.ID, w); err != nil {
		t.Fatal(err)
	}
	if got, err := f.svc.Waterfall(f.finance, c.ID); err != nil || fmt.Sprint(got) != fmt.Sprint(w) {
		t.Fatalf("waterfall = %v, %v", got, err)
	}
	f.payBank(t, "500", nil)
	o := f.outstandingByCode(t, bill.ID)
	eqDec(t, "RENT after the declared waterfall", o["RENT"], "10400")
	eqDec(t, "MGMT_FEE untouched", o["MGMT_FEE"], "1000")
	// Manual: 300 to the deposit line, the 200 left is credit.
	var deposit billing.Line
	for _, l := range f.lines(t, bill) {
		if l.Code == "DEPOSIT" {
			deposit = l
		}
	}
	if _, err := f.svc.RecordTenantPayment(f.finance, billing.PaymentInput{MerchantID: f.a, Method: billing.MethodCash,
		Amount: dec("500"), IdempotencyKey: "too-much", Parts: []alloc.Part{{LineID: deposit.ID.String(), Amount: dec("600")}}}); !isCode(err, "ALLOCATION_ABOVE_AMOUNT") {
		t.Errorf("parts above the payment: %v", err)
	}
	p := f.payBank(t, "500", []alloc.Part{{LineID: deposit.ID.String(), Amount: dec("300")}})
	eqDec(t, "manual credit", p.Credit, "200")
	eqDec(t, "DEPOSIT after the manual part", f.outstandingByCode(t, bill.ID)["DEPOSIT"], "21500")
	f.verify(t)
	// On demand, by finance's parts: 150 of the credit to the management fee.
	var mgmt billing.Line
	for _, l := range f.lines(t, bill) {
		if l.Code == "MGMT_FEE" {
			mgmt = l
		}
	}
	a, err := f.svc.ApplyTenantCredit(f.finance, billing.ApplyCreditInput{MerchantID: f.a,
		Parts: []alloc.Part{{LineID: mgmt.ID.String(), Amount: dec("150")}}})
	if err != nil || !a.Allocated().Equal(dec("150")) {
		t.Fatalf("apply credit manually = %+v, %v", a, err)
	}
	// And by the waterfall: the remaining 50 to rent.
	a, err = f.svc.ApplyTenantCredit(f.finance, billing.ApplyCreditInput{MerchantID: f.a})
	if err != nil || len(a.Parts) != 1 || a.Parts[0].Code != "RENT" || !a.Allocated().Equal(dec("50")) {
		t.Fatalf("apply credit = %+v, %v", a, err)
	}
	if _, err := f.svc.SetWaterfall(f.finance, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Waterfall(f.finance, c.ID); fmt.Sprint(got) != fmt.Sprint(alloc.Default) {
		t.Errorf("waterfall reset = %v", got)
	}
	f.verify(t)
}

func TestConcurrentPaymentsNeverOverAllocate(t *testing.T) {
	t.Parallel()
	f, _, bill := billed(t)
	const n = 16
	var wg sync.WaitGroup
	got := make([]billing.Payment, n)
	errc := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			method := billing.MethodBank
			if i%2 == 1 {
				method = billing.MethodCash
			}
			p, err := f.svc.RecordTenantPayment(f.finance, billing.PaymentInput{MerchantID: f.a, Method: method,
				Amount: dec("3000.01"), IdempotencyKey: fmt.Sprintf("race-%d", i)})
			got[i] = p
			errc <- err
		}()
		// Credit applications race with the payments (the credit left by those done).
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.ApplyTenantCredit(f.finance, billing.ApplyCreditInput{MerchantID: f.a}); err != nil &&
				!errors.Is(err, billing.ErrNoCredit) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Whatever the interleaving, the bill is paid exactly and the rest is credit: no line
	// went below zero (the CHECK-free outstanding is verified against the ledger).
	for code, v := range f.outstandingByCode(t, bill.ID) {
		eqDec(t, "outstanding "+code, v, "0")
	}
	if c, _ := f.svc.TenantCredit(f.finance, f.a); !c.Equal(dec("14300.16")) { // 16 × 3,000.01 − 33,700
		t.Errorf("tenant credit = %s, want 14300.16", c)
	}
	f.verify(t)
	// Apply the rest of nothing: no open line is left, so credit stays.
	if a, err := f.svc.ApplyTenantCredit(f.finance, billing.ApplyCreditInput{MerchantID: f.a}); err != nil || len(a.Parts) != 0 {
		t.Errorf("apply with nothing open = %+v, %v", a, err)
	}
	// Reversals race too: each gives back exactly what its payment took (one whose credit
	// was applied meanwhile is refused), and the books still agree.
	var reversed sync.Map
	for _, p := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.ReversePayment(f.finance, p.ID, "test")
			switch {
			case err == nil:
				reversed.Store(p.ID, p)
			case !errors.Is(err, billing.ErrCreditUsed):
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	count := 0
	reversed.Range(func(any, any) bool { count++; return true })
	if count == 0 {
		t.Error("no payment could be reversed")
	}
	f.verify(t)
}

func TestWeChatBillPaymentSettlesOnce(t *testing.T) {
	t.Parallel()
	f, _, bill := billed(t)
	other := f.payBank(t, "100", nil) // some of the management fee paid at the bank
	_ = other
	bill, _ = f.svc.Bill(f.finance, bill.ID)
	eqDec(t, "outstanding before", bill.Outstanding, "33600")
	if _, err := f.svc.PayBill(f.tenantA, bill.ID, "", "k"); !isCode(err, "INVALID_OPENID") {
		t.Errorf("no openid: %v", err)
	}
	p, err := f.svc.PayBill(f.tenantA, bill.ID, "openid-of-tenant", "pay-1")
	if err != nil {
		t.Fatal(err)
	}
	if p.JSAPI == nil || p.Order.Purpose != billing.PurposeBill || p.Order.AmountFen != 3360000 {
		t.Fatalf("prepaid = %+v", p)
	}
	again, err := f.svc.PayBill(f.tenantA, bill.ID, "openid-of-tenant", "pay-1")
	if err != nil || again.Order.ID != p.Order.ID {
		t.Fatalf("replay = %v, %v", again.Order.ID, err)
	}
	codes, err := f.pay.fake.Pay(p.Order.OutTradeNo, 5, wechatpaytest.Intact)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range codes {
		if c != 204 {
			t.Errorf("delivery %d answered %d", i, c)
		}
	}
	if o, _ := f.pay.svc.Order(f.finance, p.Order.ID); o.SettleError != "" {
		t.Fatalf("settlement refused: %s", o.SettleError)
	}
	res, err := f.svc.TenantPayments(f.finance, f.org.MallID, billing.PaymentFilter{Method: billing.MethodWeChat}, pageAll)
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("wechat payments = %d, %v", len(res.Items), err)
	}
	wp := res.Items[0]
	if wp.OrderID == nil || *wp.OrderID != p.Order.ID || !wp.Amount.Equal(dec("33600")) || !wp.Credit.IsZero() {
		t.Fatalf("wechat payment = %+v", wp)
	}
	var postings int
	if err := f.base.DB.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM ledger_postings WHERE key = $1`, billing.PaymentPostingKey(wp.ID)).Scan(&postings); err != nil || postings != 1 {
		t.Errorf("postings = %d, %v", postings, err)
	}
	bill, _ = f.svc.Bill(f.finance, bill.ID)
	eqDec(t, "outstanding after", bill.Outstanding, "0")
	o, err := f.pay.svc.Order(f.finance, p.Order.ID)
	if err != nil || o.Status != payments.StatusPaid || o.SettleError != "" {
		t.Fatalf("order = %+v, %v", o, err)
	}
	f.verify(t)
	// Nothing left to pay; finance's QR for a bill with something owed is a Native code.
	if _, err := f.svc.PayBill(f.tenantA, bill.ID, "openid-of-tenant", "pay-2"); !isCode(err, "BILL_NOTHING_OWED") {
		t.Errorf("pay a paid bill: %v", err)
	}
	if _, err := f.svc.ReversePayment(f.finance, other.ID, "to test the QR"); err != nil {
		t.Fatal(err)
	}
	qr, err := f.svc.BillPaymentQR(f.finance, bill.ID, "qr-1")
	if err != nil || qr.CodeURL == "" || qr.Order.Mode != payments.ModeNative || qr.Order.AmountFen != 10000 {
		t.Fatalf("QR = %+v, %v", qr, err)
	}
	f.verify(t)
}

func TestFapiaoRequestOncePerBill(t *testing.T) {
	t.Parallel()
	f, _, bill := billed(t)
	in := billing.FapiaoInput{BillID: bill.ID, Title: "上海某某餐饮有限公司", TaxNumber: "91350100M000100Y44",
		Email: "finance@tenant.example"}
	if _, err := f.svc.RequestFapiao(f.tenantA, in); !isCode(err, "INVALID_TAX_NUMBER") {
		t.Errorf("bad check character: %v", err)
	}
	in.TaxNumber = "91350100m000100y43"
	in.Email = "not an email"
	if _, err := f.svc.RequestFapiao(f.tenantA, in); !isCode(err, "INVALID_EMAIL") {
		t.Errorf("bad email: %v", err)
	}
	in.Email = "finance@tenant.example"
	r, err := f.svc.RequestFapiao(f.tenantA, in)
	if err != nil || r.Status != billing.FapiaoIssued || r.InvoiceNo != "00000001" || r.TaxNumber != "91350100M000100Y43" {
		t.Fatalf("fapiao = %+v, %v", r, err)
	}
	if len(f.pay.fapiao.Orders) != 1 || f.pay.fapiao.Orders[0].Bill.ID != bill.ID {
		t.Errorf("provider orders = %+v", f.pay.fapiao.Orders)
	}
	if _, err := f.svc.RequestFapiao(f.finance, in); !errors.Is(err, billing.ErrFapiaoTwice) {
		t.Errorf("second request: %v", err)
	}
	if got, err := f.svc.Fapiao(f.finance, bill.ID); err != nil || got.ID != r.ID {
		t.Errorf("read = %+v, %v", got, err)
	}
	// A provider failure leaves the request FAILED with its reason.
	nov := f.run(t, "2026-11")
	f.issueAll(t, nov)
	f.pay.fapiao.Fail = errors.New("tax bureau unreachable")
	in.BillID = f.bills(t, nov.ID)[0].ID
	r, err = f.svc.RequestFapiao(f.finance, in)
	if err != nil || r.Status != billing.FapiaoFailed || r.Error != "tax bureau unreachable" {
		t.Fatalf("failed fapiao = %+v, %v", r, err)
	}
}
