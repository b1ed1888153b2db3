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
