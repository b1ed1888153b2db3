package resolvers

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/calendar/business"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

func workOrderOut(o workorders.Order) *model.WorkOrder {
	out := &model.WorkOrder{ID: relay.ID("WorkOrder", o.ID), MallID: relay.ID("Mall", o.MallID), Number: int(o.Number),
		Category: o.Category, Priority: model.WorkOrderPriority(o.Priority), Source: model.WorkOrderSource(o.Source),
		Channel: model.WorkOrderChannel(o.Channel), Contact: o.Contact,
		Status: model.WorkOrderStatus(o.Status), RequesterStaffID: optID("Staff", o.RequesterStaff),
		RequesterMerchantID: optID("Merchant", o.RequesterMerchant), RequesterMemberID: optID("Member", o.RequesterMember),
		Zone: o.Zone, Description: o.Description, Photos: o.Photos, AssigneeID: optID("Staff", o.Assignee),
		OpenedAt: o.OpenedAt, RespondedAt: o.RespondedAt, ResolvedAt: o.ResolvedAt, ClosedAt: o.ClosedAt, Rating: o.Rating,
		FollowUpOfID: optID("WorkOrder", o.FollowUpOf), AlarmSource: o.AlarmSource, AlarmKind: o.AlarmKind,
		RepeatCount: o.RepeatCount, AlarmClearedAt: o.AlarmClearedAt}
	if o.UnitID != nil {
		u := o.UnitID.String()
		out.UnitID = &u
	}
	if out.Photos == nil {
		out.Photos = []string{}
	}
	return out
}

// workOrderConnection is a page of orders.
func workOrderConnection(res page.Result[workorders.Order]) model.WorkOrderConnection {
	edges, info := connection(res, func(o workorders.Order) uuid.UUID { return o.ID },
		func(cur string, o workorders.Order) model.WorkOrderEdge {
			return model.WorkOrderEdge{Cursor: cur, Node: *workOrderOut(o)}
		})
	return model.WorkOrderConnection{Edges: edges, PageInfo: info}
}

// workOrderResult is a mutation's payload: the order, or the business error as userErrors.
func workOrderResult(o workorders.Order, err error) (model.WorkOrderPayload, error) {
	if err == nil {
		return model.WorkOrderPayload{WorkOrder: workOrderOut(o), UserErrors: []model.UserError{}}, nil
	}
	ue, err := userErrors(err)
	return model.WorkOrderPayload{UserErrors: ue}, err
}

// onWorkOrder parses an order's global ID and runs fn on it.
func onWorkOrder(id string, fn func(uuid.UUID) (workorders.Order, error)) (model.WorkOrderPayload, error) {
	u, err := inputID("id", "WorkOrder", id)
	if err != nil {
		return workOrderResult(workorders.Order{}, err)
	}
	return workOrderResult(fn(u))
}

func raiseInput(in model.RaiseWorkOrderInput) (workorders.RaiseInput, error) {
	mall, err := inputID("input.mallId", "Mall", in.MallID)
	if err != nil {
		return workorders.RaiseInput{}, err
	}
	out := workorders.RaiseInput{MallID: mall, Category: in.Category, Description: in.Description, Photos: in.Photos}
	if in.Priority != nil {
		out.Priority = sla.Priority(*in.Priority)
	}
	if in.Zone != nil {
		out.Zone = *in.Zone
	}
	if in.MerchantID != nil {
		m, err := inputID("input.merchantId", "Merchant", *in.MerchantID)
		if err != nil {
			return out, err
		}
		out.MerchantID = &m
	}
	if in.UnitID != nil {
		u, err := uuid.Parse(*in.UnitID)
		if err != nil {
			return out, errs.Invalid("input.unitId", "not a unit id")
		}
		out.UnitID = &u
	}
	return out, nil
}

func clockOut(c sla.Clock) model.SLAClock {
	return model.SLAClock{TargetSeconds: int(c.Target / time.Second), Deadline: c.Deadline, WarnAt: c.WarnAt,
		ElapsedSeconds: int(c.Elapsed / time.Second), RemainingSeconds: int(c.Remaining / time.Second),
		Percent: c.Percent, State: model.SLAState(c.State)}
}

func reportOut(r sla.Report) model.WorkOrderSLA {
	out := model.WorkOrderSLA{Response: clockOut(r.Response), Resolution: clockOut(r.Resolution)}
	if !r.NextCheck.IsZero() {
		out.NextCheck = &r.NextCheck
	}
	return out
}

func historyOut(e workorders.HistoryEntry) model.WorkOrderEvent {
	out := model.WorkOrderEvent{At: e.At, Actor: e.Actor, Kind: e.Kind, FromStatus: string(e.From), ToStatus: string(e.To),
		Note: e.Note}
	if e.Priority != "" {
		p := model.WorkOrderPriority(e.Priority)
		out.Priority = &p
	}
	return out
}

func pauseOut(p workorders.PauseSegment) model.WorkOrderPause {
	return model.WorkOrderPause{Reason: model.WorkOrderPauseReason(p.Reason), From: p.From, To: p.To, Note: p.Note}
}

func policyOut(p workorders.PolicyRow) model.SLAPolicy {
	return model.SLAPolicy{Category: p.Category, Priority: model.WorkOrderPriority(p.Priority),
		ResponseSeconds: int(p.Response / time.Second), ResolutionSeconds: int(p.Resolution / time.Second),
		AroundTheClock: p.AroundTheClock}
}

func calendarOut(c workorders.CalendarSpec) model.BusinessCalendar {
	out := model.BusinessCalendar{Hours: []model.BusinessHours{}, Holidays: []model.Holiday{}}
	for day, hs := range c.Week {
		for _, h := range hs {
			out.Hours = append(out.Hours, model.BusinessHours{Weekday: day, FromSecond: int(h.From), ToSecond: int(h.To)})
		}
	}
	for _, d := range c.Days {
		kind := model.HolidayKindOff
		if d.Kind == business.Work {
			kind = model.HolidayKindWork
		}
		out.Holidays = append(out.Holidays, model.Holiday{Date: d.Date.Format(time.DateOnly), Name: d.Name, Kind: kind})
	}
	return out
}

func holidaysIn(days []model.HolidayInput) ([]business.Day, error) {
	out := make([]business.Day, len(days))
	for i, d := range days {
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil {
			return nil, errs.Invalid("days", "%q is not a date (YYYY-MM-DD)", d.Date)
		}
		out[i] = business.Day{Date: t, Name: d.Name, Kind: business.Off}
		if d.Kind == model.HolidayKindWork {
			out[i].Kind = business.Work
		}
	}
	return out, nil
}

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Node loaders of the work-orders context (node.go).

// NodeWorkOrder loads a WorkOrder for node(id:).
func (r *Resolver) NodeWorkOrder(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	o, err := r.Services.WorkOrders.Order(ctx, id)
	if err != nil {
		return nil, err
	}
	return workOrderOut(o), nil
}

func escalationOut(e workorders.Escalation) model.WorkOrderEscalation {
	return model.WorkOrderEscalation{Clock: e.Clock, Level: e.Level, State: model.SLAState(e.State),
		ToRole: upper[model.Role](string(e.ToRole)), DueAt: e.DueAt, At: e.At}
}

// orZero is an optional int, zero when absent.
func orZero(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}
