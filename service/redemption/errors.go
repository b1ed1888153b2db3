package redemption

import "github.com/atrium-mall/atrium/service/errs"

// Business outcomes of redemption, each distinct so staff devices can say what is wrong.
var (
	ErrCodeInvalid     = errs.New(errs.KindUser, "CODE_INVALID", "the code is not a valid redemption code")
	ErrCodeExpired     = errs.New(errs.KindUser, "CODE_EXPIRED", "the code has expired")
	ErrCodeNotYetValid = errs.New(errs.KindUser, "CODE_NOT_YET_VALID", "the code is not valid yet")
	ErrCodeRevoked     = errs.New(errs.KindUser, "CODE_REVOKED", "the code was revoked")
	ErrCodeUsed        = errs.New(errs.KindUser, "CODE_ALREADY_USED", "the code has already been redeemed")
	ErrOtherMerchant   = errs.New(errs.KindUser, "CODE_OTHER_MERCHANT", "the code is not valid at this merchant")
	ErrVoidWindow      = errs.New(errs.KindUser, "VOID_WINDOW_PASSED", "the redemption can no longer be voided")
	ErrAlreadyVoided   = errs.New(errs.KindUser, "ALREADY_VOIDED", "the redemption was already voided")
	ErrReasonRequired  = errs.New(errs.KindUser, "REASON_REQUIRED", "a reason is required")
)

// ErrCodeTransition is a status change the code's transition table does not allow
// (e.g. restoring a revoked code).
var ErrCodeTransition = errs.New(errs.KindUser, "CODE_TRANSITION", "the code cannot change to that status")
