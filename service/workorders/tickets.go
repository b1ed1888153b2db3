package workorders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/service/workorders/sla"
	"github.com/atrium-mall/atrium/storage"
)

// TicketInput is a customer-service ticket the desk records from a phone call or a
// visit (客服事件).
type TicketInput struct {
	MallID      uuid.UUID
	Channel     Channel // PHONE or WALK_IN
	Category    string  // one of ServiceCategories
	Priority    sla.Priority
	Contact     string     // the caller: name, phone
	MerchantID  *uuid.UUID // a tenant calling about its merchant: its people follow the ticket too
	Zone        string
	Description string
}

// RecordTicket records a call or visit as an order of a customer-service category
// (service desk, supervisor or admin of the mall). It is dispatched to the desk like
// any order.
func (s *Service) RecordTicket(ctx context.Context, in TicketInput) (Order, error) {
	p, err := s.mallFor(ctx, in.MallID, deskRoles...)
	if err != nil {
		return Order{}, err
	}
	in.Contact = strings.TrimSpace(in.Contact)
	switch {
	case in.Channel != ViaPhone && in.Channel != ViaWalkIn:
		return Order{}, errs.Invalid("input.channel", "a ticket comes by PHONE or WALK_IN")
	case !slices.Contains(ServiceCategories, in.Category):
		return Order{}, errs.Invalid("input.category", "a ticket is a complaint, suggestion, consultation or praise")
	case in.Contact == "" || utf8.RuneCountInString(in.Contact) > 200:
		return Order{}, errs.Invalid("input.contact", "the caller (name, phone) in 1 to 200 characters")
	}
	if err := validRaise(RaiseInput{Category: in.Category, Priority: in.Priority, Description: in.Description}, FromStaff); err != nil {
		return Order{}, err
	}
	me := auth.ViewerFrom(ctx).ID
	o := Order{GroupID: p.GroupID, MallID: p.MallID, Source: FromStaff, Channel: in.Channel, Contact: in.Contact,
		RequesterStaff: &me, Category: in.Category, Priority: in.Priority, Zone: strings.TrimSpace(in.Zone),
		Description: strings.TrimSpace(in.Description)}
	if in.MerchantID != nil {
		mp, err := s.org.MerchantPlace(ctx, nil, *in.MerchantID)
		if err != nil || mp.MallID != p.MallID {
			return Order{}, errs.Invalid("input.merchantId", "no such merchant in this mall")
		}
		o.RequesterMerchant = in.MerchantID
	}
	err = s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		o, err = s.insert(ctx, tx, p, o, access.Actor(ctx))
		return err
	})
	return o, err
}

// ReturnVisit is the desk's call back after an order closed (回访).
type ReturnVisit struct {
	OrderID      uuid.UUID
	Satisfaction int
	Comment      string
	ByStaff      uuid.UUID
	At           time.Time
}

// RecordReturnVisit records the requester's satisfaction (1–5) with a closed order,
// once (service desk, supervisor or admin of the mall); 2 or less opens a follow-up for
// the desk.
func (s *Service) RecordReturnVisit(ctx context.Context, id uuid.UUID, satisfaction int, comment string) (ReturnVisit, error) {
	comment = strings.TrimSpace(comment)
	switch {
	case satisfaction < 1 || satisfaction > 5:
		return ReturnVisit{}, ErrRating.At("satisfaction")
	case utf8.RuneCountInString(comment) > 2000:
		return ReturnVisit{}, errs.Invalid("comment", "a comment of at most 2000 characters")
	}
	var rv ReturnVisit
	_, err := s.annotate(ctx, id, "return_visit", desk, func(q *queries.Queries, o *Order, now time.Time) error {
		if o.Status != Closed {
			return ErrNotClosed
		}
		rv = ReturnVisit{OrderID: o.ID, Satisfaction: satisfaction, Comment: comment, ByStaff: auth.ViewerFrom(ctx).ID,
			At: now}
		n, err := q.InsertReturnVisit(ctx, queries.InsertReturnVisitParams{OrderID: o.ID, GroupID: o.GroupID,
			MallID: o.MallID, Satisfaction: int16(satisfaction), Comment: comment, ByStaff: rv.ByStaff, At: now})
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrVisited
		}
		return s.history(ctx, q, *o, "return_visit", o.Status, o.Status, nil,
			fmt.Sprintf("satisfaction %d: %s", satisfaction, comment), access.Actor(ctx), now)
	}, func(ctx context.Context, tx pgx.Tx, o Order) error {
		if satisfaction > 2 {
			return nil
		}
		p, err := s.org.MallPlace(ctx, tx, o.MallID)
		if err != nil {
			return err
		}
		return s.followUp(ctx, tx, o, p, fmt.Sprintf("Return visit of order #%d: satisfaction %d: %s", o.Number,
			satisfaction, comment))
	})
	return rv, err
}

// ReturnVisitOf reads an order's return visit (nil: none yet), for whoever may see the
// order.
func (s *Service) ReturnVisitOf(ctx context.Context, id uuid.UUID) (*ReturnVisit, error) {
	if _, _, _, err := s.visible(ctx, id); err != nil {
		return nil, err
	}
	r, err := queries.New(s.db.Pool).ReturnVisitOf(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &ReturnVisit{OrderID: r.OrderID, Satisfaction: int(r.Satisfaction), Comment: r.Comment, ByStaff: r.ByStaff,
		At: r.At}, nil
}

// AwaitingReturnVisit lists a mall's closed orders raised by people that have no return
// visit yet, newest first (service desk, supervisor or admin of the mall).
func (s *Service) AwaitingReturnVisit(ctx context.Context, mallID uuid.UUID, pr page.Request) (page.Result[Order], error) {
	p, err := s.mallFor(ctx, mallID, deskRoles...)
	if err != nil {
		return page.Result[Order]{}, err
	}
	rows, err := queries.New(s.db.Pool).AwaitingReturnVisit(ctx, queries.AwaitingReturnVisitParams{GroupID: p.GroupID,
		MallID: p.MallID, After: pr.After, Lim: int32(pr.Limit())})
	out := make([]Order, len(rows))
	for i, r := range rows {
		out[i] = orderOf(r)
	}
	return page.Cut(pr, out), err
}
