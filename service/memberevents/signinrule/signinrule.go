// Package signinrule decides whether a member may sign in (签到) at a member event: a
// pure function of the event's rule, the member's earlier sign-ins and the time.
package signinrule

import "time"

// Rule is an event's sign-in rule.
type Rule struct {
	// Opens and Closes bound the sign-in window (Closes exclusive).
	Opens, Closes time.Time
	// Repeatable allows more than one sign-in in all; false: once only.
	Repeatable bool
	// MaxPerDay caps a repeatable rule's sign-ins per business day (0: no cap).
	MaxPerDay int
	// MinGap is the least time between two sign-ins of a repeatable rule (0: none).
	MinGap time.Duration
}

// Verdict is the decision; Reason names why a sign-in is refused ("" when allowed).
type Verdict struct {
	Allowed bool
	Reason  string
}

// The reasons a sign-in is refused.
const (
	NotOpen      = "SIGNIN_NOT_OPEN"      // before the window
	Closed       = "SIGNIN_CLOSED"        // at or after the window's end
	AlreadyDone  = "ALREADY_SIGNED_IN"    // not repeatable, signed in before
	DayLimit     = "SIGNIN_DAY_LIMIT"     // MaxPerDay reached on this day
	TooSoon      = "SIGNIN_TOO_SOON"      // within MinGap of the last one
	NoWindowRule = "SIGNIN_NOT_AVAILABLE" // the event has no sign-in window
)

// Decide says whether a sign-in at `at` is allowed, given the earlier sign-ins (any
// order) and the mall's time zone loc (its business days).
func Decide(r Rule, earlier []time.Time, at time.Time, loc *time.Location) Verdict {
	switch {
	case r.Opens.IsZero() || r.Closes.IsZero():
		return Verdict{Reason: NoWindowRule}
	case at.Before(r.Opens):
		return Verdict{Reason: NotOpen}
	case !at.Before(r.Closes):
		return Verdict{Reason: Closed}
	}
	if len(earlier) == 0 {
		return Verdict{Allowed: true}
	}
	if !r.Repeatable {
		return Verdict{Reason: AlreadyDone}
	}
	day := dayOf(at, loc)
	sameDay := 0
	var last time.Time
	for _, t := range earlier {
		if dayOf(t, loc) == day {
			sameDay++
		}
		if t.After(last) {
			last = t
		}
	}
	if r.MaxPerDay > 0 && sameDay >= r.MaxPerDay {
		return Verdict{Reason: DayLimit}
	}
	if r.MinGap > 0 && at.Sub(last) < r.MinGap {
		return Verdict{Reason: TooSoon}
	}
	return Verdict{Allowed: true}
}

func dayOf(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(time.DateOnly)
}
