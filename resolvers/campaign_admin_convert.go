package resolvers

import (
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
)

type uuidT = uuid.UUID

func segmentIn(in model.IssueCouponsToSegmentInput) (uuid.UUID, coupons.Segment, error) {
	var seg coupons.Segment
	tpl, err := globalID("CouponTemplate", in.TemplateID)
	if err != nil {
		return tpl, seg, err
	}
	for _, t := range in.TierIds {
		id, err := globalID("Tier", t)
		if err != nil {
			return tpl, seg, err
		}
		seg.TierIDs = append(seg.TierIDs, id)
	}
	seg.Tags = in.Tags
	if in.MinSpend != nil {
		seg.MinSpend = *in.MinSpend
	}
	if in.SpendWindowDays != nil {
		seg.SpendWindowDays = *in.SpendWindowDays
	}
	if in.LastVisitWithinDays != nil {
		if *in.LastVisitWithinDays <= 0 {
			return tpl, seg, errs.Invalid("input.lastVisitWithinDays", "must be positive")
		}
		seg.LastVisitWithinDays = *in.LastVisitWithinDays
	}
	return tpl, seg, nil
}

func segmentRunOut(r coupons.SegmentRun) *model.SegmentRun {
	return &model.SegmentRun{ID: relay.ID("SegmentRun", r.ID), TemplateID: relay.ID("CouponTemplate", r.TemplateID),
		Status: string(r.Status), Issued: r.Issued, Skipped: r.Skipped, Error: r.Error, CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt}
}

func lotteryIn(in model.CreateLotteryInput) (campaigns.Lottery, error) {
	mall, err := globalID("Mall", in.MallID)
	if err != nil {
		return campaigns.Lottery{}, err
	}
	l := campaigns.Lottery{MallID: mall, Name: in.Name, CostPoints: in.CostPoints}
	for _, p := range in.Prizes {
		tpl, err := optGlobalID("CouponTemplate", p.TemplateID)
		if err != nil {
			return l, err
		}
		pr := campaigns.Prize{Name: p.Name, Odds: p.Odds, Stock: p.Stock, TemplateID: tpl}
		if p.Points != nil {
			pr.Points = *p.Points
		}
		l.Prizes = append(l.Prizes, pr)
	}
	return l, nil
}

func lotteryOut(l campaigns.Lottery) *model.Lottery {
	out := &model.Lottery{ID: relay.ID("Lottery", l.ID), MallID: relay.ID("Mall", l.MallID), Name: l.Name,
		CostPoints: l.CostPoints, Prizes: []model.LotteryPrize{}}
	for _, p := range l.Prizes {
		out.Prizes = append(out.Prizes, model.LotteryPrize{ID: relay.ID("LotteryPrize", p.ID), Name: p.Name, Odds: p.Odds,
			Stock: p.Stock, Won: p.Won, Points: p.Points, TemplateID: optID("CouponTemplate", p.TemplateID)})
	}
	return out
}
