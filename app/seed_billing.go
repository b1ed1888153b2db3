package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/page"
)

// seedBilling bills the demo contracts for the last two months (issue 13) as finance
// would: a bill run per month (carried out here at once; its queued job then finds it
// done), every draft reviewed, the run's bills issued and posted to the ledger. It is
// idempotent: a month's run exists once, a bill is reviewed and issued once. Payments:
// seedTenantPayments, with the late fees of what stays unpaid.
func (a *App) seedBilling(ctx context.Context, _, mall uuid.UUID) error {
	place, err := a.Services.Org.MallPlace(ctx, nil, mall)
	if err != nil {
		return fmt.Errorf("demo billing: %w", err)
	}
	y, m, _ := time.Now().In(place.Loc).Date()
	bills := a.Services.Billing
	for back := 2; back >= 1; back-- {
		period := time.Date(y, m-time.Month(back), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		run, err := bills.StartRun(ctx, mall, period)
		if err == nil {
			err = bills.Execute(ctx, run.ID)
		}
		if err == nil {
			err = a.reviewDrafts(ctx, mall, run.ID)
		}
		if err == nil {
			_, err = bills.IssueRun(ctx, run.ID)
		}
		if err != nil {
			return fmt.Errorf("demo billing %s: %w", period, err)
		}
	}
	return nil
}

// reviewDrafts reviews every draft bill of a run.
func (a *App) reviewDrafts(ctx context.Context, mall, run uuid.UUID) error {
	for {
		drafts, err := a.Services.Billing.Bills(ctx, mall, billing.BillFilter{RunID: run, Status: billing.BillDraft},
			page.Request{First: page.MaxFirst})
		if err != nil || len(drafts.Items) == 0 {
			return err
		}
		for _, b := range drafts.Items {
			if _, err := a.Services.Billing.Review(ctx, b.ID); err != nil {
				return err
			}
		}
	}
}
