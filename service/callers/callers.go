// Package callers is caller recognition (来电管理) for the service desk's telephone
// system: a call's phone number → the member of the mall's group holding it, with what
// the desk needs to greet them (name, tier, status, points and stored value on their
// default card, latest purchases, open bookings — read through the owning contexts'
// exported reads), and a log of every call with its note and outcome.
//
// Who sees what: service desk, admin and member operations staff of the mall. The
// member's (and the call's) whole phone number is shown to service desk and admin
// staff only; member operations see it masked to its last four digits (PIPL: the least
// a task needs). Another mall's or group's staff, merchants and shoppers get FORBIDDEN
// (a call of another mall: NOT_FOUND).
package callers

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/callers/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are the callers context's dependencies, all required.
type Deps struct {
	DB     *storage.DB
	Org    *org.Service
	Ledger *ledger.Service // the default card's balances
	Now    func() time.Time
}

// Service is the callers context.
type Service struct {
	db     *storage.DB
	org    *org.Service
	ledger *ledger.Service
	now    func() time.Time
}

// New returns the service; it panics when a dependency is missing.
func New(d Deps) *Service {
	service.MustDeps("callers", d)
	return &Service{db: d.DB, org: d.Org, ledger: d.Ledger, now: d.Now}
}

// Roles: who may take calls, and who sees whole phone numbers.
var (
	callRoles      = []auth.Role{auth.RoleServiceDesk, auth.RoleAdmin, auth.RoleMemberOps}
	fullPhoneRoles = []auth.Role{auth.RoleServiceDesk, auth.RoleAdmin}
)

// Outcomes of a call.
const (
	OutcomeOpen     = "OPEN"
	OutcomeResolved = "RESOLVED"
	OutcomeFollowUp = "FOLLOW_UP"
	OutcomeMissed   = "MISSED"
)

// Call is one logged call.
type Call struct {
	ID        uuid.UUID
	GroupID   uuid.UUID
	MallID    uuid.UUID
	Phone     string // masked unless the viewer may see whole numbers
	MemberID  *uuid.UUID
	StaffID   *uuid.UUID
	Outcome   string
	Note      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Caller is what the desk sees of a caller: the call logged, and the member when the
// number is a member's.
type Caller struct {
	Call            Call
	Member          *members.Member // nil: not a member of the group
	PhoneMasked     bool
	CardNumber      string
	Points          decimal.Decimal
	StoredValue     decimal.Decimal
	RecentPurchases []loyalty.PurchaseSummary
	OpenBookings    []bookings.OpenBooking
}

var phoneRe = regexp.MustCompile(`^\+?[0-9-]{3,20}$`)

// atMall authorizes a caller over a mall and says whether they see whole numbers.
func (s *Service) atMall(ctx context.Context, mallID uuid.UUID) (org.Place, bool, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return org.Place{}, false, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, false, err
	}
	if err := access.At(ctx, p.Ref(), callRoles...); err != nil {
		return p, false, err
	}
	return p, v.Can(p.Ref(), fullPhoneRoles...), nil
}

func toCall(c queries.CallerCall, full bool) Call {
	phone := c.Phone
	if !full {
		phone = members.MaskPhone(phone)
	}
	return Call{ID: c.ID, GroupID: c.GroupID, MallID: c.MallID, Phone: phone, MemberID: c.MemberID, StaffID: c.StaffID,
		Outcome: c.Outcome, Note: c.Note, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func staffID(ctx context.Context) *uuid.UUID {
	if v := auth.ViewerFrom(ctx); v.IsStaff() {
		id := v.ID
		return &id
	}
	return nil
}

// Recognize logs an incoming call at the mall from phone and returns the caller: the
// member of the mall's group with that phone (nil when none) with their recent
// activity. The phone is normalised (spaces dropped, +86 prefix dropped).
func (s *Service) Recognize(ctx context.Context, mallID uuid.UUID, phone string) (Caller, error) {
	p, full, err := s.atMall(ctx, mallID)
	if err != nil {
		return Caller{}, err
	}
	phone = strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(phone), " ", ""), "+86")
	if !phoneRe.MatchString(phone) {
		return Caller{}, errs.Invalid("phone", "a phone number of 3 to 20 digits")
	}
	out := Caller{PhoneMasked: !full}
	var memberID *uuid.UUID
	id, err := members.MemberIDByPhoneIn(ctx, s.db.Pool, p.GroupID, phone)
	switch {
	case errors.Is(err, members.ErrMemberNotFound):
	case err != nil:
		return Caller{}, err
	default:
		memberID = &id
		if err := s.activity(ctx, p, id, full, &out); err != nil {
			return Caller{}, err
		}
	}
	now := s.now()
	c, err := queries.New(s.db.Pool).InsertCall(ctx, queries.InsertCallParams{ID: service.NewID(), GroupID: p.GroupID,
		MallID: p.MallID, Phone: phone, MemberID: memberID, StaffID: staffID(ctx), CreatedAt: now})
	if err != nil {
		return Caller{}, fmt.Errorf("log call: %w", err)
	}
	out.Call = toCall(c, full)
	return out, nil
}

// activity fills in the member and their recent activity.
func (s *Service) activity(ctx context.Context, p org.Place, member uuid.UUID, full bool, out *Caller) error {
	m, err := members.MemberOf(ctx, s.db.Pool, member)
	if err != nil {
		return err
	}
	if !full {
		m.Phone = members.MaskPhone(m.Phone)
	}
	m.Birthday, m.Anniversary, m.PhotoKey = nil, nil, ""
	out.Member = &m
	card, err := members.DefaultCardIn(ctx, s.db.Pool, member, p.GroupID)
	switch {
	case errors.Is(err, members.ErrCardNotFound):
	case err != nil:
		return err
	default:
		b, err := s.ledger.CardBalances(ctx, card.ID)
		if err != nil {
			return err
		}
		out.CardNumber, out.Points, out.StoredValue = card.Number, b.Points, b.StoredValue
	}
	if out.RecentPurchases, err = loyalty.RecentPurchasesOf(ctx, s.db.Pool, p.GroupID, member, 5); err != nil {
		return fmt.Errorf("recent purchases: %w", err)
	}
	if out.OpenBookings, err = bookings.OpenBookingsOf(ctx, s.db.Pool, member, s.now(), 5); err != nil {
		return fmt.Errorf("open bookings: %w", err)
	}
	return nil
}

// call loads a call and authorizes the viewer over its mall (NOT_FOUND otherwise).
func (s *Service) call(ctx context.Context, id uuid.UUID) (queries.CallerCall, bool, error) {
	if _, err := access.Staff(ctx); err != nil {
		return queries.CallerCall{}, false, err
	}
	c, err := queries.New(s.db.Pool).CallByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return c, false, errs.ErrNotFound.Msgf("call not found")
	}
	if err != nil {
		return c, false, fmt.Errorf("call: %w", err)
	}
	_, full, err := s.atMall(ctx, c.MallID)
	if errors.Is(err, errs.ErrForbidden) {
		return c, false, errs.ErrNotFound.Msgf("call not found")
	}
	return c, full, err
}

// CallByID returns one logged call.
func (s *Service) CallByID(ctx context.Context, id uuid.UUID) (Call, error) {
	c, full, err := s.call(ctx, id)
	if err != nil {
		return Call{}, err
	}
	return toCall(c, full), nil
}

// UpdateCall sets a call's outcome and note (at most 1,000 characters).
func (s *Service) UpdateCall(ctx context.Context, id uuid.UUID, outcome, note string) (Call, error) {
	if _, _, err := s.call(ctx, id); err != nil {
		return Call{}, err
	}
	switch outcome {
	case OutcomeOpen, OutcomeResolved, OutcomeFollowUp, OutcomeMissed:
	default:
		return Call{}, errs.Invalid("input.outcome", "outcome must be OPEN, RESOLVED, FOLLOW_UP or MISSED")
	}
	if utf8.RuneCountInString(note) > 1000 {
		return Call{}, errs.Invalid("input.note", "a note of at most 1,000 characters")
	}
	c, err := queries.New(s.db.Pool).UpdateCall(ctx, queries.UpdateCallParams{ID: id, Outcome: outcome, Note: note,
		StaffID: staffID(ctx), UpdatedAt: s.now()})
	if err != nil {
		return Call{}, fmt.Errorf("update call: %w", err)
	}
	_, full, err := s.call(ctx, id)
	return toCall(c, full), err
}

// Calls lists a mall's calls, newest first (at most 100).
func (s *Service) Calls(ctx context.Context, mallID uuid.UUID, first int) ([]Call, error) {
	p, full, err := s.atMall(ctx, mallID)
	if err != nil {
		return nil, err
	}
	if first <= 0 || first > 100 {
		first = 100
	}
	rows, err := queries.New(s.db.Pool).CallsOfMall(ctx, queries.CallsOfMallParams{GroupID: p.GroupID, MallID: p.MallID,
		Before: uuid.Max, Lim: int32(first)})
	if err != nil {
		return nil, fmt.Errorf("calls: %w", err)
	}
	out := make([]Call, len(rows))
	for i, r := range rows {
		out[i] = toCall(r, full)
	}
	return out, nil
}
