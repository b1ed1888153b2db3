package coupons

import "github.com/atrium-mall/atrium/service/state"

// The statuses of the coupons context's three stateful entities, with their transition
// tables. The values are the ones the schema's CHECK constraints allow. A status change
// asks its machine first (an illegal one is the machine's typed error); the conditional
// UPDATE that follows (WHERE status = <from>) stays the guard against concurrent changes.

// TemplateStatus is where a coupon template is in its life.
type TemplateStatus string

// The template statuses.
const (
	TemplateDraft  TemplateStatus = "draft"  // being set up; not claimable
	TemplateActive TemplateStatus = "active" // claimable, issuable
	TemplatePaused TemplateStatus = "paused" // claims stop for a while
	TemplateEnded  TemplateStatus = "ended"  // final
)

// TemplateEvent changes a template's status.
type TemplateEvent string

// The template events.
const (
	TemplateActivate TemplateEvent = "activate"
	TemplatePause    TemplateEvent = "pause"
	TemplateEnd      TemplateEvent = "end"
)

// templateStates: a draft or paused template may be activated, an active one paused, and
// any but an ended one ended. An illegal move is ErrBadTransition
// (COUPON_INVALID_TRANSITION, as the API has always answered).
var templateStates = state.New("coupon template", ErrBadTransition, map[TemplateEvent]map[TemplateStatus]TemplateStatus{
	TemplateActivate: {TemplateDraft: TemplateActive, TemplatePaused: TemplateActive},
	TemplatePause:    {TemplateActive: TemplatePaused},
	TemplateEnd:      {TemplateDraft: TemplateEnded, TemplateActive: TemplateEnded, TemplatePaused: TemplateEnded},
})

// templateEventTo is the event that leaves a template in a status (staff set the status
// they want: SetStatus).
var templateEventTo = map[TemplateStatus]TemplateEvent{
	TemplateActive: TemplateActivate,
	TemplatePaused: TemplatePause,
	TemplateEnded:  TemplateEnd,
}

// validTemplateStatus reports whether s is a template status.
func validTemplateStatus(s TemplateStatus) bool {
	switch s {
	case TemplateDraft, TemplateActive, TemplatePaused, TemplateEnded:
		return true
	}
	return false
}

// CouponStatus is where a member's coupon is. An issued coupon past its validity stays
// issued (expiry is read from valid_until, not stored).
type CouponStatus string

// The coupon statuses.
const (
	CouponIssued  CouponStatus = "issued"
	CouponUsed    CouponStatus = "used"
	CouponRevoked CouponStatus = "revoked" // allowed by the schema; nothing revokes a coupon today
)

// CouponEvent changes a coupon's status.
type CouponEvent string

// The coupon events.
const (
	CouponUse     CouponEvent = "use"     // in a purchase, or redeemed by staff
	CouponRestore CouponEvent = "restore" // the purchase refunded, or the redemption voided
)

// couponStates: an issued coupon is used, a used one restored. An illegal move is
// ErrCouponNotUsable (COUPON_NOT_USABLE, as the API has always answered).
var couponStates = state.New("coupon", ErrCouponNotUsable, map[CouponEvent]map[CouponStatus]CouponStatus{
	CouponUse:     {CouponIssued: CouponUsed},
	CouponRestore: {CouponUsed: CouponIssued},
})

// couponEdge is the one status ev fires from and the status it leaves (every coupon event
// has exactly one of each), for a conditional UPDATE of many coupons at once.
func couponEdge(ev CouponEvent) (from, to CouponStatus) {
	from = CouponStatus(couponStates.From(ev)[0])
	to, _ = couponStates.Next(ev, from)
	return from, to
}

// RunStatus is where a segment issue run is.
type RunStatus string

// The run statuses.
const (
	RunQueued  RunStatus = "queued"
	RunRunning RunStatus = "running"
	RunDone    RunStatus = "done" // final
	RunFailed  RunStatus = "failed"
)

// RunEvent changes a run's status.
type RunEvent string

// The run events.
const (
	RunStart  RunEvent = "start"
	RunFinish RunEvent = "finish"
	RunFail   RunEvent = "fail"
)

// runStates: the job starts a queued run, and starts again a failed one or one it was
// running when it stopped (a retried job); a running run finishes or fails.
var runStates = state.New("segment run", ErrRunTransition, map[RunEvent]map[RunStatus]RunStatus{
	RunStart:  {RunQueued: RunRunning, RunRunning: RunRunning, RunFailed: RunRunning},
	RunFinish: {RunRunning: RunDone},
	RunFail:   {RunRunning: RunFailed},
})
