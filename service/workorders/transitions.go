package workorders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// step is one action on an order: who may take it (on the locked row), what it changes
// and what else it writes.
type step struct {
	ev      Event
	allowed func(r viewer, o Order) error
	apply   func(o *Order, r viewer, now time.Time)
	extra   func(ctx context.Context, tx pgx.Tx, o Order, p org.Place, now time.Time) error
	note    string
}

// act runs st on order id: the caller must see the order (NOT_FOUND otherwise); the row
// is locked, so two concurrent actions run one after the other and the second meets the
// first's status.
func (s *Service) act(ctx context.Context, id uuid.UUID, st step) (Order, error) {
	o, _, p, err := s.visible(ctx, id)
	if err != nil {
		return o, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := queries.New(tx)
		row, err := q.LockOrder(ctx, id)
		if err != nil {
			return err
		}
		if o, err = s.step(ctx, tx, orderOf(row), p, st); err != nil {
			return err
		}
		return s.reschedule(ctx, tx, o, p)
	})
	return o, err
}

// step checks and applies st to the locked order o.
func (s *Service) step(ctx context.Context, tx pgx.Tx, o Order, p org.Place, st step) (Order, error) {
	r, err := relation(ctx, o, p)
	if err != nil {
		return o, err
	}
	if err := st.allowed(r, o); err != nil {
		return o, err
	}
	to, err := Machine.Next(st.ev, o.Status)
	if err != nil {
		return o, refusal(st.ev, o, r, err)
	}
	from, now := o.Status, s.now()
	o.Status, o.UpdatedAt = to, now
	if st.apply != nil {
		st.apply(&o, r, now)
	}
	q := queries.New(tx)
	if err := s.store(ctx, q, o); err != nil {
		return o, err
	}
	if err := s.history(ctx, q, o, string(st.ev), from, to, nil, st.note, access.Actor(ctx), now); err != nil {
		return o, err
	}
	if err := audited(ctx, tx, o, string(st.ev), st.note, now); err != nil {
		return o, err
	}
	if st.extra != nil {
		return o, st.extra(ctx, tx, o, p, now)
	}
	return o, nil
}

// refusal names why an event cannot fire: accepting an order someone else has accepted
// is WORK_ORDER_TAKEN, anything else the machine's error.
func refusal(ev Event, o Order, r viewer, err error) error {
	if ev == EvAccept && o.Assignee != nil && *o.Assignee != r.v.ID {
		return ErrTaken
	}
	return err
}

func desk(r viewer, _ Order) error {
	if !r.desk {
		return errs.ErrForbidden
	}
	return nil
}

// worker: the assignee (a technician of the mall), or the desk.
func worker(r viewer, o Order) error {
	switch {
	case r.desk:
		return nil
	case !r.tech:
		return errs.ErrForbidden
	case o.Assignee == nil || *o.Assignee != r.v.ID:
		return ErrNotAssignee
	}
	return nil
}

func requesterOrDesk(r viewer, _ Order) error {
	if !r.requester && !r.desk {
		return errs.ErrForbidden
	}
	return nil
}

// Accept takes an order: a technician of the mall (the desk for a customer-service
// ticket) accepts one assigned to them, or claims an open one. Of two accepting at once
// one wins; the other gets WORK_ORDER_TAKEN.
func (s *Service) Accept(ctx context.Context, id uuid.UUID) (Order, error) {
	return s.act(ctx, id, step{ev: EvAccept, allowed: func(r viewer, o Order) error {
		switch {
		case !r.tech && !(r.desk && slices.Contains(ServiceCategories, o.Category)):
			return errs.ErrForbidden
		case o.Status == Assigned && *o.Assignee != r.v.ID:
			return ErrNotAssignee
		}
		return nil
	}, apply: func(o *Order, r viewer, now time.Time) {
		o.Assignee = &r.v.ID
		if o.RespondedAt == nil {
			o.RespondedAt = &now
		}
	}})
}

// Start begins the work (the assignee).
func (s *Service) Start(ctx context.Context, id uuid.UUID) (Order, error) {
	return s.act(ctx, id, step{ev: EvStart, allowed: worker})
}

// Pause stops the SLA clocks while waiting for the tenant or for parts: an explicit,
// audited segment until Resume.
func (s *Service) Pause(ctx context.Context, id uuid.UUID, reason PauseReason, note string) (Order, error) {
	if reason != WaitTenant && reason != WaitParts {
		return Order{}, ErrReason.At("reason")
	}
	return s.act(ctx, id, step{ev: EvPause, allowed: worker, note: string(reason) + ": " + note,
		extra: func(ctx context.Context, tx pgx.Tx, o Order, _ org.Place, now time.Time) error {
			return queries.New(tx).OpenPause(ctx, queries.OpenPauseParams{ID: newID(), GroupID: o.GroupID,
				MallID: o.MallID, OrderID: o.ID, Reason: string(reason), FromAt: now, Note: note})
		}})
}

// Resume ends the pause.
func (s *Service) Resume(ctx context.Context, id uuid.UUID) (Order, error) {
	return s.act(ctx, id, step{ev: EvResume, allowed: worker, extra: closePause})
}

func closePause(ctx context.Context, tx pgx.Tx, o Order, _ org.Place, now time.Time) error {
	_, err := queries.New(tx).ClosePause(ctx, &now, o.ID)
	return err
}

// Resolve completes the work, with a note of what was done.
func (s *Service) Resolve(ctx context.Context, id uuid.UUID, note string) (Order, error) {
	return s.act(ctx, id, step{ev: EvResolve, allowed: worker, note: note,
		apply: func(o *Order, _ viewer, now time.Time) { o.ResolvedAt = &now }})
}

// Confirm closes a resolved order with the requester's rating (1–5); a rating of 2 or
// less opens a follow-up order for the service desk.
func (s *Service) Confirm(ctx context.Context, id uuid.UUID, rating int, comment string) (Order, error) {
	if rating < 1 || rating > 5 {
		return Order{}, ErrRating.At("rating")
	}
	return s.act(ctx, id, step{ev: EvConfirm, allowed: requesterOrDesk, note: fmt.Sprintf("rated %d: %s", rating, comment),
		apply: func(o *Order, _ viewer, now time.Time) { o.ClosedAt, o.Rating = &now, &rating },
		extra: func(ctx context.Context, tx pgx.Tx, o Order, p org.Place, _ time.Time) error {
			if rating > 2 {
				return nil
			}
			return s.followUp(ctx, tx, o, p, fmt.Sprintf("Order #%d rated %d: %s", o.Number, rating, comment))
		}})
}

// followUp opens a desk order about a poorly rated one (not dispatched: the desk calls).
func (s *Service) followUp(ctx context.Context, tx pgx.Tx, o Order, p org.Place, text string) error {
	f := Order{GroupID: o.GroupID, MallID: o.MallID, Category: "follow_up", Priority: sla.Normal, Source: o.Source,
		Channel: o.Channel, Contact: o.Contact,
		RequesterStaff: o.RequesterStaff, RequesterMerchant: o.RequesterMerchant, RequesterMember: o.RequesterMember,
		UnitID: o.UnitID, Zone: o.Zone, Description: text, FollowUpOf: &o.ID}
	_, err := s.insert(ctx, tx, p, f, "system")
	return err
}

// Reopen sends a resolved order back to work (the requester or the desk); the
// resolution clock resumes from where it stood.
func (s *Service) Reopen(ctx context.Context, id uuid.UUID, reason string) (Order, error) {
	return s.act(ctx, id, step{ev: EvReopen, allowed: requesterOrDesk, note: reason,
		apply: func(o *Order, _ viewer, _ time.Time) { o.ResolvedAt = nil }})
}

// Cancel withdraws an order: the desk at any time before it is resolved, the requester
// until work starts.
func (s *Service) Cancel(ctx context.Context, id uuid.UUID, reason string) (Order, error) {
	return s.act(ctx, id, step{ev: EvCancel, note: reason, extra: closePause,
		allowed: func(r viewer, o Order) error {
			if r.desk || (r.requester && slices.Contains([]Status{Open, Assigned, Accepted}, o.Status)) {
				return nil
			}
			return errs.ErrForbidden
		}, apply: func(o *Order, _ viewer, now time.Time) { o.ClosedAt = &now }})
}

// Assign gives an order to a technician of the mall (desk or admin); a nil staff
// dispatches it by score. Reassigning an accepted order sends it back to ASSIGNED.
func (s *Service) Assign(ctx context.Context, id uuid.UUID, staff *uuid.UUID) (Order, error) {
	o, _, p, err := s.visible(ctx, id)
	if err != nil {
		return o, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := queries.New(tx)
		row, err := q.LockOrder(ctx, id)
		if err != nil {
			return err
		}
		o = orderOf(row)
		r, err := relation(ctx, o, p)
		if err == nil {
			err = desk(r, o)
		}
		if err != nil {
			return err
		}
		cs, err := s.candidates(ctx, tx, p, o.Category)
		if err != nil {
			return err
		}
		pick, note, err := chooseTechnician(cs, o, staff)
		if err != nil {
			return err
		}
		if o, err = s.assignTo(ctx, q, o, pick, access.Actor(ctx), note); err != nil {
			return err
		}
		if err := audited(ctx, tx, o, string(EvAssign), note+" → "+pick.String(), o.UpdatedAt); err != nil {
			return err
		}
		return s.reschedule(ctx, tx, o, p)
	})
	return o, err
}

// chooseTechnician is the named staff when they are a candidate, else the best by score.
func chooseTechnician(cs []Candidate, o Order, staff *uuid.UUID) (uuid.UUID, string, error) {
	if staff != nil {
		for _, c := range cs {
			if c.StaffID == *staff {
				return c.StaffID, "manual", nil
			}
		}
		return uuid.Nil, "", errs.Invalid("staffId", "not a %s of the mall", dispatchRole(o.Category))
	}
	best, ok := Pick(cs, o.Category, o.Zone)
	if !ok {
		return uuid.Nil, "", ErrNoTechnician
	}
	return best.StaffID, "auto: score", nil
}

// SetPriority changes an order's priority (desk or admin). The SLA keeps the elapsed
// time and applies the new target from now; the job moves with it.
func (s *Service) SetPriority(ctx context.Context, id uuid.UUID, pr sla.Priority) (Order, error) {
	if !validPriority(pr) {
		return Order{}, errs.Invalid("priority", "unknown priority %q", pr)
	}
	return s.annotate(ctx, id, "priority", desk, func(q *queries.Queries, o *Order, now time.Time) error {
		if o.Status == Closed || o.Status == Cancelled {
			return ErrTransition.Msgf("cannot change the priority of a %s work order", o.Status)
		}
		o.Priority, o.UpdatedAt = pr, now
		if err := s.store(ctx, q, *o); err != nil {
			return err
		}
		p := string(pr)
		return s.history(ctx, q, *o, "priority", o.Status, o.Status, &p, "", access.Actor(ctx), now)
	}, nil)
}

// AddNote records a note on an order (staff of the mall or the requester).
func (s *Service) AddNote(ctx context.Context, id uuid.UUID, text string) (Order, error) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > 4000 {
		return Order{}, errs.Invalid("note", "a note of 1 to 4000 characters")
	}
	return s.annotate(ctx, id, "note", func(viewer, Order) error { return nil }, func(q *queries.Queries, o *Order, now time.Time) error {
		return s.history(ctx, q, *o, "note", o.Status, o.Status, nil, text, access.Actor(ctx), now)
	}, nil)
}

// annotate runs a change that is not a transition on the locked order, then after (when
// given) in the same transaction.
func (s *Service) annotate(ctx context.Context, id uuid.UUID, kind string, allowed func(viewer, Order) error,
	change func(q *queries.Queries, o *Order, now time.Time) error,
	after func(ctx context.Context, tx pgx.Tx, o Order) error) (Order, error) {
	o, _, p, err := s.visible(ctx, id)
	if err != nil {
		return o, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := queries.New(tx)
		row, err := q.LockOrder(ctx, id)
		if err != nil {
			return err
		}
		o = orderOf(row)
		r, err := relation(ctx, o, p)
		if err != nil {
			return err
		}
		if err := allowed(r, o); err != nil {
			return err
		}
		now := s.now()
		if err := change(q, &o, now); err != nil {
			return err
		}
		if err := audited(ctx, tx, o, kind, "", now); err != nil {
			return err
		}
		if after != nil {
			if err := after(ctx, tx, o); err != nil {
				return err
			}
		}
		return s.reschedule(ctx, tx, o, p)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return o, errs.ErrNotFound
	}
	return o, err
}

// audited records a person's action on an order in the audit log, in its transaction
// (wo_events is the order's own history; audit_log is the one record across contexts).
func audited(ctx context.Context, tx pgx.Tx, o Order, action, reason string, at time.Time) error {
	return audit.Record(ctx, tx, audit.Entry{At: at, Action: "workorder." + action, Entity: "work_order", EntityID: o.ID,
		MallID: o.MallID, Reason: reason, Details: map[string]any{"status": o.Status, "number": o.Number}})
}
