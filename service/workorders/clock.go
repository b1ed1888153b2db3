package workorders

import (
	"context"
	"errors"
	"fmt"
	"github.com/atrium-mall/atrium/service/notices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// CheckArgs is the SLA job of one order, due at At (Unix seconds). Inserted unique by
// its arguments: one job per (order, instant), whoever schedules it.
type CheckArgs struct {
	OrderID uuid.UUID `json:"order_id"`
	At      int64     `json:"at"`
}

// Kind names the job.
func (CheckArgs) Kind() string { return "workorders_sla_check" }

// Clock names of escalations.
const (
	ResponseClock   = "RESPONSE"
	ResolutionClock = "RESOLUTION"
)

// Escalation is a recorded warning or breach of one clock.
type Escalation struct {
	Clock  string
	Level  int
	State  sla.State
	ToRole auth.Role
	DueAt  time.Time
	At     time.Time
}

// chain is who hears of a clock at each level: the supervisor at the warning, the
// manager at the breach.
var chain = map[int]struct {
	state sla.State
	role  auth.Role
}{1: {sla.Warning, auth.RoleSupervisor}, 2: {sla.Breached, auth.RoleAdmin}}

// stamp is one event of the history as the SLA reads it.
type stamp struct {
	At       time.Time
	Kind     string
	Priority string
}

// timelineOf turns an order's history and pauses into the SLA timeline: raise opens it
// with its priority, priority events change it, the first accept responds, a resolve
// (or a cancel, which stops the clocks) resolves, a reopen pairs with the resolve before
// it.
func timelineOf(evs []stamp, pauses []sla.Pause) sla.Timeline {
	var tl sla.Timeline
	var resolved time.Time
	for _, e := range evs {
		switch e.Kind {
		case "raise":
			tl.Opened, tl.Priority = e.At, sla.Priority(e.Priority)
		case "priority":
			tl.Changes = append(tl.Changes, sla.PriorityChange{At: e.At, To: sla.Priority(e.Priority)})
		case string(EvAccept):
			if tl.Responded.IsZero() {
				tl.Responded = e.At
			}
		case string(EvResolve), string(EvCancel):
			resolved = e.At
		case string(EvReopen):
			tl.Reopens = append(tl.Reopens, sla.Reopen{Resolved: resolved, Reopened: e.At})
			resolved = time.Time{}
		}
	}
	tl.Resolved, tl.Pauses = resolved, pauses
	return tl
}

// evaluate loads an order's timeline, policy and calendar through q and reads its SLA.
func (s *Service) evaluate(ctx context.Context, q *queries.Queries, o Order, p org.Place, now time.Time) (sla.Report, error) {
	key := queries.EventsOfOrderParams{GroupID: o.GroupID, MallID: o.MallID, OrderID: o.ID}
	evs, err := q.EventsOfOrder(ctx, key)
	if err != nil {
		return sla.Report{}, err
	}
	ps, err := q.PausesOfOrder(ctx, queries.PausesOfOrderParams(key))
	if err != nil {
		return sla.Report{}, err
	}
	rows, err := loadPolicies(ctx, q, p)
	if err != nil {
		return sla.Report{}, err
	}
	cal, err := calendarOf(ctx, q, p)
	if err != nil {
		return sla.Report{}, err
	}
	return sla.Evaluate(PolicyFor(rows, o.Category), cal, timelineOf(stamps(evs), pausesOf(ps)), now)
}

func stamps(evs []queries.WoEvent) []stamp {
	out := make([]stamp, len(evs))
	for i, e := range evs {
		out[i] = stamp{At: e.At, Kind: e.Kind}
		if e.Priority != nil {
			out[i].Priority = *e.Priority
		}
	}
	return out
}

func pausesOf(ps []queries.WoPause) []sla.Pause {
	out := make([]sla.Pause, len(ps))
	for i, p := range ps {
		out[i] = sla.Pause{From: p.FromAt, Reason: p.Reason}
		if p.ToAt != nil {
			out[i].To = *p.ToAt
		}
	}
	return out
}

// reschedule evaluates o inside tx after an event and enqueues its SLA job at
// NextCheck (none for a closed or cancelled order, or when nothing is left to wait for).
func (s *Service) reschedule(ctx context.Context, tx pgx.Tx, o Order, p org.Place) error {
	rep, err := s.evaluate(ctx, queries.New(tx), o, p, s.now())
	if err != nil {
		return err
	}
	return s.enqueue(ctx, tx, o, rep.NextCheck)
}

func (s *Service) enqueue(ctx context.Context, tx pgx.Tx, o Order, at time.Time) error {
	if at.IsZero() || o.Status == Closed || o.Status == Cancelled {
		return nil
	}
	if s.jobs == nil {
		return errors.New("workorders: no job queue configured")
	}
	_, err := s.jobs.InsertTx(ctx, tx, CheckArgs{OrderID: o.ID, At: at.Unix()},
		&river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}})
	return err
}

// CheckSLA is the SLA job: it evaluates the order now, records the escalations its
// clocks have reached (each once per order, clock and level, however many runs or
// instances race) and schedules the next check after the job's own instant. It returns
// the escalations this run recorded.
func (s *Service) CheckSLA(ctx context.Context, a CheckArgs) ([]Escalation, error) {
	var out []Escalation
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := queries.New(tx)
		row, err := q.Order(ctx, a.OrderID)
		if err != nil {
			return fmt.Errorf("order %s: %w", a.OrderID, err)
		}
		o := orderOf(row)
		p, err := s.org.MallPlace(ctx, tx, o.MallID)
		if err != nil || o.Status == Closed || o.Status == Cancelled {
			return err
		}
		now := s.now()
		rep, err := s.evaluate(ctx, q, o, p, now)
		if err != nil {
			return err
		}
		if out, err = s.escalate(ctx, tx, o, rep, now); err != nil {
			return err
		}
		next := rep.NextCheck
		if !next.IsZero() && next.Unix() <= a.At {
			next = time.Unix(a.At+1, 0)
		}
		return s.enqueue(ctx, tx, o, next)
	})
	return out, err
}

// escalate records the levels each clock has reached, each once, and tells the role it
// goes to (a staff notice, in the same transaction and keyed by order, clock and level).
func (s *Service) escalate(ctx context.Context, tx pgx.Tx, o Order, rep sla.Report, now time.Time) ([]Escalation, error) {
	q := queries.New(tx)
	var out []Escalation
	for name, c := range map[string]sla.Clock{ResponseClock: rep.Response, ResolutionClock: rep.Resolution} {
		for _, level := range Levels(c.State) {
			e := Escalation{Clock: name, Level: level, State: chain[level].state, ToRole: chain[level].role,
				DueAt: c.Deadline, At: now}
			n, err := q.InsertEscalation(ctx, queries.InsertEscalationParams{GroupID: o.GroupID, MallID: o.MallID,
				OrderID: o.ID, Clock: name, Level: int16(level), State: string(e.State), ToRole: string(e.ToRole),
				DueAt: e.DueAt, At: now})
			if err != nil {
				return nil, err
			}
			if n == 1 {
				out = append(out, e)
				if err := s.history(ctx, q, o, "escalate", "", "", nil, fmt.Sprintf("%s %s level %d to %s", name,
					e.State, level, e.ToRole), "system", now); err != nil {
					return nil, err
				}
				if _, err := s.notices.Notify(ctx, tx, escalationNotice(o, e)); err != nil {
					return nil, err
				}
				queue(ctx, o, UpdEscalated, fmt.Sprintf("%s %s level %d", name, e.State, level), e.ToRole, now)
			}
		}
	}
	return out, nil
}

// escalationNotice is what the role an escalation goes to reads.
func escalationNotice(o Order, e Escalation) notices.Notice {
	what := "breached"
	if e.State == sla.Warning {
		what = "at 80 %"
	}
	return notices.Notice{MallID: o.MallID, Audience: e.ToRole, Kind: "work_order_escalation", SubjectID: o.ID,
		DedupeKey: fmt.Sprintf("work-order-escalation:%s:%s:%d", o.ID, e.Clock, e.Level),
		Text: fmt.Sprintf("work order #%d (%s, %s): %s target %s, due %s", o.Number, o.Category, o.Priority, e.Clock,
			what, e.DueAt.Format(time.RFC3339))}
}

// Levels are the escalation levels a clock in state st has reached: 1 from the warning,
// 1 and 2 once breached.
func Levels(st sla.State) []int {
	switch st {
	case sla.Warning:
		return []int{1}
	case sla.Breached:
		return []int{1, 2}
	}
	return nil
}

// history appends one event to an order's history.
func (s *Service) history(ctx context.Context, q *queries.Queries, o Order, kind string, from, to Status,
	priority *string, note, actor string, at time.Time) error {
	if k, ok := updateKinds[kind]; ok {
		queue(ctx, o, k, note, "", at)
	}
	return q.InsertEvent(ctx, queries.InsertEventParams{ID: service.NewID(), GroupID: o.GroupID, MallID: o.MallID,
		OrderID: o.ID, At: at, Actor: actor, Kind: kind, FromStatus: string(from), ToStatus: string(to),
		Priority: priority, Note: note})
}
