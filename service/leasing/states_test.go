package leasing

import (
	"testing"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestContractTransitions(t *testing.T) {
	statetest.Check(t, contractStates.Next, ErrBadTransition,
		statetest.Legal("submit a draft", EventSubmit, StatusDraft, StatusSubmitted),
		statetest.Legal("reject a submitted contract", EventReject, StatusSubmitted, StatusDraft),
		statetest.Legal("approve a submitted contract", EventApprove, StatusSubmitted, StatusApproved),
		statetest.Legal("sign an approved contract", EventSign, StatusApproved, StatusSigned),
		statetest.Legal("activate a signed contract", EventActivate, StatusSigned, StatusActive),
		statetest.Legal("expire an active contract", EventExpire, StatusActive, StatusExpired),
		statetest.Legal("terminate an approved contract", EventTerminate, StatusApproved, StatusTerminated),
		statetest.Legal("terminate a signed contract", EventTerminate, StatusSigned, StatusTerminated),
		statetest.Legal("terminate an active contract", EventTerminate, StatusActive, StatusTerminated),
		statetest.Refused("approve what is not submitted", EventApprove, StatusDraft, StatusApproved, StatusSigned, StatusActive, StatusExpired, StatusTerminated),
		statetest.Refused("submit twice or after approval", EventSubmit, StatusSubmitted, StatusApproved, StatusActive),
		statetest.Refused("sign before approval or twice", EventSign, StatusDraft, StatusSubmitted, StatusSigned),
		statetest.Refused("terminate a draft or an ended contract", EventTerminate, StatusDraft, StatusSubmitted, StatusExpired, StatusTerminated),
		statetest.Refused("activate before signing", EventActivate, StatusApproved, StatusDraft),
		statetest.Refused("expire what is not running", EventExpire, StatusSigned, StatusTerminated),
	)
}

func TestVersionTransitions(t *testing.T) {
	statetest.Check(t, versionStates.Next, ErrNothingOpen,
		statetest.Legal("submit a draft version", EventSubmit, VersionDraft, VersionSubmitted),
		statetest.Legal("reject a submitted version", EventReject, VersionSubmitted, VersionDraft),
		statetest.Legal("approve a submitted version", EventApprove, VersionSubmitted, VersionApproved),
		statetest.Refused("approve a draft or twice", EventApprove, VersionDraft, VersionApproved),
		statetest.Refused("submit twice", EventSubmit, VersionSubmitted, VersionApproved),
	)
}

func TestEffective(t *testing.T) {
	start, end := schedule.D(2026, 3, 1), schedule.D(2027, 2, 28)
	cases := []struct {
		name  string
		st    Status
		today schedule.Date
		want  Status
	}{
		{"signed, before the start", StatusSigned, schedule.D(2026, 2, 28), StatusSigned},
		{"signed, on the start day", StatusSigned, start, StatusActive},
		{"active on its last day", StatusActive, end, StatusActive},
		{"active the day after the end", StatusActive, end.AddDays(1), StatusExpired},
		{"signed and never activated, over", StatusSigned, end.AddDays(3), StatusExpired},
		{"approved, not signed, after the start", StatusApproved, schedule.D(2026, 5, 1), StatusApproved},
		{"terminated stays terminated", StatusTerminated, schedule.D(2026, 5, 1), StatusTerminated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Effective(tc.st, start, end, tc.today); got != tc.want {
				t.Fatalf("Effective = %s, want %s", got, tc.want)
			}
		})
	}
}
