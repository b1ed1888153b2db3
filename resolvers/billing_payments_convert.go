package resolvers

import (
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/billing/alloc"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/payments"
)

func tenantPaymentOut(p billing.Payment) model.TenantPayment {
	out := model.TenantPayment{ID: relay.ID("TenantPayment", p.ID), MallID: relay.ID("Mall", p.MallID),
		TenantID: relay.ID("Merchant", p.MerchantID), Method: upper[model.TenantPaymentMethod](string(p.Method)),
		Amount: p.Amount, Credit: p.Credit, Reference: p.Reference, ReceiptNo: p.ReceiptNo,
		ReceivedOn: schedule.DateOf(p.ReceivedOn), Status: upper[model.TenantPaymentStatus](string(p.Status)),
		CreatedAt: p.CreatedAt, ReversedAt: p.ReversedAt, ReverseReason: p.ReverseReason, Svc: p}
	if p.OrderID != nil {
		id := relay.ID("PaymentOrder", *p.OrderID)
		out.OrderID = &id
	}
	return out
}

func tenantPaymentPayload(p billing.Payment, err error) (model.TenantPaymentPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.TenantPaymentPayload{UserErrors: ue}, err
	}
	out := tenantPaymentOut(p)
	return model.TenantPaymentPayload{Payment: &out, UserErrors: ue}, nil
}

func tenantPaymentConnection(res page.Result[billing.Payment]) model.TenantPaymentConnection {
	edges, info := connection(res, func(p billing.Payment) uuid.UUID { return p.ID },
		func(cur string, p billing.Payment) model.TenantPaymentEdge {
			return model.TenantPaymentEdge{Cursor: cur, Node: tenantPaymentOut(p)}
		})
	return model.TenantPaymentConnection{Edges: edges, PageInfo: info}
}

func receiptOut(p billing.Payment) model.Receipt {
	return model.Receipt{PaymentID: relay.ID("TenantPayment", p.ID), ReceiptNo: p.ReceiptNo, Amount: p.Amount,
		ReceivedOn: schedule.DateOf(p.ReceivedOn), Svc: p}
}

func receiptConnection(res page.Result[billing.Payment]) model.ReceiptConnection {
	edges, info := connection(res, func(p billing.Payment) uuid.UUID { return p.ID },
		func(cur string, p billing.Payment) model.ReceiptEdge {
			return model.ReceiptEdge{Cursor: cur, Node: receiptOut(p)}
		})
	return model.ReceiptConnection{Edges: edges, PageInfo: info}
}

func allocationsOut(as []billing.Allocation) []model.PaymentAllocation {
	out := make([]model.PaymentAllocation, len(as))
	for i, a := range as {
		out[i] = model.PaymentAllocation{BillID: relay.ID("Bill", a.BillID), LineID: a.LineID.String(), Code: a.Code,
			Amount: a.Amount, Reversed: a.Reversed}
	}
	return out
}

// partsIn reads a manual allocation (nil when none is given).
func partsIn(in []model.AllocationPartInput) []alloc.Part {
	if in == nil {
		return nil
	}
	out := make([]alloc.Part, len(in))
	for i, p := range in {
		out[i] = alloc.Part{LineID: p.LineID, Amount: p.Amount}
	}
	return out
}

func payBillPayload(p payments.Prepaid, err error) (model.PayBillPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.PayBillPayload{UserErrors: ue}, err
	}
	return model.PayBillPayload{Order: paymentOrderOut(p.Order), Payment: jsapiOut(p.JSAPI), CodeURL: optString(p.CodeURL),
		UserErrors: ue}, nil
}

func fapiaoOut(f billing.FapiaoRequest) *model.FapiaoRequest {
	return &model.FapiaoRequest{ID: relay.ID("FapiaoRequest", f.ID), BillID: relay.ID("Bill", f.BillID), Title: f.Title,
		TaxNumber: f.TaxNumber, Email: f.Email, Status: upper[model.FapiaoStatus](string(f.Status)), InvoiceNo: f.InvoiceNo,
		Error: f.Error, CreatedAt: f.CreatedAt, FinishedAt: f.FinishedAt}
}

func waterfallOut(w alloc.Waterfall) [][]string {
	out := make([][]string, len(w))
	for i, g := range w {
		out[i] = []string(g)
	}
	return out
}

func appliedOut(a alloc.Allocation) ([]model.PaymentAllocation, decimal.Decimal) {
	out := make([]model.PaymentAllocation, len(a.Parts))
	for i, p := range a.Parts {
		out[i] = model.PaymentAllocation{BillID: relay.ID("Bill", uuid.MustParse(p.BillID)), LineID: p.LineID, Code: p.Code,
			Amount: p.Amount}
	}
	return out, a.Allocated()
}
