package resolvers

import (
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/commissions"
	"github.com/atrium-mall/atrium/service/loyalty"
)

func commissionRuleOut(r commissions.Rule) model.CommissionRule {
	return model.CommissionRule{ID: relay.ID("CommissionRule", r.ID), MerchantID: relay.ID("Merchant", r.MerchantID),
		Scope: model.CommissionScope(r.Scope), Key: r.Key, Kind: model.CommissionKind(r.Kind), Rate: r.Rate,
		Amount: r.Amount, UpdatedAt: r.UpdatedAt}
}

func commissionSettlementOut(s commissions.Settlement) model.CommissionSettlement {
	return model.CommissionSettlement{ID: relay.ID("CommissionSettlement", s.ID),
		MerchantID: relay.ID("Merchant", s.MerchantID), StaffID: relay.ID("Staff", s.StaffID), Month: s.Month,
		Sales: s.Sales, Total: s.Total, LineCount: s.LineCount, SettledAt: s.SettledAt}
}

func commissionOptID(typeName string, id uuid.UUID) *string {
	if id == uuid.Nil {
		return nil
	}
	s := relay.ID(typeName, id)
	return &s
}

func commissionLineOut(l commissions.Line) model.CommissionLine {
	return model.CommissionLine{ID: relay.ID("CommissionLine", l.ID), StaffID: commissionOptID("Staff", l.StaffID),
		Month: l.Month, PurchaseID: relay.ID("Purchase", l.PurchaseID), RefundID: commissionOptID("PurchaseRefund", l.RefundID),
		Code: l.Code, Category: l.Category, Quantity: l.Quantity, Base: l.Base, Commission: l.Commission,
		CreatedAt: l.CreatedAt}
}

func commissionRankingOut(r commissions.Ranking) model.CommissionRanking {
	out := model.CommissionRanking{Staff: []model.CommissionStaffRank{}, Products: []model.CommissionProductRank{}}
	for _, s := range r.Staff {
		out.Staff = append(out.Staff, model.CommissionStaffRank{Rank: s.Rank, StaffID: relay.ID("Staff", s.StaffID),
			Sales: s.Sales, Commission: s.Commission, Purchases: s.Purchases})
	}
	for _, p := range r.Products {
		out.Products = append(out.Products, model.CommissionProductRank{Rank: p.Rank, Code: p.Code, Category: p.Category,
			Quantity: p.Quantity, Sales: p.Sales})
	}
	return out
}

// commissionPurchaseExtras maps the purchase input's commission and till fields.
func commissionPurchaseExtras(in *loyalty.PurchaseInput, m model.RecordPurchaseInput) error {
	if m.ServedBy != nil {
		id, err := inputID("input.servedBy", "Staff", *m.ServedBy)
		if err != nil {
			return err
		}
		in.ServedBy = id
	}
	for _, l := range m.Lines {
		in.Lines = append(in.Lines, loyalty.PurchaseLine{Code: l.Code, Category: orEmpty(l.Category),
			Quantity: int32(l.Quantity), Amount: l.Amount})
	}
	if m.CashTender != nil {
		in.CashTender = string(*m.CashTender)
	}
	return nil
}

// shiftTenderOf is an optional tender as the services take it ("" for the default).
func shiftTenderOf(t *model.ShiftTender) string {
	if t == nil {
		return ""
	}
	return string(*t)
}
