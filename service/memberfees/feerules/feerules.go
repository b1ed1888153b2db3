// Package feerules holds the pure rules of member fees and card products: which
// annual-fee periods of a card are due, the late-payment penalty of an unpaid fee, the
// validity a renewal gives, and the fee and limits of a stored-value withdrawal.
// Days are calendar dates (time.Time at midnight UTC standing for a local date).
package feerules

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"
)

// Fee kinds.
const (
	Joining             = "joining"
	Annual              = "annual"
	SupplementaryAnnual = "supplementary_annual"
	LatePenalty         = "late_penalty"
)

// Date is a calendar date of t's own location, as midnight UTC.
func Date(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// AnnualPeriods lists the starts of the fee years of a card due by today (each a
// period: the fee year k starts on the k-th anniversary of issued, k ≥ 0), among those
// starting before expires (nil: no expiry). All dates are local dates (Date).
func AnnualPeriods(issued time.Time, expires *time.Time, today time.Time) []time.Time {
	var out []time.Time
	for k := 0; k < 200; k++ {
		start := issued.AddDate(k, 0, 0)
		if start.After(today) || (expires != nil && !start.Before(*expires)) {
			break
		}
		out = append(out, start)
	}
	return out
}

// NextPeriod is the start of the first fee year starting after today (and before
// expires), for a reminder before it is due; ok false when there is none.
func NextPeriod(issued time.Time, expires *time.Time, today time.Time) (time.Time, bool) {
	for k := 0; k < 200; k++ {
		start := issued.AddDate(k, 0, 0)
		if expires != nil && !start.Before(*expires) {
			return time.Time{}, false
		}
		if start.After(today) {
			return start, true
		}
	}
	return time.Time{}, false
}

// PenaltyMode says how a late fee is penalised.
type PenaltyMode string

// Penalty modes.
const (
	PenaltyNone   PenaltyMode = "none"
	PenaltyPerDay PenaltyMode = "per_day" // DailyRate of the unpaid amount per day late
	PenaltyFixed  PenaltyMode = "fixed"   // Fixed once the grace is over
)

// Policy is a group's fee policy.
type Policy struct {
	PaymentDays int // a charged fee is due this many days after its period starts
	GraceDays   int // no penalty until this many days after the due date
	Mode        PenaltyMode
	DailyRate   decimal.Decimal  // per_day: fraction of the unpaid amount per day
	Fixed       decimal.Decimal  // fixed: the penalty
	Cap         *decimal.Decimal // the most a fee's penalty reaches (nil: no cap)
	RemindDays  int              // a fee year is announced this many days ahead
}

// DefaultPolicy applies to a group that set none: 30 days to pay, 15 days of grace,
// 0.05% a day capped at ¥100, announced 7 days ahead.
func DefaultPolicy() Policy {
	c := decimal.NewFromInt(100)
	return Policy{PaymentDays: 30, GraceDays: 15, Mode: PenaltyPerDay, DailyRate: decimal.RequireFromString("0.0005"),
		Cap: &c, RemindDays: 7}
}

// Penalty is the late-payment penalty of an unpaid amount due on dueOn as of today:
// nothing within the grace; then per_day: unpaid × rate × days late (counted from the
// due date), or fixed: the fixed amount; never above the cap; rounded to the fen.
func Penalty(p Policy, unpaid decimal.Decimal, dueOn, today time.Time) decimal.Decimal {
	late := int(today.Sub(dueOn).Hours() / 24)
	if !unpaid.IsPositive() || late <= p.GraceDays {
		return decimal.Zero
	}
	var out decimal.Decimal
	switch p.Mode {
	case PenaltyPerDay:
		out = unpaid.Mul(p.DailyRate).Mul(decimal.NewFromInt(int64(late))).Round(2)
	case PenaltyFixed:
		out = p.Fixed
	default:
		return decimal.Zero
	}
	if p.Cap != nil && out.GreaterThan(*p.Cap) {
		out = *p.Cap
	}
	return out
}

// Renewal is the new expiry of a card renewed at now for months: the months run from
// the current expiry when it is still ahead, from now when the card has no expiry or
// has expired.
func Renewal(expires *time.Time, now time.Time, months int) time.Time {
	from := now
	if expires != nil && expires.After(now) {
		from = *expires
	}
	return from.AddDate(0, months, 0)
}

// Withdrawal is a card type's withdrawal rule.
type Withdrawal struct {
	Allowed    bool
	FeeRate    decimal.Decimal  // kept by the mall, of the amount withdrawn
	Min, Max   *decimal.Decimal // per withdrawal
	DailyLimit *decimal.Decimal // per card and business day, amounts withdrawn
}

// Withdrawal errors.
var (
	ErrWithdrawalNotAllowed = errors.New("the card type allows no withdrawal")
	ErrWithdrawalBelowMin   = errors.New("below the minimum withdrawal")
	ErrWithdrawalAboveMax   = errors.New("above the maximum withdrawal")
	ErrWithdrawalDailyLimit = errors.New("over the daily withdrawal limit")
	ErrWithdrawalAmount     = errors.New("the amount must be positive with at most 2 decimals")
)

// WithdrawalFee checks a withdrawal of amount when withdrawnToday was withdrawn from the
// card today, and returns the fee (rounded to the fen, half up) and the net paid out.
func WithdrawalFee(w Withdrawal, amount, withdrawnToday decimal.Decimal) (fee, net decimal.Decimal, err error) {
	switch {
	case !w.Allowed:
		return fee, net, ErrWithdrawalNotAllowed
	case !amount.IsPositive() || !amount.Equal(amount.Round(2)):
		return fee, net, ErrWithdrawalAmount
	case w.Min != nil && amount.LessThan(*w.Min):
		return fee, net, ErrWithdrawalBelowMin
	case w.Max != nil && amount.GreaterThan(*w.Max):
		return fee, net, ErrWithdrawalAboveMax
	case w.DailyLimit != nil && withdrawnToday.Add(amount).GreaterThan(*w.DailyLimit):
		return fee, net, ErrWithdrawalDailyLimit
	}
	fee = amount.Mul(w.FeeRate).Round(2)
	net = amount.Sub(fee)
	if !net.IsPositive() {
		return fee, net, ErrWithdrawalAmount
	}
	return fee, net, nil
}
