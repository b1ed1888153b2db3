package resolvers

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/memberevents"
	"github.com/atrium-mall/atrium/service/memberevents/signinrule"
)

// NodeMemberEvent loads a member event for node(id:).
func (r *Resolver) NodeMemberEvent(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	e, err := r.MemberEvents.Event(ctx, id)
	if err != nil {
		return nil, err
	}
	return memberEventOut(e), nil
}

func memberEventOut(e memberevents.Event) *model.MemberEvent {
	out := &model.MemberEvent{ID: relay.ID("MemberEvent", e.ID), MallID: relay.ID("Mall", e.MallID), Title: e.Title,
		Place: e.Place, StartsAt: e.StartsAt, EndsAt: e.EndsAt, SignupOpensAt: e.SignupOpensAt,
		SignupClosesAt: e.SignupClosesAt, Capacity: e.Capacity, Confirmed: e.Confirmed, DepositPoints: e.DepositPoints,
		Tags: e.Tags, SignInRepeatable: e.SignIn.Repeatable, SignInMaxPerDay: e.SignIn.MaxPerDay,
		SignInMinGapMinutes: int(e.SignIn.MinGap / time.Minute), Status: e.Status, TierIds: []string{}}
	for _, t := range e.TierIDs {
		out.TierIds = append(out.TierIds, relay.ID("Tier", t))
	}
	if e.LotteryID != nil {
		id := relay.ID("Lottery", *e.LotteryID)
		out.LotteryID = &id
	}
	if e.GiftID != nil {
		id := relay.ID("Gift", *e.GiftID)
		out.GiftID = &id
	}
	if !e.SignIn.Opens.IsZero() {
		o, c := e.SignIn.Opens, e.SignIn.Closes
		out.SignInOpensAt, out.SignInClosesAt = &o, &c
	}
	return out
}

func memberEventSignupOut(s memberevents.Signup) *model.MemberEventSignup {
	return &model.MemberEventSignup{ID: relay.ID("MemberEventSignup", s.ID), EventID: relay.ID("MemberEvent", s.EventID),
		MemberID: relay.ID("Member", s.MemberID), Status: string(s.Status), Position: s.Position,
		DepositPoints: s.DepositPoints, DepositState: string(s.DepositState), CheckedInAt: s.CheckedInAt,
		CreatedAt: s.CreatedAt}
}

func memberEventIn(in model.CreateMemberEventInput) (memberevents.EventInput, error) {
	mall, err := globalID("Mall", in.MallID)
	if err != nil {
		return memberevents.EventInput{}, err
	}
	out := memberevents.EventInput{MallID: mall, Title: in.Title, Place: in.Place, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		SignupOpensAt: in.SignupOpensAt, SignupClosesAt: in.SignupClosesAt, Capacity: in.Capacity,
		DepositPoints: in.DepositPoints, Tags: in.Tags}
	for _, t := range in.TierIds {
		id, err := globalID("Tier", t)
		if err != nil {
			return out, err
		}
		out.TierIDs = append(out.TierIDs, id)
	}
	if out.LotteryID, err = optGlobalID("Lottery", in.LotteryID); err != nil {
		return out, err
	}
	if out.GiftID, err = optGlobalID("Gift", in.GiftID); err != nil {
		return out, err
	}
	if s := in.SignIn; s != nil {
		out.SignIn = signinrule.Rule{Opens: s.OpensAt, Closes: s.ClosesAt, Repeatable: s.Repeatable,
			MaxPerDay: s.MaxPerDay, MinGap: time.Duration(s.MinGapMinutes) * time.Minute}
	}
	return out, nil
}

func memberEventScansIn(in []model.MemberEventScanInput) []memberevents.Scan {
	out := make([]memberevents.Scan, len(in))
	for i, s := range in {
		out[i] = memberevents.Scan{ScanID: s.ScanID, Code: s.Code}
		if s.DeviceID != nil {
			out[i].DeviceID = *s.DeviceID
		}
		if s.ScannedAt != nil {
			out[i].ScannedAt = *s.ScannedAt
		}
	}
	return out
}
