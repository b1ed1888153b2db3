package resolvers

import (
	"context"

	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/memberfees/feerules"
	"github.com/atrium-mall/atrium/service/members"
)

func memberFeeOut(f memberfees.Fee) model.MemberFee {
	out := model.MemberFee{ID: relay.ID("MemberFee", f.ID), MallID: relay.ID("Mall", f.MallID), CardID: relay.ID("Card", f.CardID),
		MemberID: relay.ID("Member", f.MemberID), PayerID: f.PayerID.String(), Kind: model.MemberFeeKind(strings.ToUpper(f.Kind)),
		Period: f.Period, Amount: f.Amount, Paid: f.Paid, Waived: f.Waived, Outstanding: f.Outstanding(),
		DueOn: schedule.DateOf(f.DueOn), Status: model.MemberFeeStatus(strings.ToUpper(f.Status)), CreatedAt: f.CreatedAt}
	if f.PenaltyOf != nil {
		s := relay.ID("MemberFee", *f.PenaltyOf)
		out.PenaltyOf = &s
	}
	return out
}

func memberFeeOutPtr(f *memberfees.Fee) *model.MemberFee {
	if f == nil {
		return nil
	}
	out := memberFeeOut(*f)
	return &out
}

func memberFeesOut(fs []memberfees.Fee) []model.MemberFee {
	out := make([]model.MemberFee, len(fs))
	for i, f := range fs {
		out[i] = memberFeeOut(f)
	}
	return out
}

func memberFeePolicyOut(p feerules.Policy) *model.MemberFeePolicy {
	return &model.MemberFeePolicy{PaymentDays: p.PaymentDays, GraceDays: p.GraceDays,
		PenaltyMode: model.MemberFeePenaltyMode(strings.ToUpper(string(p.Mode))), PenaltyDailyRate: p.DailyRate,
		PenaltyFixed: p.Fixed, PenaltyCap: p.Cap, RemindDays: p.RemindDays}
}

func memberFeeWaiverOut(w memberfees.Waiver) *model.MemberFeeWaiver {
	out := &model.MemberFeeWaiver{ID: relay.ID("MemberFeeWaiver", w.ID), FeeID: relay.ID("MemberFee", w.FeeID), Amount: w.Amount,
		Reason: w.Reason, Status: model.MemberFeeWaiverStatus(strings.ToUpper(w.Status)), RequestedBy: relay.ID("Staff", w.RequestedBy)}
	if w.DecidedBy != nil {
		s := relay.ID("Staff", *w.DecidedBy)
		out.DecidedBy = &s
	}
	return out
}

// memberFeesOptID parses an optional global ID.
func memberFeesOptID(field, typeName string, id *string) (*uuid.UUID, error) {
	if id == nil || *id == "" {
		return nil, nil
	}
	u, err := inputID(field, typeName, *id)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func memberFeesOr(d *decimal.Decimal) decimal.Decimal {
	if d == nil {
		return decimal.Zero
	}
	return *d
}

func cardProductOut(p members.CardProduct) *model.CardProduct {
	return &model.CardProduct{CardTypeID: relay.ID("CardType", p.CardTypeID), Code: p.Code, Name: p.Name, Kind: p.Kind,
		Price: p.Price, ValidityMonths: p.ValidityMonths, Renewable: p.Renewable, JoiningFee: p.JoiningFee,
		AnnualFee: p.AnnualFee, SupplementaryAnnualFee: p.SupplementaryAnnualFee, WithdrawalAllowed: p.WithdrawalAllowed,
		WithdrawalFeeRate: p.WithdrawalFeeRate, WithdrawalMin: p.WithdrawalMin, WithdrawalMax: p.WithdrawalMax,
		WithdrawalDailyLimit: p.WithdrawalDailyLimit}
}

func cardProductGroupOut(g memberfees.CardGroup) *model.CardProductGroup {
	out := &model.CardProductGroup{ID: relay.ID("CardProductGroup", g.ID), MallID: relay.ID("Mall", g.MallID), Name: g.Name,
		HolderCardIds: make([]string, len(g.HolderCardIDs))}
	if g.PayerCardID != nil {
		s := relay.ID("Card", *g.PayerCardID)
		out.PayerCardID = &s
	}
	if g.PayerCompany != "" {
		out.PayerCompany = &g.PayerCompany
	}
	for i, c := range g.HolderCardIDs {
		out.HolderCardIds[i] = relay.ID("Card", c)
	}
	return out
}

func cardProductLinkedOut(v memberfees.LinkedView) *model.CardProductLinkedView {
	out := &model.CardProductLinkedView{HeadCardID: relay.ID("Card", v.HeadCardID), TotalPoints: v.TotalPoints,
		TotalStoredValue: v.TotalValue, Cards: make([]model.CardProductLinkedCard, len(v.Cards))}
	for i, c := range v.Cards {
		out.Cards[i] = model.CardProductLinkedCard{CardID: relay.ID("Card", c.CardID), Relation: c.Relation, Points: c.Points,
			StoredValue: c.StoredValue}
	}
	return out
}

// memberFeesDecide approves or rejects a waiver.
func (r *mutationResolver) memberFeesDecide(ctx context.Context, mallID, id string, approve bool) (model.MemberFeeWaiverPayload, error) {
	mall, err := inputID("mallId", "Mall", mallID)
	var wid uuid.UUID
	if err == nil {
		wid, err = inputID("id", "MemberFeeWaiver", id)
	}
	var w memberfees.Waiver
	if err == nil {
		w, err = r.Services.MemberFees.DecideWaiver(ctx, mall, wid, approve)
	}
	if err != nil {
		ue, err := userErrors(err)
		return model.MemberFeeWaiverPayload{UserErrors: ue}, err
	}
	return model.MemberFeeWaiverPayload{Waiver: memberFeeWaiverOut(w), UserErrors: []model.UserError{}}, nil
}
