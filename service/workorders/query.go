package workorders

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

func newID() uuid.UUID { return service.NewID() }

func orderOf(r queries.WoOrder) Order {
	o := Order{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Number: r.Number, Category: r.Category,
		Priority: sla.Priority(r.Priority), Source: Source(r.Source), Channel: Channel(r.Channel), Contact: r.Contact,
		RequesterStaff:    r.RequesterStaff,
		RequesterMerchant: r.RequesterMerchant, RequesterMember: r.RequesterMember, UnitID: r.UnitID, Zone: r.Zone,
		Description: r.Description, Photos: r.Photos, Status: Status(r.Status), Assignee: r.Assignee,
		OpenedAt: r.OpenedAt, RespondedAt: r.RespondedAt, ResolvedAt: r.ResolvedAt, ClosedAt: r.ClosedAt,
		FollowUpOf: r.FollowUpOf, AlarmSource: r.AlarmSource, AlarmKind: r.AlarmKind, RepeatCount: int(r.RepeatCount),
		AlarmClearedAt: r.AlarmClearedAt, UpdatedAt: r.UpdatedAt}
	if r.Rating != nil {
		v := int(*r.Rating)
		o.Rating = &v
	}
	return o
}

// Order reads an order the caller may see (staff of its mall, its requester).
func (s *Service) Order(ctx context.Context, id uuid.UUID) (Order, error) {
	o, _, _, err := s.visible(ctx, id)
	return o, err
}

// Report is an order's SLA now, from sla.Evaluate.
func (s *Service) Report(ctx context.Context, id uuid.UUID) (sla.Report, error) {
	o, _, p, err := s.visible(ctx, id)
	if err != nil {
		return sla.Report{}, err
	}
	return s.evaluate(ctx, queries.New(s.db.Pool), o, p, s.now())
}

// HistoryEntry is one event of an order's history.
type HistoryEntry struct {
	At       time.Time
	Actor    string
	Kind     string
	From, To Status
	Priority string
	Note     string
}

// History lists what happened to an order, oldest first.
func (s *Service) History(ctx context.Context, id uuid.UUID) ([]HistoryEntry, error) {
	o, _, _, err := s.visible(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).EventsOfOrder(ctx, queries.EventsOfOrderParams{GroupID: o.GroupID,
		MallID: o.MallID, OrderID: o.ID})
	out := make([]HistoryEntry, len(rows))
	for i, r := range rows {
		out[i] = HistoryEntry{At: r.At, Actor: r.Actor, Kind: r.Kind, From: Status(r.FromStatus), To: Status(r.ToStatus),
			Note: r.Note}
		if r.Priority != nil {
			out[i].Priority = *r.Priority
		}
	}
	return out, err
}

// PauseSegment is one pause of an order's clocks.
type PauseSegment struct {
	Reason PauseReason
	From   time.Time
	To     *time.Time
	Note   string
}

// Pauses lists an order's pause segments.
func (s *Service) Pauses(ctx context.Context, id uuid.UUID) ([]PauseSegment, error) {
	o, _, _, err := s.visible(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).PausesOfOrder(ctx, queries.PausesOfOrderParams{GroupID: o.GroupID,
		MallID: o.MallID, OrderID: o.ID})
	out := make([]PauseSegment, len(rows))
	for i, r := range rows {
		out[i] = PauseSegment{Reason: PauseReason(r.Reason), From: r.FromAt, To: r.ToAt, Note: r.Note}
	}
	return out, err
}

// Escalations lists an order's recorded escalations (staff of its mall).
func (s *Service) Escalations(ctx context.Context, id uuid.UUID) ([]Escalation, error) {
	o, r, _, err := s.visible(ctx, id)
	if err != nil {
		return nil, err
	}
	if !r.staff {
		return nil, errs.ErrForbidden
	}
	rows, err := queries.New(s.db.Pool).EscalationsOfOrder(ctx, queries.EscalationsOfOrderParams{GroupID: o.GroupID,
		MallID: o.MallID, OrderID: o.ID})
	out := make([]Escalation, len(rows))
	for i, e := range rows {
		out[i] = Escalation{Clock: e.Clock, Level: int(e.Level), State: sla.State(e.State), ToRole: auth.Role(e.ToRole),
			DueAt: e.DueAt, At: e.At}
	}
	return out, err
}

// Filter narrows a list of orders.
type Filter struct {
	MallID   uuid.UUID // staff lists: required
	Status   *Status
	Assignee *uuid.UUID
	Category *string
}

// CountOrders is how many orders of a mall Orders lists for its staff (an export's
// total); staff of the mall only.
func (s *Service) CountOrders(ctx context.Context, f Filter) (int64, error) {
	p, err := s.mallFor(ctx, f.MallID, staffRoles...)
	if err != nil {
		return 0, err
	}
	var st *string
	if f.Status != nil {
		x := string(*f.Status)
		st = &x
	}
	return queries.New(s.db.Reader(ctx)).CountOrdersOfMall(ctx, queries.CountOrdersOfMallParams{GroupID: p.GroupID,
		MallID: p.MallID, Status: st, Assignee: f.Assignee, Category: f.Category})
}

// Orders lists orders newest first: staff of the mall see the mall's; a tenant's
// people the orders of their merchants; a shopper their own.
func (s *Service) Orders(ctx context.Context, f Filter, pr page.Request) (page.Result[Order], error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return page.Result[Order]{}, err
	}
	var st *string
	if f.Status != nil {
		x := string(*f.Status)
		st = &x
	}
	// Reader: an export's pages come from the read replica when one is configured.
	q, lim := queries.New(s.db.Reader(ctx)), int32(pr.Limit())
	var rows []queries.WoOrder
	switch {
	case v.IsShopper():
		rows, err = q.OrdersOfMember(ctx, queries.OrdersOfMemberParams{Member: &v.ID, Status: st, After: pr.After, Lim: lim})
	case len(merchantsOf(v)) > 0 && !v.HasRole(staffRoles...):
		rows, err = q.OrdersOfMerchants(ctx, queries.OrdersOfMerchantsParams{Merchants: merchantsOf(v), Status: st,
			After: pr.After, Lim: lim})
	default:
		p, err2 := s.mallFor(ctx, f.MallID, staffRoles...)
		if err2 != nil {
			return page.Result[Order]{}, err2
		}
		rows, err = q.OrdersOfMall(ctx, queries.OrdersOfMallParams{GroupID: p.GroupID, MallID: p.MallID, Status: st,
			Assignee: f.Assignee, Category: f.Category, After: pr.After, Lim: lim})
	}
	out := make([]Order, len(rows))
	for i, r := range rows {
		out[i] = orderOf(r)
	}
	return page.Cut(pr, out), err
}
