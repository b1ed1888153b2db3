package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/ledger"
)

// TestBillingPaymentsGraphQL: over the demo data and the HTTP endpoint, finance records
// a tenant's bank payment, the tenant reads its payments, allocations, receipts and
// credit and requests a fapiao, finance reverses the payment; every operation refuses
// the callers it is not for; the ledger verifies.
func TestBillingPaymentsGraphQL(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	if err := e.app.SeedDemoContent(ctx); err != nil {
		t.Fatal(err)
	}
	finance, _ := e.login("finance")
	tenant, _ := e.login("coffee.tenant")
	cashier, _ := e.login("coffee.cashier")
	desk, _ := e.login("desk")
	r := e.do(tenant, `{ myBills(first: 1) { edges { node { id tenantId mallId outstanding lines { contractId } } } } }`, nil)
	bills, _ := path(r.Data, "myBills", "edges").([]any)
	if len(bills) == 0 {
		t.Fatalf("coffee's bills: %+v", r)
	}
	bill := path(bills[0], "node").(map[string]any)
	tenantID, mallID, billID := bill["tenantId"], bill["mallId"], bill["id"]
	contractID := path(bill["lines"].([]any)[0], "contractId")

	const recordQ = `mutation($t: ID!) { recordTenantPayment(input: {tenantId: $t, method: BANK, amount: "100.00",
		reference: "BOC 1", receivedOn: "2026-11-20", idempotencyKey: "gql-1"}) {
		payment { id method amount credit status receiptNo allocations { billId code amount } }
		userErrors { code field message } } }`
	r = e.do(finance, recordQ, map[string]any{"t": tenantID})
	pay, _ := path(r.Data, "recordTenantPayment", "payment").(map[string]any)
	if pay == nil || pay["method"] != "BANK" || pay["status"] != "POSTED" || pay["receiptNo"] == "" {
		t.Fatalf("recordTenantPayment: %+v", r)
	}
	payID := pay["id"]

	// The tenant reads its own.
	r = e.do(tenant, `query($p: ID!) { tenantPayment(id: $p) { id allocations { code amount } receipt { receiptNo url } }
		myPayments { edges { node { id } } } myReceipts { edges { node { paymentId url } } }
		tenantCredit(tenantId: "`+tenantID.(string)+`") }`, map[string]any{"p": payID})
	mine, _ := path(r.Data, "myPayments", "edges").([]any)
	receipts, _ := path(r.Data, "myReceipts", "edges").([]any)
	if path(r.Data, "tenantPayment", "id") != payID || path(r.Data, "tenantPayment", "receipt", "url") == "" ||
		len(mine) == 0 || path(mine[0], "node", "id") != payID || len(receipts) != len(mine) {
		t.Fatalf("tenant reads: %+v", r) // newest first: the payment just made (the seed paid others)
	}
	r = e.do(tenant, `mutation($b: ID!) { requestFapiao(input: {billId: $b, title: "Coffee Ltd", taxNumber: "91350100M000100Y43",
		email: "coffee@example.com"}) { fapiao { status invoiceNo } userErrors { code } } }`, map[string]any{"b": billID})
	if path(r.Data, "requestFapiao", "fapiao", "status") != "ISSUED" {
		t.Fatalf("requestFapiao: %+v", r)
	}
	r = e.do(tenant, `mutation($b: ID!) { payBill(billId: $b, openId: "o-1", idempotencyKey: "p1") { userErrors { code } } }`,
		map[string]any{"b": billID})
	if r.code() != "" {
		t.Fatalf("payBill by the tenant: %+v", r) // a userError (online payment is off here), never FORBIDDEN
	}

	vars := map[string]any{"m": mallID, "t": tenantID, "p": payID, "b": billID, "c": contractID}
	financeOnly := map[string]string{
		"tenantPayments":       `query($m: ID!) { tenantPayments(mallId: $m) { edges { node { id } } } }`,
		"contractWaterfall":    `query($c: ID!) { contractWaterfall(contractId: $c) }`,
		"recordTenantPayment":  recordQ,
		"reversePayment":       `mutation($p: ID!) { reversePayment(id: $p, reason: "x") { userErrors { code } } }`,
		"applyTenantCredit":    `mutation($t: ID!) { applyTenantCredit(input: {tenantId: $t}) { userErrors { code } } }`,
		"setContractWaterfall": `mutation($c: ID!) { setContractWaterfall(contractId: $c, waterfall: [["RENT"]]) { userErrors { code } } }`,
		"billPaymentQr":        `mutation($b: ID!) { billPaymentQr(billId: $b, idempotencyKey: "q") { userErrors { code } } }`,
	}
	tenantToo := map[string]string{
		"tenantPayment": `query($p: ID!) { tenantPayment(id: $p) { id } }`,
		"receipt":       `query($p: ID!) { receipt(paymentId: $p) { url } }`,
		"tenantCredit":  `query($t: ID!) { tenantCredit(tenantId: $t) }`,
		"billFapiao":    `query($b: ID!) { billFapiao(billId: $b) { status } }`,
	}
	tenantOnly := map[string]string{
		"myPayments": `{ myPayments { edges { node { id } } } }`,
		"myReceipts": `{ myReceipts { edges { node { url } } } }`,
		"payBill":    `mutation($b: ID!) { payBill(billId: $b, openId: "o", idempotencyKey: "k") { userErrors { code } } }`,
	}
	refused := func(name, who, token, q string) {
		t.Helper()
		res := e.do(token, q, vars)
		want := "FORBIDDEN"
		if token == "" {
			want = "UNAUTHENTICATED"
		}
		if res.code() != want && res.code() != "NOT_FOUND" {
			t.Errorf("%s by %s: %+v, want %s", name, who, res, want)
		}
	}
	for name, q := range financeOnly {
		for who, tok := range map[string]string{"the tenant": tenant, "its cashier": cashier, "the desk": desk, "anonymous": ""} {
			refused(name, who, tok, q)
		}
	}
	for name, q := range tenantToo {
		for who, tok := range map[string]string{"its cashier": cashier, "the desk": desk, "anonymous": ""} {
			refused(name, who, tok, q)
		}
		if res := e.do(finance, q, vars); len(res.Errors) > 0 {
			t.Errorf("%s by finance: %+v", name, res)
		}
	}
	for name, q := range tenantOnly {
		for who, tok := range map[string]string{"finance": finance, "its cashier": cashier, "anonymous": ""} {
			refused(name, who, tok, q)
		}
	}
	r = e.do(finance, `mutation($p: ID!) { reversePayment(id: $p, reason: "bounced") { payment { status reverseReason } userErrors { code } } }`, vars)
	if path(r.Data, "reversePayment", "payment", "status") != "REVERSED" {
		t.Fatalf("reversePayment: %+v", r)
	}
	breaches, err := ledger.New(ledger.Deps{DB: e.app.DB, Now: time.Now}).Verify(ctx)
	more, err2 := billing.Verify(ctx, e.app.DB)
	if err != nil || err2 != nil || len(breaches)+len(more) > 0 {
		t.Fatalf("verify: %v %v %v %v", err, err2, breaches, more)
	}
}
