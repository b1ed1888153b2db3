package resolvers

import (
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/callers"
)

func callLogOut(c callers.Call) model.CallLog {
	out := model.CallLog{ID: relay.ID("CallLog", c.ID), MallID: relay.ID("Mall", c.MallID), Phone: c.Phone,
		Outcome: model.CallLogOutcome(c.Outcome), Note: c.Note, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if c.MemberID != nil {
		m := relay.ID("Member", *c.MemberID)
		out.MemberID = &m
	}
	if c.StaffID != nil {
		s := relay.ID("Staff", *c.StaffID)
		out.StaffID = &s
	}
	return out
}

func callerMatchOut(c callers.Caller) model.CallerMatch {
	out := model.CallerMatch{Call: callLogOut(c.Call), Member: c.Member, PhoneMasked: c.PhoneMasked,
		CardNumber: c.CardNumber, Points: c.Points, StoredValue: c.StoredValue,
		RecentPurchases: make([]model.CallerMatchPurchase, len(c.RecentPurchases)),
		OpenBookings:    make([]model.CallerMatchBooking, len(c.OpenBookings))}
	for i, p := range c.RecentPurchases {
		out.RecentPurchases[i] = model.CallerMatchPurchase{ID: relay.ID("Purchase", p.ID), ReceiptNo: p.ReceiptNo,
			Amount: p.Amount, PointsEarned: p.PointsEarned, Refunded: p.Refunded, CreatedAt: p.CreatedAt}
	}
	for i, b := range c.OpenBookings {
		out.OpenBookings[i] = model.CallerMatchBooking{ID: relay.ID("Booking", b.ID), StartsAt: b.StartsAt,
			EndsAt: b.EndsAt, Status: b.Status}
	}
	return out
}

func callLogPayload(c callers.Call, err error) (model.CallLogPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.CallLogPayload{UserErrors: ue}, err
	}
	out := callLogOut(c)
	return model.CallLogPayload{Call: &out, UserErrors: ue}, nil
}
