package resolvers

import (
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/loyalty"
)

func referralApprovalOut(r loyalty.Referral) model.ReferralApproval {
	ds := make([]model.ReferralApprovalDecision, len(r.Decisions))
	for i, d := range r.Decisions {
		ds[i] = model.ReferralApprovalDecision{Level: d.Level, Decision: d.Decision, StaffID: relay.ID("Staff", d.StaffID),
			Note: d.Note, DecidedAt: d.DecidedAt}
	}
	out := model.ReferralApproval{RefereeID: relay.ID("Member", r.RefereeID), ReferrerID: relay.ID("Member", r.ReferrerID),
		Points: r.Points, Status: r.Status, Levels: r.Levels, Approved: r.Approved, CreatedAt: r.CreatedAt, Decisions: ds}
	if r.MallID != uuid.Nil {
		m := relay.ID("Mall", r.MallID)
		out.MallID = &m
	}
	return out
}

func referralApprovalPayload(r loyalty.Referral, err error) (model.ReferralApprovalPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.ReferralApprovalPayload{UserErrors: ue}, err
	}
	out := referralApprovalOut(r)
	return model.ReferralApprovalPayload{Referral: &out, UserErrors: ue}, nil
}
