package resolvers

import (
	"context"
	"strconv"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/workorders"
)

func returnVisitOut(v workorders.ReturnVisit) *model.ReturnVisit {
	return &model.ReturnVisit{Satisfaction: v.Satisfaction, Comment: v.Comment, ByStaffID: relay.ID("Staff", v.ByStaff),
		At: v.At}
}

// returnVisitResult is recordReturnVisit's payload.
func returnVisitResult(v workorders.ReturnVisit, err error) (model.ReturnVisitPayload, error) {
	if err == nil {
		return model.ReturnVisitPayload{ReturnVisit: returnVisitOut(v), UserErrors: []model.UserError{}}, nil
	}
	ue, err := userErrors(err)
	return model.ReturnVisitPayload{UserErrors: ue}, err
}

func updateOut(u workorders.Update) model.WorkOrderUpdate {
	out := model.WorkOrderUpdate{Kind: model.WorkOrderUpdateKind(u.Kind), WorkOrderID: relay.ID("WorkOrder", u.OrderID),
		MallID: relay.ID("Mall", u.MallID), Number: int(u.Number), Category: u.Category,
		Status: model.WorkOrderStatus(u.Status), AssigneeID: optID("Staff", u.Assignee), Note: u.Note, At: u.At}
	if u.ToRole != "" {
		r := upper[model.Role](string(u.ToRole))
		out.ToRole = &r
	}
	return out
}

func shiftOut(s rosters.Shift) model.Shift {
	return model.Shift{ID: relay.ID("Shift", s.ID), MallID: relay.ID("Mall", s.MallID), StaffID: relay.ID("Staff", s.StaffID),
		Role: upper[model.Role](string(s.Role)), StartsAt: s.StartsAt, EndsAt: s.EndsAt, Note: s.Note}
}

func planOut(p patrol.Plan) model.PatrolPlan {
	return model.PatrolPlan{ID: p.ID.String(), MallID: relay.ID("Mall", p.MallID),
		RouteID: p.RouteID.String(), Name: p.Name, Weekdays: p.Weekdays, Times: p.Times,
		RandomCount: p.RandomCount, CreatedAt: p.CreatedAt}
}

func roundOut(r patrol.Round) model.PatrolRound {
	return model.PatrolRound{ID: r.ID.String(), PlanID: r.PlanID.String(), RouteID: r.RouteID.String(), StartsAt: r.StartsAt, EndsAt: r.EndsAt,
		Seed: strconv.FormatUint(r.Seed, 10), Seqs: r.Seqs, GuardID: optID("Staff", r.GuardID), CheckedAt: r.CheckedAt,
		Missed: r.Missed}
}

// roundIn reads back what ChoiceHolds needs from a listed round.
func roundIn(m *model.PatrolRound) (patrol.Round, error) {
	route, err := uuid.Parse(m.RouteID)
	if err != nil {
		return patrol.Round{}, err
	}
	seed, err := strconv.ParseUint(m.Seed, 10, 64)
	return patrol.Round{RouteID: route, Seed: seed, Seqs: m.Seqs}, err
}

func complianceOut(c patrol.Compliance) model.PatrolCompliance {
	out := model.PatrolCompliance{GuardID: optID("Staff", c.GuardID), Planned: c.Planned, Completed: c.Completed,
		Missed: c.Missed, OnTimePercent: c.OnTimePercent}
	if c.RouteID != uuid.Nil {
		r := c.RouteID.String()
		out.RouteID = &r
	}
	return out
}

func anomalyOut(a patrol.Anomaly) model.PatrolAnomaly {
	return model.PatrolAnomaly{ID: a.ID.String(), GuardID: relay.ID("Staff", a.GuardID),
		CheckpointID: optUUID(a.CheckpointID), RoundID: optUUID(a.RoundID),
		Description: a.Description, Photos: a.Photos, WorkOrderID: relay.ID("WorkOrder", a.OrderID), At: a.At}
}

// optUUID is an optional plain UUID (the patrol context's ids).
func optUUID(id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	s := id.String()
	return &s
}

// uuidIn parses a plain UUID argument (the patrol context's ids).
func uuidIn(field string, id *string) (*uuid.UUID, error) {
	if id == nil {
		return nil, nil
	}
	u, err := uuid.Parse(*id)
	if err != nil {
		return nil, errs.Invalid(field, "not an id")
	}
	return &u, nil
}

// shiftResult is addShift's payload.
func shiftResult(s rosters.Shift, err error) (model.ShiftPayload, error) {
	if err == nil {
		out := shiftOut(s)
		return model.ShiftPayload{Shift: &out, UserErrors: []model.UserError{}}, nil
	}
	ue, err := userErrors(err)
	return model.ShiftPayload{UserErrors: ue}, err
}

// updatesOut relays a service's updates as the schema's until ctx ends.
func updatesOut(ctx context.Context, in <-chan workorders.Update) <-chan model.WorkOrderUpdate {
	out := make(chan model.WorkOrderUpdate)
	go func() {
		defer close(out)
		for u := range in {
			select {
			case out <- updateOut(u):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
