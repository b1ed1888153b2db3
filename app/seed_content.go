package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
)

// SeedDemoContent gives the demo mall something to use (after SeedDemo): card types (an
// e-card every registering member gets, stored value, parking count, staff discount), a
// loyalty programme with tiers and an earning rule, active coupon templates, a VIP
// lounge with slots for the coming week, a sign-in campaign, a lottery and a gift, a
// brand library with a 招商 pipeline (seed_brands.go), a floor of units with six contracts
// (seed_leasing.go), a few months of the tenants' daily sales (seed_sales.go) and the
// property desk (seed_workorders.go). It goes through the services, as staff would, and
// creates only what is missing, so it can run on every start; lounge slots are topped up
// to a week ahead, sales to yesterday (days replaced).
func (a *App) SeedDemoContent(ctx context.Context) error {
	g, err := a.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		return err
	}
	ctx = auth.WithViewer(ctx, org.SystemViewer(g))
	mall, err := a.Services.Org.MallByCode(ctx, "DEMO")
	if err != nil {
		return fmt.Errorf("demo mall (run SeedDemo first): %w", err)
	}
	steps := []func(context.Context, uuid.UUID, uuid.UUID) error{
		a.seedCardTypes, a.seedLoyalty, a.seedCampaigns, a.seedLounge, a.seedBrands, a.seedLeasing, a.seedSales,
		a.seedWorkOrders, a.seedRoster, a.seedPatrol, a.seedBilling, a.seedTenantPayments, a.seedWarehouse,
		a.seedAssets, a.seedNotify, a.seedProgramme, a.seedMemberFees, a.seedCommissions, a.seedAlliance,
		a.seedReports, // last: rolls up what the steps before wrote
	}
	for _, step := range steps {
		if err := step(ctx, g.ID, mall.ID); err != nil {
			return err
		}
	}
	return nil
}

// named reports whether items hold one whose name (as name gives it) is want.
func named[T any](items []T, name func(T) string, want string) bool {
	for _, it := range items {
		if name(it) == want {
			return true
		}
	}
	return false
}

func (a *App) seedCardTypes(ctx context.Context, group, _ uuid.UUID) error {
	rate := decimal.RequireFromString("0.95")
	existing, err := a.Services.Members.CardTypes(ctx, group)
	if err != nil {
		return fmt.Errorf("demo card types: %w", err)
	}
	for _, in := range []members.CardTypeInput{
		{Code: "ECARD", Name: "Demo Plaza e-card", Kind: "points", IssueOnRegistration: true},
		{Code: "GOLD", Name: "Gold stored-value card", Kind: "stored_value"},
		{Code: "PARK10", Name: "Parking 10-visit card", Kind: "count", ServiceName: "parking"},
		{Code: "STAFF95", Name: "Staff discount card", Kind: "discount", DiscountRate: &rate},
	} {
		if named(existing, func(t members.CardType) string { return t.Code }, in.Code) {
			continue
		}
		in.GroupID = group
		if _, err := a.Services.Members.CreateCardType(ctx, in); err != nil {
			return fmt.Errorf("demo card type %s: %w", in.Code, err)
		}
	}
	return nil
}

func (a *App) seedLoyalty(ctx context.Context, group, _ uuid.UUID) error {
	d := decimal.RequireFromString
	tiers, err := a.Services.Loyalty.Tiers(ctx, group)
	if err != nil || len(tiers) > 0 {
		return err
	}
	if err := a.Services.Loyalty.SetProgram(ctx, loyalty.Program{GroupID: group, TierBasis: "spend", TierWindowDays: 365,
		PointsExpiryDays: 365, ReturnWindowDays: 7, PointValue: d("0.01"), TransferMax: 5000, TransferDailyMax: 20000,
		ReferralPoints: 200, ReferralMinAmount: d("100")}); err != nil {
		return fmt.Errorf("demo programme: %w", err)
	}
	for _, t := range []loyalty.Tier{
		{Code: "silver", Name: "Silver", Rank: 1, Threshold: d("0"), DiscountRate: d("1"), PointsMultiplier: d("1")},
		{Code: "gold", Name: "Gold", Rank: 2, Threshold: d("5000"), DiscountRate: d("0.98"), PointsMultiplier: d("1.5")},
		{Code: "diamond", Name: "Diamond", Rank: 3, Threshold: d("20000"), DiscountRate: d("0.95"), PointsMultiplier: d("2")},
	} {
		t.GroupID = group
		if _, err := a.Services.Loyalty.AddTier(ctx, t); err != nil {
			return fmt.Errorf("demo tier %s: %w", t.Code, err)
		}
	}
	return a.Services.Loyalty.SetEarnRule(ctx, loyalty.EarnRule{GroupID: group, PointsPerYuan: d("1")})
}

// seedCampaigns creates the coupon templates, then the sign-in, lottery and gift that
// hand them out; each only when the mall has none of that name, so a run that stopped
// half-way is completed by the next.
func (a *App) seedCampaigns(ctx context.Context, _, mall uuid.UUID) error {
	d := decimal.RequireFromString
	ids := map[string]uuid.UUID{}
	templates, err := a.Services.Coupons.Templates(ctx, mall, "", page.Request{First: page.MaxFirst})
	if err != nil {
		return fmt.Errorf("demo coupons: %w", err)
	}
	for _, t := range templates.Items {
		ids[t.Name] = t.ID
	}
	for _, in := range []coupons.TemplateInput{
		{Name: "¥20 off ¥100", Kind: coupons.KindCash, FaceValue: d("20"), MinSpend: d("100"), TotalStock: 1000, PerMember: 1},
		{Name: "Flash sale: ¥50 off ¥200", Kind: coupons.KindCash, FaceValue: d("50"), MinSpend: d("200"), TotalStock: 100,
			PerMember: 1, Funder: coupons.FunderMerchant},
		{Name: "10% off food", Kind: coupons.KindPercent, PercentOff: d("10"), FaceValue: d("30"), Categories: []string{"food"},
			TotalStock: 500, PerMember: 2, Stacking: "stackable"},
		{Name: "2 hours free parking", Kind: coupons.KindParking, ParkingHours: 2, TotalStock: 2000, PerMember: 4},
		{Name: "Free coffee", Kind: coupons.KindGift, FaceValue: d("25"), TotalStock: 300, PerMember: 1},
	} {
		if _, ok := ids[in.Name]; ok {
			continue
		}
		in.MallID, in.ValidDays = mall, 30
		t, err := a.Services.Coupons.CreateTemplate(ctx, in)
		if err == nil {
			_, err = a.Services.Coupons.SetStatus(ctx, t.ID, "active")
		}
		if err != nil {
			return fmt.Errorf("demo coupon %q: %w", in.Name, err)
		}
		ids[in.Name] = t.ID
	}
	parking, coffee := ids["2 hours free parking"], ids["Free coffee"]
	signIns, err := a.Services.Campaigns.SignInCampaigns(ctx, mall)
	if ok := named(signIns, func(c campaigns.SignInCampaign) string { return c.Name }, "Daily sign-in"); err != nil || !ok {
		if err == nil {
			_, err = a.Services.Campaigns.CreateSignInCampaign(ctx, campaigns.SignInCampaign{MallID: mall, Name: "Daily sign-in",
				DailyPoints: 5, Rewards: []campaigns.StreakReward{{Day: 3, Points: 20}, {Day: 7, TemplateID: &parking}}})
		}
		if err != nil {
			return fmt.Errorf("demo sign-in: %w", err)
		}
	}
	lotteries, err := a.Services.Campaigns.Lotteries(ctx, mall)
	if ok := named(lotteries, func(l campaigns.Lottery) string { return l.Name }, "Lucky draw"); err != nil || !ok {
		if err == nil {
			_, err = a.Services.Campaigns.CreateLottery(ctx, campaigns.Lottery{MallID: mall, Name: "Lucky draw", CostPoints: 50,
				Prizes: []campaigns.Prize{{Name: "500 points", Odds: d("0.05"), Stock: 20, Points: 500},
					{Name: "Free coffee", Odds: d("0.2"), Stock: 100, TemplateID: &coffee}}})
		}
		if err != nil {
			return fmt.Errorf("demo lottery: %w", err)
		}
	}
	gifts, err := a.Services.Campaigns.Gifts(ctx, mall)
	if ok := named(gifts, func(g campaigns.Gift) string { return g.Name }, "Atrium tote bag"); err != nil || !ok {
		if err == nil {
			_, err = a.Services.Campaigns.CreateGift(ctx, campaigns.Gift{MallID: mall, Name: "Atrium tote bag", PointsCost: 800,
				Stock: 50})
		}
		if err != nil {
			return fmt.Errorf("demo gift: %w", err)
		}
	}
	return nil
}

// seedLounge creates the VIP lounge (300 points or ¥30 a visit) and its two-hour slots
// from 10:00 to 22:00, mall time, for the next seven days.
func (a *App) seedLounge(ctx context.Context, _, mall uuid.UUID) error {
	const name = "VIP lounge"
	var res bookings.Resource
	list, err := a.Services.Bookings.Resources(ctx, mall)
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.Name == name {
			res = r
		}
	}
	if res.ID == uuid.Nil {
		if res, err = a.Services.Bookings.CreateResource(ctx, bookings.Resource{MallID: mall, Name: name, Kind: "lounge",
			FreeCancelHours: 2, PricePoints: 300, PriceAmount: decimal.RequireFromString("30")}); err != nil {
			return fmt.Errorf("demo lounge: %w", err)
		}
	}
	place, err := a.Services.Org.MallPlace(ctx, nil, mall)
	if err != nil {
		return fmt.Errorf("demo lounge: %w", err)
	}
	loc := place.Loc // slots follow the mall's own day
	now := time.Now()
	slots, err := a.Services.Bookings.Slots(ctx, res.ID, now, now.AddDate(0, 0, 8))
	if err != nil {
		return fmt.Errorf("demo lounge slots: %w", err)
	}
	today := now.In(loc)
	for day := range 7 {
		date := time.Date(today.Year(), today.Month(), today.Day()+day, 0, 0, 0, 0, loc)
		for hour := 10; hour < 22; hour += 2 {
			start := date.Add(time.Duration(hour) * time.Hour)
			if !start.After(time.Now()) {
				continue
			}
			if named(slots, func(s bookings.Slot) string { return s.StartsAt.UTC().String() }, start.UTC().String()) {
				continue
			}
			if _, err := a.Services.Bookings.CreateSlot(ctx, res.ID, start, start.Add(2*time.Hour), 8); err != nil {
				return fmt.Errorf("demo lounge slot: %w", err)
			}
		}
	}
	return nil
}
