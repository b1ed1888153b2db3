package leasing

import (
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/state"
)

// Status is where a contract stands in its workflow.
type Status string

// The contract statuses.
const (
	StatusDraft      Status = "draft"      // being prepared; holds no unit
	StatusSubmitted  Status = "submitted"  // waiting for approval; holds no unit
	StatusApproved   Status = "approved"   // approved, holds its units, not signed yet
	StatusSigned     Status = "signed"     // the signed PDF is uploaded; not started yet
	StatusActive     Status = "active"     // running
	StatusExpired    Status = "expired"    // ran to its end
	StatusTerminated Status = "terminated" // ended early; holds its units up to the termination date
)

// Event is what happens to a contract.
type Event string

// The contract events.
const (
	EventSubmit    Event = "submit"
	EventReject    Event = "reject" // back to draft, to be corrected and submitted again
	EventApprove   Event = "approve"
	EventSign      Event = "sign"
	EventActivate  Event = "activate"
	EventExpire    Event = "expire"
	EventTerminate Event = "terminate"
)

// contractStates is the contract workflow. An illegal move is CONTRACT_STATUS.
var contractStates = state.New("contract", ErrBadTransition, map[Event]map[Status]Status{
	EventSubmit:    {StatusDraft: StatusSubmitted},
	EventReject:    {StatusSubmitted: StatusDraft},
	EventApprove:   {StatusSubmitted: StatusApproved},
	EventSign:      {StatusApproved: StatusSigned},
	EventActivate:  {StatusSigned: StatusActive},
	EventExpire:    {StatusActive: StatusExpired},
	EventTerminate: {StatusApproved: StatusTerminated, StatusSigned: StatusTerminated, StatusActive: StatusTerminated},
})

// VersionStatus is where one version (original, amendment, renewal) stands.
type VersionStatus string

// The version statuses.
const (
	VersionDraft     VersionStatus = "draft"
	VersionSubmitted VersionStatus = "submitted"
	VersionApproved  VersionStatus = "approved"
)

// versionStates is the approval of one version.
var versionStates = state.New("version", ErrNothingOpen, map[Event]map[VersionStatus]VersionStatus{
	EventSubmit:  {VersionDraft: VersionSubmitted},
	EventReject:  {VersionSubmitted: VersionDraft},
	EventApprove: {VersionSubmitted: VersionApproved},
})

// holding reports whether a contract in status st holds its units.
func holding(st Status) bool {
	return st == StatusApproved || st == StatusSigned || st == StatusActive || st == StatusTerminated
}

// Effective is the status a contract shows on a date: a signed contract whose term has
// started is active, and an active one whose term is over has expired, even before the
// activation job has stored the move.
func Effective(st Status, start, end, today schedule.Date) Status {
	if st == StatusSigned && !today.Before(start) {
		st = StatusActive
	}
	if st == StatusActive && today.After(end) {
		st = StatusExpired
	}
	return st
}
