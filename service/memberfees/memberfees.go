// Package memberfees is the member fees context (issue 17, points 5 and 6): the fees a
// member programme charges (加入费 joining fee at a card's sale, 年费 annual fee per card
// and year of validity, 附属卡年费 supplementary-card annual fee, 逾期付款罚款 late-payment
// penalty) and the card-as-product operations built on the members context's card
// types: selling a card at the desk, group cards (团体卡), linked cards (关联卡),
// renewal (续期) and withdrawal of stored value (提现).
//
// Fees are ledger postings (CNY, derived accounts):
//
//	member_fee_due      owner = the payer (a card, or a card group): minus what it owes
//	                    (the card convention: a positive balance is the holder's claim)
//	member_fee_revenue  owner = the mall: fees earned (charges less waivers)
//	member_card_sales   owner = the mall: prices of cards sold at the desk
//	member_withdrawal_fees owner = the mall: fees kept on withdrawals
//	outside             cash at the desk (in: negative), as recharges record it
//
// A charge posts due −amount / revenue +amount under the key fee:<card>:<kind>:<period>
// (a late penalty grows by one posting a day: fee:<card>:late_penalty:<period>:<day>); a
// payment posts due +amount against the card's stored value (card −amount) or cash
// (outside −amount); an approved waiver reverses what it waives (due +, revenue −),
// once. mfee_postings mirrors every posting by key, and Verify checks the ledger against
// it (`atrium ledger verify`).
//
// The payer of a card's fees: its card group's (团体卡: the group's account, paid by its
// payer card or in cash by the company), else its primary card's (a supplementary card),
// else the card itself.
//
// Linked cards (关联卡): family cards linked to a head card; the head's holder (and desk
// staff) see the points and stored value of every linked card beside the head's, with
// their sum — a shared view of the family's pool, no value moves between the cards.
//
// Authorization: every operation names the desk's mall; ADMIN, MEMBER_OPS,
// SERVICE_DESK and FINANCE of the mall (or above) act on cards of the mall's group (a
// card of another group is NOT_FOUND); approving or rejecting a waiver takes ADMIN or
// FINANCE and a second person (not who asked); the fee policy is ADMIN/FINANCE of the
// group. A member reads its own fees (myMemberFees).
//
// Cash taken or paid out at the desk (fee payments, card sales, withdrawals) is recorded
// in the cashier's open shift (Deps.Till, the shift handover) in the same transaction;
// the shift's id is stored with the row (an explicit ShiftID in the input wins).
package memberfees

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberfees/feerules"
	"github.com/atrium-mall/atrium/service/memberfees/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/shifts"
	"github.com/atrium-mall/atrium/storage"
)

// Ledger account kinds of the context.
const (
	KindFeeDue         = "member_fee_due"
	KindFeeRevenue     = "member_fee_revenue"
	KindCardSales      = "member_card_sales"
	KindWithdrawalFees = "member_withdrawal_fees"
)

// Posting kinds.
const (
	PostingFee        ledger.PostingKind = "member_fee"
	PostingFeePayment ledger.PostingKind = "member_fee_payment"
	PostingFeeWaiver  ledger.PostingKind = "member_fee_waiver"
	PostingCardSale   ledger.PostingKind = "member_card_sale"
	PostingWithdrawal ledger.PostingKind = "member_withdrawal"
)

// Errors.
var (
	ErrNotForSale       = errs.New(errs.KindUser, "CARD_PRODUCT_NOT_FOR_SALE", "the card type has no price: it is not sold at the desk")
	ErrNotRenewable     = errs.New(errs.KindUser, "CARD_NOT_RENEWABLE", "the card's type does not renew")
	ErrFeeSettled       = errs.New(errs.KindUser, "MEMBER_FEE_SETTLED", "the fee is paid or waived")
	ErrFeeAmount        = errs.New(errs.KindUser, "MEMBER_FEE_AMOUNT", "the amount is above what is outstanding")
	ErrSecondPerson     = errs.New(errs.KindUser, "MEMBER_FEE_WAIVER_SECOND_PERSON", "a second person approves a waiver")
	ErrWaiverDecided    = errs.New(errs.KindUser, "MEMBER_FEE_WAIVER_DECIDED", "the waiver was already decided")
	ErrWaiverOpen       = errs.New(errs.KindUser, "MEMBER_FEE_WAIVER_OPEN", "the fee has a waiver waiting for approval")
	ErrWithdrawal       = errs.New(errs.KindUser, "CARD_WITHDRAWAL_REFUSED", "the withdrawal is refused")
	ErrCardGroup        = errs.New(errs.KindUser, "MEMBER_CARD_GROUP", "the card cannot join the card group")
	ErrLink             = errs.New(errs.KindUser, "MEMBER_CARD_LINK", "the cards cannot be linked")
	ErrPayerCardNeeded  = errs.New(errs.KindUser, "MEMBER_FEE_PAYER_CARD", "stored value pays only from the payer's own card")
	ErrCardNotInProgram = errs.New(errs.KindUser, "MEMBER_CARD_UNUSABLE", "the card cannot be used")
)

// Roles.
var (
	deskRoles    = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk, auth.RoleFinance}
	approveRoles = []auth.Role{auth.RoleAdmin, auth.RoleFinance}
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service
	Members *members.Service
	Ledger  *ledger.Service
	// Till records the desk's cash operations (fee payments, card sales, withdrawals)
	// in the cashier's open shift (shifts.Service.RecordTx); nil in tests that need none.
	Till Till `deps:"optional"`
	Now  func() time.Time
}

// Till is the shift handover's recording of a cash operation in the cashier's open
// shift at the place, in the operation's transaction; it returns that shift's id
// (uuid.Nil when the cashier has none open there).
type Till interface {
	RecordTx(ctx context.Context, tx pgx.Tx, op shifts.Op) (uuid.UUID, error)
}

// Service is the member fees context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	members *members.Service
	ledger  *ledger.Service
	till    Till
	now     func() time.Time
	zones   calendar.Zones
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("memberfees", d)
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		sh = time.UTC
	}
	return &Service{db: d.DB, org: d.Org, members: d.Members, ledger: d.Ledger, till: d.Till, now: d.Now, zones: calendar.NewZones(sh)}
}

// Fee is a fee due.
type Fee struct {
	ID, GroupID, MallID, CardID, MemberID, PayerID uuid.UUID
	Kind, Period                                   string
	Amount, Paid, Waived                           decimal.Decimal
	DueOn                                          time.Time
	Status                                         string // open, paid, waived
	PenaltyOf                                      *uuid.UUID
	CreatedAt                                      time.Time
}

// Outstanding is what is left to pay.
func (f Fee) Outstanding() decimal.Decimal { return f.Amount.Sub(f.Paid).Sub(f.Waived) }

func toFee(r queries.MfeeFee) Fee {
	return Fee{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, CardID: r.CardID, MemberID: r.MemberID, PayerID: r.PayerID,
		Kind: r.Kind, Period: r.Period, Amount: r.Amount, Paid: r.Paid, Waived: r.Waived, DueOn: r.DueOn, Status: r.Status,
		PenaltyOf: r.PenaltyOf, CreatedAt: r.CreatedAt}
}

// desk authorizes the caller at a mall with roles and returns the place and the staff id.
func (s *Service) desk(ctx context.Context, q storage.Querier, mall uuid.UUID, roles []auth.Role) (org.Place, uuid.UUID, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return org.Place{}, uuid.Nil, err
	}
	p, err := s.org.MallPlace(ctx, q, mall)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return p, uuid.Nil, errs.ErrNotFound.Msgf("mall not found")
	}
	if err != nil {
		return p, uuid.Nil, err
	}
	if err := access.At(ctx, p.Ref(), roles...); err != nil {
		return p, uuid.Nil, err
	}
	return p, v.ID, nil
}

// cardAt reads (and locks, forUpdate) a card of the place's group; another group's
// card is NOT_FOUND.
func cardAt(ctx context.Context, tx pgx.Tx, p org.Place, id uuid.UUID, forUpdate bool) (members.Card, error) {
	var c members.Card
	var err error
	if forUpdate {
		c, err = members.CardForUpdate(ctx, tx, id)
	} else {
		c, err = members.CardOf(ctx, tx, id)
	}
	if errors.Is(err, members.ErrCardNotFound) || (err == nil && c.GroupID != p.GroupID) {
		return c, errs.ErrNotFound.Msgf("card not found")
	}
	return c, err
}

// zoneOf is the place's time zone.
func (s *Service) zoneOf(p org.Place) *time.Location { return s.zones.Of(p.TimeZone) }

// today is the local date at the place.
func (s *Service) today(p org.Place) time.Time { return feerules.Date(s.now().In(s.zoneOf(p))) }

// policyOf reads a group's fee policy (the default when it set none).
func policyOf(ctx context.Context, q storage.Querier, group uuid.UUID) (feerules.Policy, error) {
	r, err := queries.New(q).PolicyOf(ctx, group)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return feerules.DefaultPolicy(), nil
	}
	if err != nil {
		return feerules.Policy{}, fmt.Errorf("fee policy: %w", err)
	}
	return feerules.Policy{PaymentDays: int(r.PaymentDays), GraceDays: int(r.GraceDays),
		Mode: feerules.PenaltyMode(r.PenaltyMode), DailyRate: r.PenaltyDailyRate, Fixed: r.PenaltyFixed, Cap: r.PenaltyCap,
		RemindDays: int(r.RemindDays)}, nil
}

// Policy returns a group's fee policy to its ADMIN/FINANCE staff.
func (s *Service) Policy(ctx context.Context, group uuid.UUID) (feerules.Policy, error) {
	if err := access.At(ctx, auth.OrgRef{GroupID: group}, approveRoles...); err != nil {
		return feerules.Policy{}, err
	}
	return policyOf(ctx, s.db.Pool, group)
}

// SetPolicy sets a group's fee policy; ADMIN or FINANCE of the group.
func (s *Service) SetPolicy(ctx context.Context, group uuid.UUID, p feerules.Policy) (feerules.Policy, error) {
	if err := access.At(ctx, auth.OrgRef{GroupID: group}, approveRoles...); err != nil {
		return p, err
	}
	switch {
	case p.PaymentDays < 0 || p.PaymentDays > 365:
		return p, errs.Invalid("input.paymentDays", "payment days must be 0 to 365")
	case p.GraceDays < 0 || p.GraceDays > 365:
		return p, errs.Invalid("input.graceDays", "grace days must be 0 to 365")
	case p.RemindDays < 0 || p.RemindDays > 90:
		return p, errs.Invalid("input.remindDays", "reminder days must be 0 to 90")
	case p.Mode != feerules.PenaltyNone && p.Mode != feerules.PenaltyPerDay && p.Mode != feerules.PenaltyFixed:
		return p, errs.Invalid("input.penaltyMode", "penalty mode must be none, per_day or fixed")
	case p.DailyRate.IsNegative() || p.DailyRate.GreaterThan(decimal.NewFromInt(1)) || p.DailyRate.Exponent() < -6:
		return p, errs.Invalid("input.penaltyDailyRate", "daily rate must be in [0, 1] with at most 6 decimals")
	case p.Fixed.IsNegative() || !p.Fixed.Equal(p.Fixed.Round(2)):
		return p, errs.Invalid("input.penaltyFixed", "fixed penalty must be a non-negative amount")
	case p.Cap != nil && (p.Cap.IsNegative() || !p.Cap.Equal(p.Cap.Round(2))):
		return p, errs.Invalid("input.penaltyCap", "penalty cap must be a non-negative amount")
	}
	err := queries.New(s.db.Pool).UpsertPolicy(ctx, queries.UpsertPolicyParams{GroupID: group,
		PaymentDays: int32(p.PaymentDays), GraceDays: int32(p.GraceDays), PenaltyMode: string(p.Mode),
		PenaltyDailyRate: p.DailyRate, PenaltyFixed: p.Fixed, PenaltyCap: p.Cap, RemindDays: int32(p.RemindDays),
		UpdatedAt: s.now()})
	return p, err
}

// payerOf is who pays a card's fees: its card group, else its primary card, else itself.
func payerOf(ctx context.Context, q storage.Querier, c members.Card) (uuid.UUID, error) {
	g, err := queries.New(q).CardGroupOfCard(ctx, c.GroupID, c.ID)
	switch {
	case err == nil:
		return g, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return uuid.Nil, err
	case c.PrimaryCardID != nil:
		return *c.PrimaryCardID, nil
	}
	return c.ID, nil
}

func dueAccount(payer uuid.UUID) ledger.Account {
	return ledger.Account{Kind: KindFeeDue, Owner: payer, Asset: ledger.CNY}
}

func mallAccount(kind string, mall uuid.UUID) ledger.Account {
	return ledger.Account{Kind: kind, Owner: mall, Asset: ledger.CNY}
}

// FeeKey is a fee's charge posting key: fee:<card>:<kind>:<period>.
func FeeKey(card uuid.UUID, kind, period string) string {
	return "fee:" + card.String() + ":" + kind + ":" + period
}

// chargeTx charges a fee of a card once (nothing when the card, kind and period was
// charged before): the fee row, its posting and its mirror. It returns the fee and
// whether it was charged now.
func (s *Service) chargeTx(ctx context.Context, tx pgx.Tx, c members.Card, mall uuid.UUID, kind, period string,
	amount decimal.Decimal, dueOn time.Time, staff *uuid.UUID) (Fee, bool, error) {
	if !amount.IsPositive() {
		return Fee{}, false, nil
	}
	payer, err := payerOf(ctx, tx, c)
	if err != nil {
		return Fee{}, false, err
	}
	q := queries.New(tx)
	id, err := q.InsertFee(ctx, queries.InsertFeeParams{ID: service.NewID(), GroupID: c.GroupID, MallID: mall, CardID: c.ID,
		MemberID: c.MemberID, PayerID: payer, Kind: kind, Period: period, Amount: amount, DueOn: dueOn, CreatedAt: s.now()})
	if errors.Is(err, pgx.ErrNoRows) {
		return Fee{}, false, nil
	}
	if err != nil {
		return Fee{}, false, fmt.Errorf("insert fee: %w", err)
	}
	key := FeeKey(c.ID, kind, period)
	if err := s.post(ctx, tx, c.GroupID, id, payer, "charge", nil, amount, key, staff, nil, PostingFee,
		[]ledger.Leg{{Account: dueAccount(payer), Amount: amount.Neg()},
			{Account: mallAccount(KindFeeRevenue, mall), Amount: amount}}); err != nil {
		return Fee{}, false, err
	}
	r, err := q.FeeByID(ctx, id)
	return toFee(r), true, err
}

// post writes a ledger posting and its mirror row.
func (s *Service) post(ctx context.Context, tx pgx.Tx, group, fee, payer uuid.UUID, kind string, method *string,
	amount decimal.Decimal, key string, staff, shift *uuid.UUID, pk ledger.PostingKind, legs []ledger.Leg) error {
	if _, err := s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: group, Kind: pk, Key: key, Legs: legs}); err != nil {
		return err
	}
	return queries.New(tx).InsertPosting(ctx, queries.InsertPostingParams{ID: service.NewID(), GroupID: group, FeeID: fee,
		PayerID: payer, Kind: kind, Method: method, Amount: amount, Key: key, StaffID: staff, ShiftID: shift,
		CreatedAt: s.now()})
}

// settle stores a fee's new amounts and status.
func settle(ctx context.Context, tx pgx.Tx, f Fee) (Fee, error) {
	f.Status = "open"
	if f.Outstanding().IsZero() && f.Amount.IsPositive() {
		f.Status = "paid"
		if f.Paid.IsZero() {
			f.Status = "waived"
		}
	}
	return f, queries.New(tx).SetFeeAmounts(ctx, queries.SetFeeAmountsParams{ID: f.ID, Amount: f.Amount, Paid: f.Paid,
		Waived: f.Waived, Status: f.Status})
}

// CardFees lists a card's fees to desk staff of a mall of its group.
func (s *Service) CardFees(ctx context.Context, mall, card uuid.UUID) ([]Fee, error) {
	var out []Fee
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, _, err := s.desk(ctx, tx, mall, deskRoles)
		if err != nil {
			return err
		}
		if _, err := cardAt(ctx, tx, p, card, false); err != nil {
			return err
		}
		rows, err := queries.New(tx).FeesOfCard(ctx, p.GroupID, card)
		for _, r := range rows {
			out = append(out, toFee(r))
		}
		return err
	})
	return out, err
}

// MyFees lists the shopper's own fees.
func (s *Service) MyFees(ctx context.Context) ([]Fee, error) {
	me, err := access.Shopper(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).FeesOfMember(ctx, me)
	out := make([]Fee, len(rows))
	for i, r := range rows {
		out[i] = toFee(r)
	}
	return out, err
}

// tillTx records a desk cash operation (amount: taken in positive, paid out negative)
// in the cashier's open shift at p and returns the shift to store with the row: the
// input's own shift when it names one, else the open shift, else nil.
func (s *Service) tillTx(ctx context.Context, tx pgx.Tx, p org.Place, cashier uuid.UUID, own *uuid.UUID,
	kind, source string, amount decimal.Decimal) (*uuid.UUID, error) {
	if own != nil || s.till == nil {
		return own, nil
	}
	id, err := s.till.RecordTx(ctx, tx, shifts.Op{Place: p, Cashier: cashier, Kind: kind, Tender: shifts.TenderCash,
		Amount: amount, SourceID: source, At: s.now()})
	if err != nil || id == uuid.Nil {
		return nil, err
	}
	return &id, nil
}
