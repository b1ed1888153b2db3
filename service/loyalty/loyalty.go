// Package loyalty is the value side of membership: tiers, earning rules, purchases and
// refunds, recharges with bonus rules, points transfers, referral rewards, the monthly
// points leaderboard (Redis, rebuilt from PostgreSQL) and reminders. Every movement of
// value goes through the ledger context in the same transaction as the business row,
// under an idempotency key.
//
// Rules worth knowing:
//   - A purchase pays from the card presented; a supplementary card pays from its
//     primary card (within its daily spend limit) and the primary card's holder earns
//     the points and the tier progress.
//   - Points are earned on what the member paid in money (stored value and cash), not
//     on the points offset: floor(paid × points per yuan × tier multiplier), capped.
//   - A refund (full or partial) returns each part in proportion to the refunded share
//     of the payable amount, and claws back the same share of the earned points by the
//     ledger's claw-back rule (ledger.ClawbackTx): pending points of the purchase first,
//     then available points (the purchase's lot, then earliest expiry), then a points
//     debt that later earnings pay off.
//   - Coupons (see WithCoupons) apply after the tier discount and reduce the payable
//     amount, so points are earned on the reduced amount. A full refund restores them
//     (unless expired); a partial refund keeps them used.
//   - Tiers go up inside the purchase that crosses a threshold; they go down only in
//     the periodic DowngradeTiers job (see there). A refund never downgrades at once.
package loyalty

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of the loyalty context.
var (
	ErrCardNotFound     = errs.New(errs.KindUser, "CARD_NOT_FOUND", "no such card")
	ErrCardLost         = errs.New(errs.KindUser, "CARD_LOST", "the card is reported lost")
	ErrCardFrozen       = errs.New(errs.KindUser, "CARD_FROZEN", "the card is frozen")
	ErrCardCancelled    = errs.New(errs.KindUser, "CARD_CANCELLED", "the card is cancelled")
	ErrCardReplaced     = errs.New(errs.KindUser, "CARD_REPLACED", "the card was replaced by a reissued card")
	ErrReceiptTaken     = errs.New(errs.KindUser, "RECEIPT_TAKEN", "this merchant already recorded that receipt number")
	ErrOverpay          = errs.New(errs.KindUser, "PAYMENT_EXCEEDS_AMOUNT", "stored value and points pay more than the amount due")
	ErrSpendLimit       = errs.New(errs.KindUser, "SPEND_LIMIT_EXCEEDED", "the supplementary card's daily spend limit is reached")
	ErrPurchaseNotFound = errs.New(errs.KindUser, "PURCHASE_NOT_FOUND", "this merchant has no purchase with that receipt number")
	ErrRefundTooLarge   = errs.New(errs.KindUser, "REFUND_EXCEEDS_PURCHASE", "the refund is more than what is left to refund")
	ErrTransferLimit    = errs.New(errs.KindUser, "TRANSFER_LIMIT_EXCEEDED", "the transfer exceeds the points transfer limits")
	ErrTransferSelf     = errs.New(errs.KindUser, "TRANSFER_SAME_MEMBER", "points can only be transferred to another member")
	ErrSupplementary    = errs.New(errs.KindUser, "SUPPLEMENTARY_CARD", "a supplementary card has no balance of its own")
	ErrMerchantInactive = errs.New(errs.KindUser, "MERCHANT_INACTIVE", "the merchant is not active")
	// Re-exported from the ledger so callers need one package.
	ErrInsufficient      = ledger.ErrInsufficient
	ErrInsufficientPoint = ledger.ErrInsufficientPoint
)

// Service is the loyalty context.
type Service struct {
	db      *storage.DB
	ledger  *ledger.Service
	redis   storage.Redis
	coupons *coupons.Service // nil: purchases take no coupons
	now     func() time.Time
	zone    *time.Location // business time zone of group-wide rules (transfer days, birthdays, months)
	// rebuildPause, when set (tests), runs in a leaderboard rebuild between reading
	// PostgreSQL and writing Redis: the window where earnings used to get lost.
	rebuildPause func()
	// commitPause, when set (tests), runs after a commit, before its earnings reach Redis.
	commitPause func()
}

// Option customises a Service.
type Option func(*Service)

// WithClock injects the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithTimeZone sets the business time zone of rules that belong to the whole group
// rather than one mall: the day of transfer limits, birthdays, the current month
// (default Asia/Shanghai; a mall's own rules use the mall's time zone).
func WithTimeZone(loc *time.Location) Option {
	return func(s *Service) {
		if loc != nil {
			s.zone = loc
		}
	}
}

// New returns the loyalty service; it posts through l and keeps leaderboards in r.
func New(db *storage.DB, l *ledger.Service, r storage.Redis, opts ...Option) *Service {
	s := &Service{db: db, ledger: l, redis: r, now: time.Now, zone: shanghai}
	for _, o := range opts {
		o(s)
	}
	return s
}

// money checks an amount of yuan: not negative, at most two decimals; positive when
// required.
func money(field string, v decimal.Decimal, positive bool) error {
	switch {
	case v.IsNegative() || (positive && v.IsZero()):
		return errs.Invalid(field, "amount must be positive")
	case !v.Equal(v.Round(2)):
		return errs.Invalid(field, "amount has more than two decimals")
	case v.GreaterThan(decimal.New(1, 12)):
		return errs.Invalid(field, "amount is too large")
	}
	return nil
}

// points checks a number of points: a whole number, not negative.
func points(field string, v decimal.Decimal, positive bool) error {
	switch {
	case v.IsNegative() || (positive && v.IsZero()):
		return errs.Invalid(field, "points must be positive")
	case !v.Equal(v.Truncate(0)):
		return errs.Invalid(field, "points must be a whole number")
	case v.GreaterThan(decimal.New(1, 12)):
		return errs.Invalid(field, "too many points")
	}
	return nil
}

// idemErr maps a reused idempotency key to the business error.
func idemErr(err error) error {
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return errs.ErrIdempotencyKey
	}
	return err
}

func idemKey(key string) error {
	if key == "" || len(key) > 200 {
		return errs.Invalid("input.idempotencyKey", "idempotency key must be 1 to 200 characters")
	}
	return nil
}

// shanghai is the default business time zone of group-wide rules (WithTimeZone).
var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// businessDay is t's date in the group-wide business time zone.
func (s *Service) businessDay(t time.Time) string { return t.In(s.zone).Format("2006-01-02") }

// mapSpend turns ledger shortfalls into this context's errors.
func mapSpend(err error) error {
	switch {
	case errors.Is(err, ledger.ErrInsufficientPoint):
		return ErrInsufficientPoint.At("input", "points")
	case errors.Is(err, ledger.ErrInsufficient):
		return ErrInsufficient.At("input", "storedValue")
	}
	return err
}
