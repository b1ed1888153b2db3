package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/page"
)

// seedTenantPayments pays the demo's older month of bills as finance would (issue 13):
// the first tenant's bill in full by bank transfer, the second's half in cash, so the
// demo shows a paid and a partly paid bill with their allocations and receipts; then it
// runs the day's late-fee accrual, so the bills left unpaid past their due date and
// grace days carry a late fee (a late-fee bill). Each payment goes through once.Do keyed
// by its bill and the accrual runs from its watermark, so running the seed again pays
// and charges nothing twice.
func (a *App) seedTenantPayments(ctx context.Context, _, mall uuid.UUID) error {
	place, err := a.Services.Org.MallPlace(ctx, nil, mall)
	if err != nil {
		return fmt.Errorf("demo payments: %w", err)
	}
	y, m, _ := time.Now().In(place.Loc).Date()
	period := time.Date(y, m-2, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	res, err := a.Services.Billing.Bills(ctx, mall, billing.BillFilter{Period: period, Status: billing.BillIssued},
		page.Request{First: page.MaxFirst})
	if err != nil {
		return fmt.Errorf("demo payments: %w", err)
	}
	bills := res.Items
	sort.Slice(bills, func(i, j int) bool { return bills[i].ID.String() < bills[j].ID.String() })
	for i, b := range bills {
		if i > 1 || !b.Gross.IsPositive() {
			break
		}
		in := billing.PaymentInput{MerchantID: b.MerchantID, Method: billing.MethodBank, Amount: b.Gross,
			Reference: "DEMO-" + period, ReceivedOn: time.Date(y, m-1, 10, 0, 0, 0, 0, time.UTC),
			IdempotencyKey: "demo-payment-" + b.ID.String()}
		if i == 1 {
			in.Method, in.Amount = billing.MethodCash, b.Gross.Div(decimal.NewFromInt(2)).Round(2)
		}
		if _, err := a.Services.Billing.RecordTenantPayment(ctx, in); err != nil {
			return fmt.Errorf("demo payment of bill %s: %w", b.ID, err)
		}
	}
	if _, err := a.Services.Billing.AccrueLateFees(ctx, mall); err != nil {
		return fmt.Errorf("demo late fees: %w", err)
	}
	return nil
}
