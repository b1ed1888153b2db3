package resolvers

import (
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
)

func offersOut(offers []coupons.Offer) []model.CouponOffer {
	return mapSlice(offers, func(o coupons.Offer) model.CouponOffer {
		return model.CouponOffer{Template: *templateOut(o.Template), Remaining: o.Remaining, MyClaims: o.MyClaims,
			CanClaim: o.CanClaim()}
	})
}

func signInIn(in model.CreateSignInCampaignInput) (campaigns.SignInCampaign, error) {
	mall, err := globalID("Mall", in.MallID)
	if err != nil {
		return campaigns.SignInCampaign{}, err
	}
	c := campaigns.SignInCampaign{MallID: mall, Name: in.Name, DailyPoints: in.DailyPoints}
	for _, r := range in.Rewards {
		tpl, err := optGlobalID("CouponTemplate", r.TemplateID)
		if err != nil {
			return c, err
		}
		c.Rewards = append(c.Rewards, campaigns.StreakReward{Day: r.Day, Points: deref(r.Points), TemplateID: tpl})
	}
	return c, nil
}

func signInOut(c campaigns.SignInCampaign) model.SignInCampaign {
	return model.SignInCampaign{ID: relay.ID("SignInCampaign", c.ID), MallID: relay.ID("Mall", c.MallID), Name: c.Name,
		DailyPoints: c.DailyPoints, Rewards: mapSlice(c.Rewards, func(r campaigns.StreakReward) model.StreakReward {
			return model.StreakReward{Day: r.Day, Points: r.Points, TemplateID: optID("CouponTemplate", r.TemplateID)}
		})}
}

func giftOut(g campaigns.Gift) model.Gift {
	return model.Gift{ID: relay.ID("Gift", g.ID), MallID: relay.ID("Mall", g.MallID), Name: g.Name,
		PointsCost: g.PointsCost, Stock: g.Stock, Exchanged: g.Exchanged, TemplateID: optID("CouponTemplate", g.TemplateID),
		WarehouseID: optID("Warehouse", g.WarehouseID), ItemID: optID("WarehouseItem", g.ItemID)}
}

// mapSlice converts every element (never nil, so lists are [] in JSON).
func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
