package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/memberfees/feerules"
	"github.com/atrium-mall/atrium/service/members"
)

// seedMemberFees makes the demo GOLD card a product (issue 17): sold for ¥200, valid 12
// months and renewable, ¥50 joining fee, ¥100 annual fee (¥30 a supplementary card),
// withdrawal 2% within ¥10–¥500 a time and ¥800 a day; the group's fee policy; and a
// company group card. Skipped once GOLD has a price.
func (a *App) seedMemberFees(ctx context.Context, group, mall uuid.UUID) error {
	d := decimal.RequireFromString
	products, err := a.Services.Members.CardProducts(ctx, group)
	if err != nil {
		return fmt.Errorf("demo card products: %w", err)
	}
	var gold *members.CardProduct
	for i := range products {
		if products[i].Code == "GOLD" {
			gold = &products[i]
		}
	}
	if gold == nil || gold.Price != nil {
		return nil
	}
	months, price, lo, hi, day := 12, d("200"), d("10"), d("500"), d("800")
	if _, err := a.Services.Members.SetCardProduct(ctx, members.CardProductInput{CardTypeID: gold.CardTypeID, Price: &price,
		ValidityMonths: &months, Renewable: true, JoiningFee: d("50"), AnnualFee: d("100"), SupplementaryAnnualFee: d("30"),
		WithdrawalAllowed: true, WithdrawalFeeRate: d("0.02"), WithdrawalMin: &lo, WithdrawalMax: &hi,
		WithdrawalDailyLimit: &day}); err != nil {
		return fmt.Errorf("demo GOLD product: %w", err)
	}
	if _, err := a.Services.MemberFees.SetPolicy(ctx, group, feerules.DefaultPolicy()); err != nil {
		return fmt.Errorf("demo fee policy: %w", err)
	}
	if _, err := a.Services.MemberFees.CreateCardGroup(ctx, memberfees.CardGroupInput{MallID: mall,
		Name: "Demo Corp staff 团体卡", PayerCompany: "Demo Corp Ltd"}); err != nil {
		return fmt.Errorf("demo card group: %w", err)
	}
	return nil
}
