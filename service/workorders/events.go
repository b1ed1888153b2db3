package workorders

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/storage"
)

// UpdateKind is what a real-time order update tells.
type UpdateKind string

// The update kinds.
const (
	UpdRaised    UpdateKind = "RAISED"    // a new order
	UpdAssigned  UpdateKind = "ASSIGNED"  // given to a technician (or desk staff)
	UpdEscalated UpdateKind = "ESCALATED" // a clock's warning or breach
	UpdStatus    UpdateKind = "STATUS"    // a transition
)

// Update is one real-time event of an order, published after its transaction commits:
// to the mall's staff (RAISED, ASSIGNED, ESCALATED) and to its requester (STATUS).
type Update struct {
	Kind              UpdateKind `json:"kind"`
	GroupID           uuid.UUID  `json:"-"`
	OrderID           uuid.UUID  `json:"orderId"`
	MallID            uuid.UUID  `json:"mallId"`
	Number            int64      `json:"number"`
	Category          string     `json:"category"`
	Status            Status     `json:"status"`
	Assignee          *uuid.UUID `json:"assignee,omitempty"`
	ToRole            auth.Role  `json:"toRole,omitempty"` // of an escalation
	RequesterStaff    *uuid.UUID `json:"requesterStaff,omitempty"`
	RequesterMerchant *uuid.UUID `json:"requesterMerchant,omitempty"`
	RequesterMember   *uuid.UUID `json:"requesterMember,omitempty"`
	Note              string     `json:"note"`
	At                time.Time  `json:"at"`
}

// updateKinds maps history kinds to the updates they publish (the rest publish none;
// escalations are queued by escalate, with the role they go to).
var updateKinds = map[string]UpdateKind{"raise": UpdRaised, string(EvAssign): UpdAssigned,
	string(EvAccept): UpdStatus, string(EvStart): UpdStatus, string(EvPause): UpdStatus, string(EvResume): UpdStatus,
	string(EvResolve): UpdStatus, string(EvConfirm): UpdStatus, string(EvReopen): UpdStatus, string(EvCancel): UpdStatus}

// outbox collects a transaction's updates until it commits.
type outbox struct {
	mu  sync.Mutex
	ups []Update
}

type outboxKey struct{}

// queue queues an update of o when the context carries an outbox (inTx, announceTx).
func queue(ctx context.Context, o Order, k UpdateKind, text string, toRole auth.Role, at time.Time) {
	box, _ := ctx.Value(outboxKey{}).(*outbox)
	if box == nil {
		return
	}
	box.mu.Lock()
	defer box.mu.Unlock()
	box.ups = append(box.ups, Update{Kind: k, GroupID: o.GroupID, OrderID: o.ID, MallID: o.MallID, Number: o.Number, Category: o.Category,
		Status: o.Status, Assignee: o.Assignee, ToRole: toRole, RequesterStaff: o.RequesterStaff,
		RequesterMerchant: o.RequesterMerchant, RequesterMember: o.RequesterMember, Note: text, At: at})
}

// inTx runs fn in a transaction whose updates are published once it commits.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	box := &outbox{}
	ctx = context.WithValue(ctx, outboxKey{}, box)
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		box.ups = nil
		if err := fn(ctx, tx); err != nil {
			return err
		}
		return s.notifyUpdates(ctx, tx, box.ups)
	})
	if err == nil {
		s.publish(context.WithoutCancel(ctx), box.ups)
	}
	return err
}

// notifyUpdates writes the notifications of a transaction's updates to the notify
// outbox in the same transaction: an assignment to the assignee, a status change to the
// requester (member, tenant or staff), a breach to the assignee.
func (s *Service) notifyUpdates(ctx context.Context, tx pgx.Tx, ups []Update) error {
	for _, u := range ups {
		kind, kindOK := map[UpdateKind]string{UpdAssigned: notify.WorkOrderAssigned, UpdStatus: notify.WorkOrderUpdated,
			UpdEscalated: notify.WorkOrderBreached}[u.Kind]
		if !kindOK || (u.Kind == UpdEscalated && !strings.Contains(u.Note, "breach")) {
			continue
		}
		rk, rid := notify.ToStaff, u.Assignee
		if u.Kind == UpdStatus {
			switch {
			case u.RequesterMember != nil:
				rk, rid = notify.ToMember, u.RequesterMember
			case u.RequesterMerchant != nil:
				rk, rid = notify.ToTenant, u.RequesterMerchant
			default:
				rid = u.RequesterStaff
			}
		}
		if rid == nil || *rid == uuid.Nil || u.MallID == uuid.Nil {
			continue
		}
		if u.GroupID == uuid.Nil { // an order read before its group was known
			p, err := s.org.MallPlace(ctx, tx, u.MallID)
			if err != nil {
				return err
			}
			u.GroupID = p.GroupID
		}
		_, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: u.GroupID, MallID: u.MallID, Kind: kind,
			RecipientKind: rk, RecipientID: *rid, At: u.At,
			Payload: map[string]string{"number": strconv.FormatInt(u.Number, 10), "category": u.Category,
				"status": string(u.Status), "note": u.Note},
			DedupeKey: fmt.Sprintf("wo:%s:%s:%d:%s", u.OrderID, kind, u.At.UnixNano(), rid)})
		if err != nil {
			return err
		}
	}
	return nil
}

// announceTx runs fn, a change made inside another context's transaction (a call-out
// hook's), with an outbox whose updates are published once that transaction commits:
// the transaction's owner runs them (storage.WithAfterCommit), or, without a collector
// in ctx, nothing is announced (lists show the change). Inside a transaction of this
// service's own, fn's updates join its outbox.
func (s *Service) announceTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if box, _ := ctx.Value(outboxKey{}).(*outbox); box != nil {
		return fn(ctx)
	}
	box := &outbox{}
	if err := fn(context.WithValue(ctx, outboxKey{}, box)); err != nil {
		return err
	}
	if len(box.ups) > 0 {
		storage.Defer(ctx, func(c context.Context) { s.publish(c, box.ups) })
	}
	return nil
}

// Channels of updates: one per mall (staff) and one per requester.
func (s *Service) mallChannel(mall uuid.UUID) string {
	return s.redis.Key("workorders", "mall", mall.String())
}
func (s *Service) requesterChannel(kind string, id uuid.UUID) string {
	return s.redis.Key("workorders", kind, id.String())
}

// publish fans committed updates out through Redis; a failure is logged, not returned
// (the change is committed; lists show it).
func (s *Service) publish(ctx context.Context, ups []Update) {
	for _, u := range ups {
		body, _ := json.Marshal(u)
		chans := []string{s.mallChannel(u.MallID)}
		if u.Kind == UpdStatus {
			for kind, id := range map[string]*uuid.UUID{"staff": u.RequesterStaff, "merchant": u.RequesterMerchant,
				"member": u.RequesterMember} {
				if id != nil {
					chans = append(chans, s.requesterChannel(kind, *id))
				}
			}
		}
		for _, ch := range chans {
			if err := s.redis.Publish(ctx, ch, body).Err(); err != nil {
				slog.WarnContext(ctx, "workorders: publish update", "err", err, "order", u.OrderID)
			}
		}
	}
}

// SubscribeMall streams a mall's new orders, assignments and escalations to its staff:
// the desk, supervisors and admins see them all; a technician the assignments to them.
// The channel closes when ctx ends.
func (s *Service) SubscribeMall(ctx context.Context, mallID uuid.UUID) (<-chan Update, error) {
	p, err := s.mallFor(ctx, mallID, staffRoles...)
	if err != nil {
		return nil, err
	}
	v := auth.ViewerFrom(ctx)
	all := v.Can(p.Ref(), deskRoles...)
	return storage.SubscribeJSON(ctx, *s.redis, s.mallChannel(p.MallID), 16, func(u Update) bool {
		if u.MallID != p.MallID || u.Kind == UpdStatus {
			return false
		}
		return all || (u.Kind == UpdAssigned && u.Assignee != nil && *u.Assignee == v.ID)
	})
}

// SubscribeMine streams the status changes of the caller's own orders: a shopper's, a
// tenant's merchants', those a staff member raised. The channel closes when ctx ends.
func (s *Service) SubscribeMine(ctx context.Context) (<-chan Update, error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	// Each channel keeps its own orders; an order of the caller's merchant that the
	// caller raised arrives on the staff channel only (once).
	is := func(id *uuid.UUID, want uuid.UUID) bool { return id != nil && *id == want }
	chans := map[string]func(Update) bool{}
	if v.IsShopper() {
		chans[s.requesterChannel("member", v.ID)] = func(u Update) bool { return is(u.RequesterMember, v.ID) }
	} else {
		chans[s.requesterChannel("staff", v.ID)] = func(u Update) bool { return is(u.RequesterStaff, v.ID) }
		for _, m := range merchantsOf(v) {
			chans[s.requesterChannel("merchant", m)] = func(u Update) bool {
				return is(u.RequesterMerchant, m) && !is(u.RequesterStaff, v.ID)
			}
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan Update, 16)
	var wg sync.WaitGroup
	for ch, keep := range chans {
		in, err := storage.SubscribeJSON(ctx, *s.redis, ch, 16, keep)
		if err != nil {
			cancel()
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range in {
				select {
				case out <- u:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		cancel()
		close(out)
	}()
	return out, nil
}
