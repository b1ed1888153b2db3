// Package sla is the one place for the service-level rules of work orders: from a
// policy, a business calendar and an order's timeline it computes the response and
// resolution deadlines, the business time used at an instant, the state, and when a
// job must look again. It is pure (no storage, no clock of its own): the work-orders
// context stores timelines and policies, calls Evaluate after every event, and keeps
// one breach job per order at Report.NextCheck.
//
// The calendar arithmetic (weekdays, holidays, make-up days, DST) belongs to
// service/calendar/business; this package only decides which spans of time count and
// against which target. It lives under service/workorders because the policy
// (category × priority targets) and the timeline are work-order concepts.
//
// Rules (each has a named case in sla_test.go):
//   - Two clocks. Response runs from opening until the first response; resolution from
//     opening until resolved. Both count business time of the mall's calendar, or real
//     time when the priority in force is around the clock (24×7 emergencies).
//   - An order opened outside hours starts at the next opening (a holiday is closed,
//     a make-up Saturday open), because only business time counts.
//   - Pauses (waiting for the tenant, for parts) never count, on either clock. An open
//     pause shows PAUSED and its elapsed time stands still; its deadline is projected
//     as if the order resumed at the instant asked about, so it moves with the clock and
//     nothing can breach while paused (glpi#24481, frappe/helpdesk#1554). There is no
//     next check while paused: the resume is an event and re-evaluates. Overlapping
//     pauses count once.
//   - A priority change keeps the elapsed time and applies the new target from then on
//     (no lost pending time, glpi#6902); each span is measured with the clock of the
//     priority in force during it. An upgrade whose target is already used up is due at
//     the instant of the change: it breaches at once rather than pretend to be on time.
//     Deadline and warning are first-crossing instants (the first instant the used
//     time reaches the target, or its 80 %, in force then), so a breach or warning
//     already reached stays in the past after a downgrade: a downgrade does not undo
//     an escalation that happened; Percent still reads against the new target.
//   - A resolution without a recorded response counts as the response.
//   - A reopen resumes the resolution clock from the elapsed time it had when resolved
//     (the resolved-to-reopened gap does not count); the response stays met.
//   - States: MET when the clock stopped on or before its deadline; BREACHED when its
//     used time reached the target (also when stopped late, and also when a pause began
//     after the breach: a pause never undoes one); otherwise PAUSED during a pause,
//     WARNING from 80 % used, else OK.
//   - The warning instant is when used time first reaches ceil(80 % of the target) at
//     second precision, so "used × 100 ≥ 80 × target" is an exact integer test.
//   - Next check: the warning instant if not reached yet, else the deadline if not
//     passed, of whichever running clock comes first; zero when there is nothing to wait
//     for. Pauses and priority changes move it because it is recomputed from the
//     timeline.
//   - Instants are truncated to the second; durations are whole seconds. Events after
//     the instant asked about are ignored (the timeline as known then).
package sla

import (
	"errors"
	"fmt"
	"time"
)

// Priority is an order's urgency (紧急/一般/非紧急).
type Priority string

const (
	Urgent Priority = "URGENT"
	Normal Priority = "NORMAL"
	Low    Priority = "LOW"
)

// Target is what one priority promises.
type Target struct {
	Response       time.Duration
	Resolution     time.Duration
	AroundTheClock bool // real time (24×7), not business hours
}

// Policy is the targets of one category by priority.
type Policy map[Priority]Target

// PriorityChange records that the order's priority became To at At.
type PriorityChange struct {
	At time.Time
	To Priority
}

// Pause is a stop of the clocks (waiting for the tenant or for parts); a zero To means
// it has not ended.
type Pause struct {
	From, To time.Time
	Reason   string
}

// Reopen records an order resolved at Resolved and reopened at Reopened.
type Reopen struct {
	Resolved, Reopened time.Time
}

// Timeline is what happened to an order. Responded and Resolved are zero until done
// (Resolved is the latest resolution; earlier ones that were reopened are in Reopens).
type Timeline struct {
	Opened    time.Time
	Priority  Priority
	Changes   []PriorityChange
	Pauses    []Pause
	Reopens   []Reopen
	Responded time.Time
	Resolved  time.Time
}

// State is where a clock stands.
type State string

const (
	OK       State = "OK"
	Warning  State = "WARNING"
	Breached State = "BREACHED"
	Paused   State = "PAUSED"
	Met      State = "MET"
)

// Clock is one clock's reading at an instant. Remaining is negative once overdue.
type Clock struct {
	Target    time.Duration // the target of the priority in force
	Deadline  time.Time
	WarnAt    time.Time
	Elapsed   time.Duration
	Remaining time.Duration
	Percent   int // floor(100 × Elapsed / Target)
	State     State
}

// Report is both clocks at an instant and when to look again (zero: no job needed).
type Report struct {
	Response   Clock
	Resolution Clock
	NextCheck  time.Time
}

// Calendar is the business-time arithmetic the rules need (business.Calendar).
type Calendar interface {
	Add(t time.Time, d time.Duration) time.Time
	Between(a, b time.Time) time.Duration
}

// ErrPolicy is returned for a priority without a usable target.
var ErrPolicy = errors.New("sla: policy has no positive target for the priority")

// ErrTimeline is returned for a timeline that cannot have happened.
var ErrTimeline = errors.New("sla: inconsistent timeline")

// Evaluate reads both clocks of tl at now.
func Evaluate(p Policy, cal Calendar, tl Timeline, now time.Time) (Report, error) {
	now = sec(now)
	tl = clip(tl, now)
	if err := check(p, tl); err != nil {
		return Report{}, err
	}
	resp := measure(run{p, cal, tl, now, responseTarget, responded(tl), nil})
	res := measure(run{p, cal, tl, now, resolutionTarget, tl.Resolved, reopenGaps(tl.Reopens)})
	return Report{Response: resp, Resolution: res, NextCheck: firstOf(next(resp, now), next(res, now))}, nil
}

// responded is the first response, or the first resolution when none was recorded
// (resolving an order answers it).
func responded(tl Timeline) time.Time {
	if !tl.Responded.IsZero() {
		return tl.Responded
	}
	if len(tl.Reopens) > 0 {
		return tl.Reopens[0].Resolved
	}
	return tl.Resolved
}

func responseTarget(t Target) time.Duration   { return t.Response }
func resolutionTarget(t Target) time.Duration { return t.Resolution }

func check(p Policy, tl Timeline) error {
	if tl.Opened.IsZero() {
		return fmt.Errorf("%w: not opened", ErrTimeline)
	}
	for _, pr := range priorities(tl) {
		if t, ok := p[pr]; !ok || t.Response < time.Second || t.Resolution < time.Second {
			return fmt.Errorf("%w: %q", ErrPolicy, pr)
		}
	}
	for _, ps := range tl.Pauses {
		if !ps.To.IsZero() && ps.To.Before(ps.From) {
			return fmt.Errorf("%w: pause ends before it starts", ErrTimeline)
		}
	}
	return nil
}

func priorities(tl Timeline) []Priority {
	out := []Priority{tl.Priority}
	for _, c := range tl.Changes {
		out = append(out, c.To)
	}
	return out
}
