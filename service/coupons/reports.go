package coupons

import (
	"context"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
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
	r := TemplateReport{TemplateID: templateID}
	// Coupons used before discounts were recorded count at face value.
	err = s.db.Pool.QueryRow(ctx, `SELECT coalesce(sum(coalesce(discount, $3)) FILTER (WHERE status = 'used'), 0),
		count(*), count(*) FILTER (WHERE source = 'claim'),
		count(*) FILTER (WHERE status = 'used'), count(*) FILTER (WHERE status = 'issued' AND valid_until <= $2),
		(SELECT count(*) FROM redemptions x JOIN redemption_codes rc ON rc.id = x.code_id
		 JOIN coupons c2 ON rc.kind = 'coupon' AND c2.id = rc.subject_id
		 WHERE c2.template_id = $1 AND x.voided_at IS NOT NULL)
		FROM coupons WHERE template_id = $1`, templateID, s.now(), t.FaceValue).
		Scan(&r.Cost, &r.Issued, &r.Claimed, &r.Redeemed, &r.Expired, &r.Voided)
	return r, err
}
