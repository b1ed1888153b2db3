package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/commissions"
	"github.com/atrium-mall/atrium/service/commissions/rule"
)

// seedCommissions gives the demo mall's first merchant commission rules (员工提成): 2 %
// by default, 5 % on the "hair" category, ¥30 per perm (PERM). Rules are upserted, so
// a second seed changes nothing.
func (a *App) seedCommissions(ctx context.Context, _, mall uuid.UUID) error {
	ms, err := a.Services.Org.MallMerchants(ctx, mall)
	if err != nil || len(ms) == 0 {
		return err
	}
	c := a.Services.Commissions
	for _, r := range []commissions.Rule{
		{Scope: rule.ScopeMerchant, Kind: rule.KindPercent, Rate: decimal.NewFromInt(2)},
		{Scope: rule.ScopeCategory, Key: "hair", Kind: rule.KindPercent, Rate: decimal.NewFromInt(5)},
		{Scope: rule.ScopeItem, Key: "PERM", Kind: rule.KindFixed, Amount: decimal.NewFromInt(30)},
	} {
		r.MerchantID = ms[0].ID
		if _, err := c.SetRule(ctx, r); err != nil {
			return fmt.Errorf("demo commission rules: %w", err)
		}
	}
	return nil
}
