package coupons

import "github.com/atrium-mall/atrium/service/errs"

// Business outcomes of the coupons context.
var (
	ErrSoldOut         = errs.New(errs.KindUser, "SOLD_OUT", "coupon is sold out")
	ErrLimitReached    = errs.New(errs.KindUser, "COUPON_LIMIT_REACHED", "you already have as many of this coupon as allowed")
	ErrNotActive       = errs.New(errs.KindUser, "COUPON_NOT_ACTIVE", "this coupon is not available now")
	ErrBudgetExhausted = errs.New(errs.KindUser, "COUPON_BUDGET_EXHAUSTED", "the coupon's budget is used up")
	ErrBadTransition   = errs.New(errs.KindUser, "COUPON_INVALID_TRANSITION", "the template's status does not allow this")
	ErrBusy            = errs.New(errs.KindUser, "COUPON_BUSY", "too many claims at once; try again")
	ErrCouponNotUsable = errs.New(errs.KindUser, "COUPON_NOT_USABLE", "the coupon cannot be used")
	ErrMinSpend        = errs.New(errs.KindUser, "COUPON_MIN_SPEND", "the purchase is below the coupon's minimum spend")
	ErrWrongMerchant   = errs.New(errs.KindUser, "COUPON_WRONG_MERCHANT", "the coupon is not valid at this merchant")
	ErrOutsideWindow   = errs.New(errs.KindUser, "COUPON_OUTSIDE_WINDOW", "the coupon cannot be used at this time")
	ErrNotStackable    = errs.New(errs.KindUser, "COUPON_NOT_STACKABLE", "this coupon cannot be combined with others")
	ErrCouponExpired   = errs.New(errs.KindUser, "COUPON_EXPIRED", "the coupon has expired")
	// ErrRunTransition: a segment run's status does not allow the change (a job bug).
	ErrRunTransition = errs.New(errs.KindInternal, "SEGMENT_RUN_TRANSITION", "the segment run's status does not allow this")
)
