package reports

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/coupons"
)

// maxTemplates bounds the coupon report: the newest templates of the mall.
const maxTemplates = 200

// CouponReport is the performance of a mall's coupon templates (coupons' own counts).
type CouponReport struct {
	Templates []coupons.Template
	Reports   []coupons.TemplateReport // one per template, in the same order
}

// Coupons is the coupon performance of a mall's newest 200 templates (admin, finance,
// member operations of the mall): issued, claimed, redeemed, voided, expired, the
// redemption rate and what redemptions cost, through coupons' MallPerformance.
func (s *Service) Coupons(ctx context.Context, mallID uuid.UUID) (CouponReport, error) {
	var rep CouponReport
	if _, err := s.mallFor(ctx, mallID, memberRoles...); err != nil {
		return rep, err
	}
	var err error
	rep.Templates, rep.Reports, err = s.coupons.MallPerformance(ctx, mallID, maxTemplates)
	return rep, err
}

// Table is the report as a table: a row per template.
func (r CouponReport) Table() Table {
	t := Table{Name: "coupon_performance", Columns: []Column{{"template", "券模板", KindText},
		{"status", "状态", KindText}, {"issued", "发放", KindInt}, {"claimed", "领取", KindInt},
		{"redeemed", "核销", KindInt}, {"voided", "撤销", KindInt}, {"expired", "过期", KindInt},
		{"redemptionPercent", "核销率", KindPercent}, {"cost", "核销成本", KindMoney}}}
	for i, tp := range r.Templates {
		x := r.Reports[i]
		var pct *float64
		if x.Issued > 0 {
			v := float64(x.Redeemed) * 100 / float64(x.Issued)
			pct = &v
		}
		t.Rows = append(t.Rows, []any{tp.Name, string(tp.Status), int64(x.Issued), int64(x.Claimed),
			int64(x.Redeemed), int64(x.Voided), int64(x.Expired), pct, x.Cost})
	}
	return t
}
