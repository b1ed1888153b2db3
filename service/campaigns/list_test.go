package campaigns

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// Shoppers and the mall's staff list its running sign-ins, lotteries (with prize stock)
// and gifts; a shop's staff and other malls' staff may not.
func TestListCampaigns(t *testing.T) {
	f := setup(t, nil)
	c, err := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: f.world.MallID, Name: "Daily", DailyPoints: 5,
		Rewards: []StreakReward{{Day: 7, Points: 50}}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := f.svc.CreateLottery(f.staff, Lottery{MallID: f.world.MallID, Name: "Draw", CostPoints: 10,
		Prizes: []Prize{{Name: "100 points", Odds: decimal.RequireFromString("0.5"), Stock: 3, Points: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := f.svc.CreateGift(f.staff, Gift{MallID: f.world.MallID, Name: "Bag", PointsCost: 100, Stock: 5})
	if err != nil {
		t.Fatal(err)
	}
	member, _ := f.member(t)
	for name, viewer := range map[string]context.Context{"shopper": redemptiontest.Shopper(f.ctx, member),
		"mall staff": f.staff, "security": f.world.MallStaffAs(f.ctx, "security")} {
		signins, err := f.svc.SignInCampaigns(viewer, f.world.MallID)
		if err != nil || len(signins) != 1 || signins[0].ID != c.ID || len(signins[0].Rewards) != 1 {
			t.Errorf("%s: sign-ins %+v %v", name, signins, err)
		}
		lotteries, err := f.svc.Lotteries(viewer, f.world.MallID)
		if err != nil || len(lotteries) != 1 || lotteries[0].ID != l.ID || len(lotteries[0].Prizes) != 1 ||
			lotteries[0].Prizes[0].Stock != 3 {
			t.Errorf("%s: lotteries %+v %v", name, lotteries, err)
		}
		gifts, err := f.svc.Gifts(viewer, f.world.MallID)
		if err != nil || len(gifts) != 1 || gifts[0].ID != g.ID || gifts[0].Stock != 5 {
			t.Errorf("%s: gifts %+v %v", name, gifts, err)
		}
	}
	for name, viewer := range map[string]context.Context{
		"a shop's staff":       redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA),
		"another mall's staff": redemptiontest.MerchantStaff(f.ctx, f.world.OtherMerchant),
	} {
		if _, err := f.svc.Gifts(viewer, f.world.MallID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Campaign set-up refuses bad input with a typed error naming the field, and never
// hands out another mall's coupons; nothing is written.
func TestCampaignSetUpRefusesBadInput(t *testing.T) {
	f := setup(t, nil)
	ours := f.couponTemplate(t, 10)
	groupAdmin := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: f.world.GroupID}}})
	theirs, err := f.coupons.CreateTemplate(groupAdmin, coupons.TemplateInput{MallID: f.world.OtherMallID, Name: "theirs",
		Kind: coupons.KindGift, FaceValue: decimal.NewFromInt(5), ValidDays: 30, TotalStock: 5, PerMember: 1})
	if err != nil {
		t.Fatal(err)
	}
	unknown := uuid.New()
	mall := f.world.MallID
	long := strings.Repeat("x", 201)
	cases := map[string]struct {
		run   func() error
		field string
	}{
		"sign-in without a name": {func() error {
			_, err := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: mall, Name: " ", DailyPoints: 5})
			return err
		}, "name"},
		"sign-in with negative points": {func() error {
			_, err := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: mall, Name: "x", DailyPoints: -1})
			return err
		}, "dailyPoints"},
		"sign-in with a day twice": {func() error {
			_, err := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: mall, Name: "x",
				Rewards: []StreakReward{{Day: 3, Points: 1}, {Day: 3, Points: 2}}})
			return err
		}, "day"},
		"sign-in with another mall's coupon": {func() error {
			_, err := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: mall, Name: "x",
				Rewards: []StreakReward{{Day: 7, TemplateID: &theirs.ID}}})
			return err
		}, "templateId"},
		"lottery with an unknown coupon": {func() error {
			_, err := f.svc.CreateLottery(f.staff, Lottery{MallID: mall, Name: "x", Prizes: []Prize{
				{Name: "a", Odds: decimal.RequireFromString("0.1"), Stock: 1, TemplateID: &unknown}}})
			return err
		}, "templateId"},
		"lottery prize without a name": {func() error {
			_, err := f.svc.CreateLottery(f.staff, Lottery{MallID: mall, Name: "x", Prizes: []Prize{
				{Odds: decimal.RequireFromString("0.1"), Stock: 1, TemplateID: &ours}}})
			return err
		}, "name"},
		"gift with a long name": {func() error {
			_, err := f.svc.CreateGift(f.staff, Gift{MallID: mall, Name: long, PointsCost: 10, Stock: 1})
			return err
		}, "name"},
		"gift of another mall's coupon": {func() error {
			_, err := f.svc.CreateGift(f.staff, Gift{MallID: mall, Name: "x", PointsCost: 10, Stock: 1, TemplateID: &theirs.ID})
			return err
		}, "templateId"},
	}
	for name, c := range cases {
		err := c.run()
		e, ok := errs.As(err)
		if !errors.Is(err, errs.ErrInvalid) || !ok || len(e.Field) == 0 || e.Field[len(e.Field)-1] != c.field {
			t.Errorf("%s: %v, want INVALID_INPUT on %s", name, err, c.field)
		}
	}
	var n int
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT (SELECT count(*) FROM signin_campaigns) + (SELECT count(*) FROM lotteries)
		+ (SELECT count(*) FROM gifts)`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d campaigns written by refused set-ups (%v)", n, err)
	}
}
