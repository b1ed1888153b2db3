package redemption

import (
	"time"

	"github.com/atrium-mall/atrium/service/state"
)

// CodeStatus is where a redemption code is in its life.
type CodeStatus string

// The code statuses.
const (
	CodeIssued   CodeStatus = "issued"   // usable (again, after a void)
	CodeRedeemed CodeStatus = "redeemed" // used: by staff, a device, or a purchase consuming its coupon
	CodeRevoked  CodeStatus = "revoked"  // withdrawn: a booking cancelled or missed
)

// CodeEvent changes a code's status.
type CodeEvent string

// The code events.
const (
	CodeRedeem CodeEvent = "redeem" // staff, a device or a purchase uses the code
	CodeVoid   CodeEvent = "void"   // a redemption is voided (or a purchase refunded): usable again
	CodeRevoke CodeEvent = "revoke" // the booking behind it is cancelled or missed
)

// codeStates is the code's transition table: a redeemed or revoked code is redeemed
// again only after a void; a revoked code is final.
var codeStates = state.New("code", ErrCodeTransition, map[CodeEvent]map[CodeStatus]CodeStatus{
	CodeRedeem: {CodeIssued: CodeRedeemed},
	CodeVoid:   {CodeRedeemed: CodeIssued},
	CodeRevoke: {CodeIssued: CodeRevoked},
})

// eventTo is the event that leaves a code in status (SetStatusTx names the status).
var eventTo = map[CodeStatus]CodeEvent{CodeRedeemed: CodeRedeem, CodeIssued: CodeVoid, CodeRevoked: CodeRevoke}

// redeemable says why a code in status from cannot be redeemed, with the errors staff
// devices know (CODE_ALREADY_USED, CODE_REVOKED), or nil.
func redeemable(from CodeStatus) error {
	_, err := codeStates.Next(CodeRedeem, from)
	switch {
	case err == nil:
		return nil
	case from == CodeRedeemed:
		return ErrCodeUsed
	case from == CodeRevoked:
		return ErrCodeRevoked
	}
	return err
}

// usable checks a code in status from for a redemption at time at: its status, then
// its validity.
func usable(from CodeStatus, c Code, at time.Time) error {
	if err := redeemable(from); err != nil {
		return err
	}
	switch {
	case !at.Before(c.ValidUntil):
		return ErrCodeExpired
	case at.Before(c.ValidFrom):
		return ErrCodeNotYetValid
	}
	return nil
}

// RedemptionStatus is whether a redemption stands or was voided.
type RedemptionStatus string

// The redemption statuses.
const (
	RedemptionLive   RedemptionStatus = "live"
	RedemptionVoided RedemptionStatus = "voided"
)

// RedemptionEvent changes a redemption's status.
type RedemptionEvent string

// RedemptionVoid cancels a redemption (within the void window).
const RedemptionVoid RedemptionEvent = "void"

// redemptionStates is the redemption's transition table: a void is final.
var redemptionStates = state.New("redemption", ErrAlreadyVoided, map[RedemptionEvent]map[RedemptionStatus]RedemptionStatus{
	RedemptionVoid: {RedemptionLive: RedemptionVoided},
})

// Status is the redemption's status (voided once VoidedAt is set).
func (r Redemption) Status() RedemptionStatus {
	if r.VoidedAt != nil {
		return RedemptionVoided
	}
	return RedemptionLive
}

// ScanResult is what became of an offline scan. A scan is recorded as rejected first
// and given its result in the same transaction, so it changes only there.
type ScanResult string

// The offline scan results.
const (
	ScanRedeemed ScanResult = "redeemed"
	ScanConflict ScanResult = "conflict" // the code was redeemed already (online or by another scan)
	ScanRejected ScanResult = "rejected" // invalid, revoked, expired at scan time, out of scope
)
