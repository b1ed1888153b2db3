package workorders

import (
	"reflect"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/state/statetest"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

func TestTimelineOf(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 6, 3, 10, m, 0, 0, time.UTC) }
	pause := []sla.Pause{{From: at(5), To: at(8), Reason: "PARTS"}}
	for _, tc := range []struct {
		name   string
		evs    []stamp
		pauses []sla.Pause
		want   sla.Timeline
	}{
		{"raised only", []stamp{{at(0), "raise", "NORMAL"}, {at(1), "assign", ""}},
			nil, sla.Timeline{Opened: at(0), Priority: sla.Normal}},
		{"the first accept responds; a later reassign and accept does not move it",
			[]stamp{{at(0), "raise", "LOW"}, {at(2), "accept", ""}, {at(3), "assign", ""}, {at(4), "accept", ""}},
			nil, sla.Timeline{Opened: at(0), Priority: sla.Low, Responded: at(2)}},
		{"priority changes keep their order", []stamp{{at(0), "raise", "LOW"}, {at(1), "priority", "URGENT"},
			{at(2), "priority", "NORMAL"}}, nil, sla.Timeline{Opened: at(0), Priority: sla.Low,
			Changes: []sla.PriorityChange{{At: at(1), To: sla.Urgent}, {At: at(2), To: sla.Normal}}}},
		{"pauses pass through", []stamp{{at(0), "raise", "NORMAL"}}, pause,
			sla.Timeline{Opened: at(0), Priority: sla.Normal, Pauses: pause}},
		{"resolved", []stamp{{at(0), "raise", "NORMAL"}, {at(2), "accept", ""}, {at(9), "resolve", ""}},
			nil, sla.Timeline{Opened: at(0), Priority: sla.Normal, Responded: at(2), Resolved: at(9)}},
		{"a reopen pairs with the resolve before it and clears it",
			[]stamp{{at(0), "raise", "NORMAL"}, {at(9), "resolve", ""}, {at(12), "reopen", ""}},
			nil, sla.Timeline{Opened: at(0), Priority: sla.Normal,
				Reopens: []sla.Reopen{{Resolved: at(9), Reopened: at(12)}}}},
		{"resolved again after a reopen", []stamp{{at(0), "raise", "NORMAL"}, {at(9), "resolve", ""},
			{at(12), "reopen", ""}, {at(20), "resolve", ""}, {at(21), "confirm", ""}},
			nil, sla.Timeline{Opened: at(0), Priority: sla.Normal, Resolved: at(20),
				Reopens: []sla.Reopen{{Resolved: at(9), Reopened: at(12)}}}},
		{"a cancel stops the clocks", []stamp{{at(0), "raise", "NORMAL"}, {at(3), "cancel", ""}},
			nil, sla.Timeline{Opened: at(0), Priority: sla.Normal, Resolved: at(3)}},
		{"notes and escalations do not count", []stamp{{at(0), "raise", "NORMAL"}, {at(1), "note", ""},
			{at(2), "escalate", ""}}, nil, sla.Timeline{Opened: at(0), Priority: sla.Normal}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := timelineOf(tc.evs, tc.pauses); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("timelineOf =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestMachine(t *testing.T) {
	statetest.Check(t, Machine.Next, ErrTransition,
		statetest.Legal("assign an open order", EvAssign, Open, Assigned),
		statetest.Legal("reassign", EvAssign, Assigned, Assigned),
		statetest.Legal("reassign an accepted order", EvAssign, Accepted, Assigned),
		statetest.Refused("no assigning once work started", EvAssign, InProgress, Waiting, Resolved, Closed, Cancelled),
		statetest.Legal("accept an assigned order", EvAccept, Assigned, Accepted),
		statetest.Legal("claim an open order", EvAccept, Open, Accepted),
		statetest.Refused("accept twice", EvAccept, Accepted, InProgress, Waiting, Resolved, Closed, Cancelled),
		statetest.Legal("start", EvStart, Accepted, InProgress),
		statetest.Refused("start before accepting", EvStart, Open, Assigned, InProgress, Waiting, Resolved),
		statetest.Legal("pause", EvPause, InProgress, Waiting),
		statetest.Refused("pause twice or before work", EvPause, Waiting, Accepted, Open, Resolved),
		statetest.Legal("resume", EvResume, Waiting, InProgress),
		statetest.Refused("resume without a pause", EvResume, InProgress, Open, Resolved),
		statetest.Legal("resolve", EvResolve, InProgress, Resolved),
		statetest.Refused("resolve while paused or before starting", EvResolve, Waiting, Accepted, Open, Closed),
		statetest.Legal("confirm", EvConfirm, Resolved, Closed),
		statetest.Refused("confirm unresolved", EvConfirm, InProgress, Open, Closed, Cancelled),
		statetest.Legal("reopen", EvReopen, Resolved, InProgress),
		statetest.Refused("reopen a closed order", EvReopen, Closed, Cancelled, InProgress),
		statetest.Legal("cancel open", EvCancel, Open, Cancelled),
		statetest.Legal("cancel waiting", EvCancel, Waiting, Cancelled),
		statetest.Refused("cancel after resolving", EvCancel, Resolved, Closed, Cancelled),
	)
}
