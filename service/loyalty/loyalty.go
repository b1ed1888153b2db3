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
//   - Coupons (see applyCoupons) apply after the tier discount and reduce the payable
//     amount, so points are earned on the reduced amount. A full refund restores them
//     (unless expired); a partial refund keeps them used.
//   - Tiers go up inside the purchase that crosses a threshold; they go down only in
//     the periodic DowngradeTiers job (see there). A refund never downgrades at once.
//     Loyalty decides the tier; members keeps it (members.TierForUpdate, SetTier).
//   - A card pays or receives value only when members.Card.Usable says so (an expired
//     card is refused like a frozen one); places come from org (MallPlace,
//     MerchantPlace) and every value move runs through once.Do, keyed per caller and
//     operation ("loyalty.purchase", "loyalty.refund", …).
package loyalty

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of the loyalty context.
var (
	ErrReceiptTaken     = errs.New(errs.KindUser, "RECEIPT_TAKEN", "this merchant already recorded that receipt number")
	ErrOverpay          = errs.New(errs.KindUser, "PAYMENT_EXCEEDS_AMOUNT", "stored value and points pay more than the amount due")
	ErrSpendLimit       = errs.New(errs.KindUser, "SPEND_LIMIT_EXCEEDED", "the supplementary card's daily spend limit is reached")
	ErrPurchaseNotFound = errs.New(errs.KindUser, "PURCHASE_NOT_FOUND", "this merchant has no purchase with that receipt number")
	ErrRefundTooLarge   = errs.New(errs.KindUser, "REFUND_EXCEEDS_PURCHASE", "the refund is more than what is left to refund")
	ErrTransferLimit    = errs.New(errs.KindUser, "TRANSFER_LIMIT_EXCEEDED", "the transfer exceeds the points transfer limits")
	ErrTransferSelf     = errs.New(errs.KindUser, "TRANSFER_SAME_MEMBER", "points can only be transferred to another member")
	ErrSupplementary    = errs.New(errs.KindUser, "SUPPLEMENTARY_CARD", "a supplementary card has no balance of its own")
	ErrMerchantInactive = errs.New(errs.KindUser, "MERCHANT_INACTIVE", "the merchant is not active")
	// Re-exported from the ledger and members so callers need one package.
	ErrInsufficient       = ledger.ErrInsufficient
	ErrInsufficientPoint  = ledger.ErrInsufficientPoint
	ErrCardNotFound       = members.ErrCardNotFound
	ErrCardLost           = members.ErrCardLost
	ErrCardFrozen         = members.ErrCardFrozen
	ErrCardCancelled      = members.ErrCardCancelled
	ErrCardReplaced       = members.ErrCardReplaced
	ErrCardExpired        = members.ErrCardExpired
	ErrHoldsNoStoredValue = members.ErrHoldsNoStoredValue
	ErrStoredValueCap     = members.ErrStoredValueCap
)

// Deps are what the loyalty context is built from; all are required.
type Deps struct {
	DB     *storage.DB
	Ledger *ledger.Service
	// Redis keeps the leaderboards (a zero client: none are kept, reads rebuild nothing).
	Redis   storage.Redis
	Org     *org.Service     // malls and merchants (places, time zones)
	Coupons *coupons.Service // coupons applied to purchases and restored by refunds
	// Zones gives the business time zone of rules that belong to the whole group rather
	// than one mall (Zones.Default, ATRIUM_TIMEZONE): the day of transfer limits,
	// birthdays, the current month. A mall's own rules use the mall's zone.
	Zones calendar.Zones
	Now   func() time.Time
}

// Service is the loyalty context.
type Service struct {
	db      *storage.DB
	ledger  *ledger.Service
	redis   storage.Redis
	org     *org.Service
	coupons *coupons.Service
	zones   calendar.Zones
	now     func() time.Time
	// rebuildPause, when set (tests), runs in a leaderboard rebuild between reading
	// PostgreSQL and writing Redis: the window where earnings used to get lost.
	rebuildPause func()
	// commitPause, when set (tests), runs after a commit, before its earnings reach Redis.
	commitPause func()
	// tierBatch, when set (tests), replaces TierReviewBatch; afterTierBatch runs after
	// each committed batch of a tier review (tests stop a review half-way).
	tierBatch      int
	afterTierBatch func()
	// boardFacts: what leaderboard authorization read from PostgreSQL (leaderboard.go).
	boardFacts boardFacts
	// hooks are called in purchases', refunds' and desk recharges' transactions (AddHook).
	hooks []Hook
}

// New returns the loyalty service built from d (it panics when a dependency is missing).
func New(d Deps) *Service {
	service.MustDeps("loyalty", d)
	return &Service{db: d.DB, ledger: d.Ledger, redis: d.Redis, org: d.Org, coupons: d.Coupons, zones: d.Zones,
		now: d.Now}
}

// zone is the business time zone of group-wide rules (Deps.Zones).
func (s *Service) zone() *time.Location { return s.zones.Of("") }

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

// businessDay is t's business date in the group-wide time zone.
func (s *Service) businessDay(t time.Time) time.Time { return calendar.Day(t, s.zone()) }

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
