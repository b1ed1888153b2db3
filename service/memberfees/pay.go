package memberfees

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberfees/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Payment methods.
const (
	MethodStoredValue = "stored_value" // the payer card's stored value
	MethodCash        = "cash"         // cash at the desk
)

// PayInput pays a fee at a desk.
type PayInput struct {
	MallID uuid.UUID
	FeeID  uuid.UUID
	Method string           // MethodStoredValue or MethodCash
	Amount *decimal.Decimal // nil: all that is outstanding
	// ShiftID is the cashier shift a cash payment belongs to (optional).
	ShiftID        *uuid.UUID
	IdempotencyKey string
}

// feeAt reads and locks a fee of the place's group (another group's: NOT_FOUND).
func feeAt(ctx context.Context, tx pgx.Tx, groupID, id uuid.UUID) (Fee, error) {
	r, err := queries.New(tx).FeeForUpdate(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) || (err == nil && r.GroupID != groupID) {
		return Fee{}, errs.ErrNotFound.Msgf("fee not found")
	}
	return toFee(r), err
}

// Pay pays a fee (all or part of what is outstanding) from the payer card's stored
// value or in cash; once per idempotency key (memberfees.pay).
func (s *Service) Pay(ctx context.Context, in PayInput) (Fee, error) {
	var staff uuid.UUID
	var groupID uuid.UUID
	var place org.Place
	out, _, err := once.Do(ctx, s.db, once.Op[Fee]{Name: "memberfees.pay", Key: in.IdempotencyKey, Args: in,
		Authorize: func(ctx context.Context, tx pgx.Tx) error {
			p, id, err := s.desk(ctx, tx, in.MallID, deskRoles)
			staff, groupID, place = id, p.GroupID, p
			return err
		},
		Run: func(ctx context.Context, tx pgx.Tx) (Fee, error) {
			if in.Method != MethodStoredValue && in.Method != MethodCash {
				return Fee{}, errs.Invalid("input.method", "method must be stored_value or cash")
			}
			f, err := feeAt(ctx, tx, groupID, in.FeeID)
			if err != nil {
				return f, err
			}
			if f.Status != "open" {
				return f, ErrFeeSettled
			}
			amount := f.Outstanding()
			if in.Amount != nil {
				if !in.Amount.IsPositive() || !in.Amount.Equal(in.Amount.Round(2)) {
					return f, errs.Invalid("input.amount", "amount must be positive with at most 2 decimals")
				}
				if in.Amount.GreaterThan(amount) {
					return f, ErrFeeAmount.At("input", "amount")
				}
				amount = *in.Amount
			}
			from := ledger.System(ledger.KindOutside, ledger.CNY)
			if in.Method == MethodStoredValue {
				card, err := members.CardOf(ctx, tx, f.PayerID)
				if errors.Is(err, members.ErrCardNotFound) {
					return f, ErrPayerCardNeeded
				}
				if err != nil {
					return f, err
				}
				if err := card.Usable(s.now()); err != nil {
					return f, err
				}
				if _, err := s.ledger.LockCardsTx(ctx, tx, card.ID); err != nil {
					return f, err
				}
				from = ledger.Card(card.ID, ledger.CNY)
			}
			method := in.Method
			paymentID := service.NewID()
			key := "fee:" + f.CardID.String() + ":payment:" + paymentID.String()
			shift := in.ShiftID
			if in.Method == MethodCash {
				if shift, err = s.tillTx(ctx, tx, place, staff, in.ShiftID, "FEE", paymentID.String(), amount); err != nil {
					return f, err
				}
			}
			if err := s.post(ctx, tx, f.GroupID, f.ID, f.PayerID, "payment", &method, amount, key, &staff, shift,
				PostingFeePayment, []ledger.Leg{{Account: from, Amount: amount.Neg()},
					{Account: dueAccount(f.PayerID), Amount: amount}}); err != nil {
				return f, err
			}
			f.Paid = f.Paid.Add(amount)
			return settle(ctx, tx, f)
		}})
	return out, err
}

// Waiver is a request to waive (part of) a fee.
type Waiver struct {
	ID, GroupID, FeeID uuid.UUID
	Amount             decimal.Decimal
	Reason, Status     string // requested, approved, rejected
	RequestedBy        uuid.UUID
	DecidedBy          *uuid.UUID
}

func toWaiver(r queries.MfeeWaiver) Waiver {
	return Waiver{ID: r.ID, GroupID: r.GroupID, FeeID: r.FeeID, Amount: r.Amount, Reason: r.Reason, Status: r.Status,
		RequestedBy: r.RequestedBy, DecidedBy: r.DecidedBy}
}

// RequestWaiver asks to waive amount (nil: all outstanding) of an open fee; desk staff.
// Nothing moves until a second person approves (ApproveWaiver).
func (s *Service) RequestWaiver(ctx context.Context, mall, fee uuid.UUID, amount *decimal.Decimal, reason string) (Waiver, error) {
	var w Waiver
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 {
		return w, errs.Invalid("input.reason", "reason must be 1 to 500 characters")
	}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, staff, err := s.desk(ctx, tx, mall, deskRoles)
		if err != nil {
			return err
		}
		f, err := feeAt(ctx, tx, p.GroupID, fee)
		if err != nil {
			return err
		}
		if f.Status != "open" {
			return ErrFeeSettled
		}
		a := f.Outstanding()
		if amount != nil {
			if !amount.IsPositive() || !amount.Equal(amount.Round(2)) || amount.GreaterThan(a) {
				return ErrFeeAmount.At("input", "amount")
			}
			a = *amount
		}
		w = Waiver{ID: service.NewID(), GroupID: f.GroupID, FeeID: f.ID, Amount: a, Reason: reason, Status: "requested",
			RequestedBy: staff}
		err = queries.New(tx).InsertWaiver(ctx, queries.InsertWaiverParams{ID: w.ID, GroupID: w.GroupID, FeeID: w.FeeID,
			Amount: a, Reason: reason, RequestedBy: staff, CreatedAt: s.now()})
		if storage.IsConstraint(err, "mfee_waivers_open_idx") {
			return ErrWaiverOpen
		}
		return err
	})
	return w, err
}

// DecideWaiver approves (posting the reversal, once) or rejects a waiver; ADMIN or
// FINANCE of the mall, never who asked for it. A waiver is decided once: a second
// decision is MEMBER_FEE_WAIVER_DECIDED.
func (s *Service) DecideWaiver(ctx context.Context, mall, waiver uuid.UUID, approve bool) (Waiver, error) {
	var w Waiver
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		p, staff, err := s.desk(ctx, tx, mall, approveRoles)
		if err != nil {
			return err
		}
		q := queries.New(tx)
		r, err := q.WaiverForUpdate(ctx, waiver)
		if errors.Is(storage.MapError(err), storage.ErrNotFound) || (err == nil && r.GroupID != p.GroupID) {
			return errs.ErrNotFound.Msgf("waiver not found")
		}
		if err != nil {
			return err
		}
		w = toWaiver(r)
		switch {
		case w.Status != "requested":
			return ErrWaiverDecided
		case w.RequestedBy == staff:
			return ErrSecondPerson
		}
		now := s.now()
		w.Status, w.DecidedBy = "rejected", &staff
		if approve {
			w.Status = "approved"
			f, err := feeAt(ctx, tx, p.GroupID, w.FeeID)
			if err != nil {
				return err
			}
			if f.Status != "open" || w.Amount.GreaterThan(f.Outstanding()) {
				return ErrFeeSettled
			}
			key := "fee:" + f.CardID.String() + ":waiver:" + w.ID.String()
			if err := s.post(ctx, tx, f.GroupID, f.ID, f.PayerID, "waiver", nil, w.Amount, key, &staff, nil,
				PostingFeeWaiver, []ledger.Leg{{Account: dueAccount(f.PayerID), Amount: w.Amount},
					{Account: mallAccount(KindFeeRevenue, f.MallID), Amount: w.Amount.Neg()}}); err != nil {
				return err
			}
			f.Waived = f.Waived.Add(w.Amount)
			if _, err := settle(ctx, tx, f); err != nil {
				return err
			}
		}
		return q.DecideWaiver(ctx, queries.DecideWaiverParams{ID: w.ID, Status: w.Status, DecidedBy: &staff, DecidedAt: &now})
	})
	return w, err
}
