// Package shifts is the cashier's shift handover (交班交款, issue 17): a cashier
// (service desk at a mall's desk, merchant staff at a merchant's till) opens a shift
// with a cash float, every till operation they do there while it is open is recorded in
// it in the operation's own transaction (RecordTx; loyalty's recharges, purchases' and
// refunds' paid parts through LoyaltyHook), and closing it counts each tender against
// what is expected.
//
// Rules worth knowing:
//   - One open shift per cashier and till (a unique partial index); a cashier with
//     shifts open at several tills of one place has their operations recorded in the
//     latest opened.
//   - An operation belongs to the cashier's open shift at the place it happens (the
//     merchant for purchases and refunds, the mall's desk for recharges). An operation
//     by a cashier without an open shift there is not recorded in any (no shift is
//     required yet; see RecordTx). Operations are unique per (kind, source, tender), so
//     a replay records nothing twice.
//   - Amounts are signed: into the till > 0 (a sale's cash, a recharge), out of it < 0
//     (a refund's cash). Expected of a tender = its operations' sum, plus the float for
//     CASH. Variance = counted − expected: over > 0, short < 0, recorded per tender.
//   - Closing is a conditional UPDATE … WHERE status = 'OPEN': of concurrent closes one
//     wins, the others get SHIFT_ALREADY_CLOSED. An operation locks its shift FOR SHARE,
//     so a close waits for operations in flight, and one after the close finds no open
//     shift.
package shifts

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/shifts/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Tenders.
const (
	TenderCash        = "CASH"
	TenderCard        = "CARD" // bank card
	TenderWeChat      = "WECHAT"
	TenderAlipay      = "ALIPAY"
	TenderStoredValue = "STORED_VALUE"
	TenderOther       = "OTHER"
)

// Tenders lists every tender.
var Tenders = []string{TenderCash, TenderCard, TenderWeChat, TenderAlipay, TenderStoredValue, TenderOther}

// Statuses.
const (
	StatusOpen   = "OPEN"
	StatusClosed = "CLOSED"
)

// Errors of the shifts context.
var (
	ErrAlreadyOpen   = errs.New(errs.KindUser, "SHIFT_ALREADY_OPEN", "the cashier already has an open shift at this till")
	ErrAlreadyClosed = errs.New(errs.KindUser, "SHIFT_ALREADY_CLOSED", "the shift is already closed")
	ErrNotFound      = errs.New(errs.KindNotFound, "SHIFT_NOT_FOUND", "no such shift")
	ErrNotOpen       = errs.New(errs.KindUser, "SHIFT_NOT_OPEN", "the mall requires an open shift at this till: open one first")
)

// Roles.
var (
	deskRoles     = []auth.Role{auth.RoleServiceDesk}
	tillRoles     = []auth.Role{auth.RoleMerchantStaff}
	overseerRoles = []auth.Role{auth.RoleAdmin, auth.RoleFinance}
	tenantRoles   = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleTenantAdmin}
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB  *storage.DB
	Org *org.Service
	Now func() time.Time
}

// Service is the shifts context.
type Service struct {
	db  *storage.DB
	org *org.Service
	now func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("shifts", d)
	return &Service{db: d.DB, org: d.Org, now: d.Now}
}

// Shift is a cashier's shift at a till.
type Shift struct {
	ID         uuid.UUID
	MallID     uuid.UUID
	MerchantID uuid.UUID // uuid.Nil: the mall's service desk
	Till       string
	CashierID  uuid.UUID
	Status     string
	Float      decimal.Decimal
	OpenedAt   time.Time
	ClosedAt   *time.Time
}

func shiftOf(r queries.ShiftSession) Shift {
	sh := Shift{ID: r.ID, MallID: r.MallID, Till: r.Till, CashierID: r.CashierID, Status: r.Status, Float: r.FloatCash,
		OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt}
	if r.MerchantID != nil {
		sh.MerchantID = *r.MerchantID
	}
	return sh
}

// OpenInput opens a shift: at a mall's desk (MerchantID uuid.Nil) or a merchant's till.
type OpenInput struct {
	MallID     uuid.UUID
	MerchantID uuid.UUID
	Till       string
	Float      decimal.Decimal
}

// place reads the place of a shift (the merchant when given, else the mall); an
// unknown place is FORBIDDEN.
func (s *Service) place(ctx context.Context, q storage.Querier, mall, merchant uuid.UUID) (org.Place, error) {
	var p org.Place
	var err error
	if merchant != uuid.Nil {
		p, err = s.org.MerchantPlace(ctx, q, merchant)
		if err == nil && mall != uuid.Nil && p.MallID != mall {
			err = errs.ErrForbidden
		}
	} else {
		p, err = s.org.MallPlace(ctx, q, mall)
	}
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, nil
}

// cashierRoles are the roles that work a place's till.
func cashierRoles(merchant uuid.UUID) []auth.Role {
	if merchant != uuid.Nil {
		return tillRoles
	}
	return deskRoles
}

// Open opens the caller's shift at a till with a cash float: service desk at a mall's
// desk, merchant staff at a merchant's till. SHIFT_ALREADY_OPEN when the caller has one
// open at that till.
func (s *Service) Open(ctx context.Context, in OpenInput) (Shift, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return Shift{}, err
	}
	p, err := s.place(ctx, nil, in.MallID, in.MerchantID)
	if err != nil {
		return Shift{}, err
	}
	if err := access.At(ctx, p.Ref(), cashierRoles(in.MerchantID)...); err != nil {
		return Shift{}, err
	}
	in.Till = strings.TrimSpace(in.Till)
	switch {
	case in.Till == "" || len(in.Till) > 32:
		return Shift{}, errs.Invalid("input.till", "till must be 1 to 32 characters")
	case in.Float.IsNegative() || !in.Float.Equal(in.Float.Round(2)) || in.Float.GreaterThan(decimal.New(1, 9)):
		return Shift{}, errs.Invalid("input.float", "float must be at least 0 with at most two decimals")
	}
	sh := Shift{ID: service.NewID(), MallID: p.MallID, MerchantID: p.MerchantID, Till: in.Till, CashierID: v.ID,
		Status: StatusOpen, Float: in.Float, OpenedAt: s.now()}
	err = queries.New(s.db.Pool).InsertSession(ctx, queries.InsertSessionParams{ID: sh.ID, GroupID: p.GroupID,
		MallID: p.MallID, MerchantID: nilIfZero(p.MerchantID), Till: sh.Till, CashierID: v.ID, FloatCash: sh.Float,
		OpenedAt: sh.OpenedAt})
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return Shift{}, ErrAlreadyOpen.At("input", "till")
	}
	return sh, err
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// Op is one till operation of a shift.
type Op struct {
	Place    org.Place // where it happened: a merchant, or a mall (its desk)
	Cashier  uuid.UUID // the staff member at the till
	Kind     string    // what it is: PURCHASE, REFUND, RECHARGE, FEE, CARD_SALE, WITHDRAWAL, …
	Tender   string    // Tenders
	Amount   decimal.Decimal
	SourceID string // the operation's own id (unique per kind and tender)
	At       time.Time
}

// RecordTx records op in the cashier's open shift at op.Place, in the caller's
// transaction (the operation's), and returns that shift's id — uuid.Nil when the
// cashier has no open shift there (then nothing is recorded). Zero amounts are not
// recorded. Other contexts (fees, card sales, withdrawals) call it from their own
// transactions; the caller has authorized the operation.
func (s *Service) RecordTx(ctx context.Context, tx pgx.Tx, op Op) (uuid.UUID, error) {
	switch {
	case !slices.Contains(Tenders, op.Tender):
		return uuid.Nil, errs.Invalid("tender", "unknown tender %q", op.Tender)
	case op.Kind == "" || op.SourceID == "":
		return uuid.Nil, errs.Invalid("kind", "an operation has a kind and a source")
	case op.Cashier == uuid.Nil || op.Amount.IsZero():
		return uuid.Nil, nil
	}
	q := queries.New(tx)
	sh, err := q.OpenSessionFor(ctx, queries.OpenSessionForParams{GroupID: op.Place.GroupID, CashierID: op.Cashier,
		MallID: op.Place.MallID, MerchantID: nilIfZero(op.Place.MerchantID)})
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, s.requiredTx(ctx, q, op.Place)
	}
	if err != nil {
		return uuid.Nil, err
	}
	if op.At.IsZero() {
		op.At = s.now()
	}
	_, err = q.InsertOp(ctx, queries.InsertOpParams{ID: service.NewID(), GroupID: op.Place.GroupID,
		MallID: op.Place.MallID, ShiftID: sh.ID, Kind: op.Kind, Tender: op.Tender, Amount: op.Amount.Round(2),
		SourceID: op.SourceID, CreatedAt: op.At})
	return sh.ID, err
}

// shiftFor reads a shift and checks the caller may see or close it: its cashier, or
// readersOf its place (another's shift or an unknown one is NOT_FOUND / FORBIDDEN).
func (s *Service) shiftFor(ctx context.Context, q storage.Querier, id uuid.UUID) (queries.ShiftSession, org.Place, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return queries.ShiftSession{}, org.Place{}, err
	}
	r, err := queries.New(q).Session(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, org.Place{}, ErrNotFound
	}
	if err != nil {
		return r, org.Place{}, err
	}
	merchant := uuid.Nil
	if r.MerchantID != nil {
		merchant = *r.MerchantID
	}
	p, err := s.place(ctx, q, r.MallID, merchant)
	if err != nil || p.GroupID != r.GroupID {
		return r, p, ErrNotFound
	}
	if r.CashierID == v.ID {
		return r, p, nil
	}
	if err := access.At(ctx, p.Ref(), readersOf(merchant)...); err != nil {
		return r, p, ErrNotFound
	}
	return r, p, nil
}

// readersOf are who may read (and close for the cashier) a shift at a place besides
// its cashier.
func readersOf(merchant uuid.UUID) []auth.Role {
	if merchant != uuid.Nil {
		return tenantRoles
	}
	return overseerRoles
}
