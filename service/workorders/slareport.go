package workorders

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// SLAOutcome is one order's SLA as the reports read it: both clocks' states now.
type SLAOutcome struct {
	OrderID    uuid.UUID
	Category   string
	Priority   sla.Priority // as raised
	OpenedAt   time.Time
	Response   sla.State // MET, BREACHED, or still running (OK, WARNING, PAUSED)
	Resolution sla.State
}

// MallSLA is the reports' read of SLA compliance: every order of a mall opened in
// [from, to) (cancelled ones left out) with both clocks evaluated at now, against the
// mall's policy and calendar. It checks no access (the reports context applies its own
// roles); the orders and their timelines are read through db.Reader (the read replica
// for a context marked storage.PreferReplica), in three queries whatever the number
// of orders, so its cost is the period's orders, not the history's.
func (s *Service) MallSLA(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]SLAOutcome, error) {
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return nil, err
	}
	r := queries.New(s.db.Reader(ctx))
	orders, err := r.OrdersOpenedBetween(ctx, queries.OrdersOpenedBetweenParams{GroupID: p.GroupID, MallID: mallID,
		FromAt: from, ToAt: to})
	if err != nil || len(orders) == 0 {
		return nil, err
	}
	ids := make([]uuid.UUID, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	evs, err := r.EventsOfOrders(ctx, queries.EventsOfOrdersParams{GroupID: p.GroupID, MallID: mallID, OrderIds: ids})
	if err != nil {
		return nil, err
	}
	ps, err := r.PausesOfOrders(ctx, queries.PausesOfOrdersParams{GroupID: p.GroupID, MallID: mallID, OrderIds: ids})
	if err != nil {
		return nil, err
	}
	stampsOf := map[uuid.UUID][]stamp{}
	for _, e := range evs {
		st := stamp{At: e.At, Kind: e.Kind}
		if e.Priority != nil {
			st.Priority = *e.Priority
		}
		stampsOf[e.OrderID] = append(stampsOf[e.OrderID], st)
	}
	pausesOfOrder := map[uuid.UUID][]queries.WoPause{}
	for _, x := range ps {
		pausesOfOrder[x.OrderID] = append(pausesOfOrder[x.OrderID], x)
	}
	q := queries.New(s.db.Pool)
	rows, err := loadPolicies(ctx, q, p)
	if err != nil {
		return nil, err
	}
	cal, err := calendarOf(ctx, q, p)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]SLAOutcome, 0, len(orders))
	for _, o := range orders {
		rep, err := sla.Evaluate(PolicyFor(rows, o.Category), cal, timelineOf(stampsOf[o.ID], pausesOf(pausesOfOrder[o.ID])), now)
		if err != nil {
			return nil, err
		}
		out = append(out, SLAOutcome{OrderID: o.ID, Category: o.Category, Priority: sla.Priority(o.Priority),
			OpenedAt: o.OpenedAt, Response: rep.Response.State, Resolution: rep.Resolution.State})
	}
	return out, nil
}
