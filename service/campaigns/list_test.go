package campaigns

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// Shoppers and the mall's staff list its running sign-ins, lotteries (with prize stock)
// and gifts; a shop's staff and other malls' staff may not.
func TestListCampaigns(t *testing.T) {
	t.Parallel()
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
