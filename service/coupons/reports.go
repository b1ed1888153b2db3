package coupons

import (
	"context"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
)

// TemplateReport counts a template's coupons.
type TemplateReport struct {
	TemplateID uuid.UUID
	Issued     int             // every coupon of the template, however obtained
	Claimed    int             // claimed by members themselves
	Redeemed   int             // used (by staff redemption or in a purchase)
	Voided     int             // redemptions voided by staff
	Expired    int             // never used and past validity
	Cost       decimal.Decimal // what used coupons took off purchases (face value when redeemed by staff): what the funders pay
}

// Report returns a template's counts, for its mall's managers.
func (s *Service) Report(ctx context.Context, templateID uuid.UUID) (TemplateReport, error) {
	t, err := s.Template(ctx, templateID)
	if err != nil {
		return TemplateReport{}, err
	}
	if err := s.canManage(ctx, t.MallID); err != nil {
		return TemplateReport{}, err
	}
	row, err := queries.New(s.db.Pool).TemplateReport(ctx, queries.TemplateReportParams{
		TemplateID: templateID, Now: s.now(), FaceValue: t.FaceValue})
	if err != nil {
		return TemplateReport{}, err
	}
	return TemplateReport{TemplateID: templateID, Issued: int(row.Issued), Claimed: int(row.Claimed),
		Redeemed: int(row.Redeemed), Voided: int(row.Voided), Expired: int(row.Expired), Cost: row.Cost}, nil
}

// MallPerformance is a mall's templates (newest first, at most limit) each with its
// report, without the role check, for a context that checked its own (the reports
// context): the caller has authorized the mall.
func (s *Service) MallPerformance(ctx context.Context, mallID uuid.UUID, limit int) ([]Template, []TemplateReport, error) {
	q := queries.New(s.db.Pool)
	rows, err := q.TemplatesOfMall(ctx, queries.TemplatesOfMallParams{MallID: mallID, After: uuid.Max,
		Lim: int32(limit)})
	if err != nil {
		return nil, nil, err
	}
	list, err := mapAll(rows, func(r queries.TemplatesOfMallRow) (Template, error) {
		return templateOf(r.CouponTemplate, r.Issued)
	})
	if err != nil {
		return nil, nil, err
	}
	reps := make([]TemplateReport, len(list))
	for i, t := range list {
		row, err := q.TemplateReport(ctx, queries.TemplateReportParams{TemplateID: t.ID, Now: s.now(),
			FaceValue: t.FaceValue})
		if err != nil {
			return nil, nil, err
		}
		reps[i] = TemplateReport{TemplateID: t.ID, Issued: int(row.Issued), Claimed: int(row.Claimed),
			Redeemed: int(row.Redeemed), Voided: int(row.Voided), Expired: int(row.Expired), Cost: row.Cost}
	}
	return list, reps, nil
}
