package sla_test

import (
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// FuzzDeadline checks three properties on the office calendar (split hours, weekends,
// the 2025–2026 holidays and make-up days), for orders opened anywhere in those years:
//   - deadlines are monotone in the target: a longer resolution target is never due
//     earlier;
//   - a business-hours deadline is never inside a closed interval: the second before it
//     is business time (it may be a closing instant itself);
//   - pausing never makes a deadline earlier, whether the pause has ended or is open;
//
// with or without a mid-way change to low priority (a longer target).
func FuzzDeadline(f *testing.F) {
	f.Add(uint32(0), uint32(8*3600), uint32(3600), uint32(5*3600), uint32(3*86400), uint32(0))
	f.Add(uint32(41*86400+16*3600), uint32(3600), uint32(1), uint32(0), uint32(7*86400), uint32(0))          // Spring Festival 2025
	f.Add(uint32(407*86400+17*3600), uint32(86400), uint32(7200), uint32(3600), uint32(86400), uint32(0))    // around 14 Feb 2026
	f.Add(uint32(300*86400+10*3600), uint32(8*3600), uint32(0), uint32(86400), uint32(172800), uint32(7200)) // a change to low
	f.Fuzz(func(t *testing.T, openAt, target, extra, pauseAt, pauseLen, changeAt uint32) {
		opened := sh("2025-01-01 00:00").Add(time.Duration(openAt%(700*86400)) * time.Second)
		short := time.Duration(target%(200*3600)+1) * time.Second
		long := short + time.Duration(extra%(100*3600))*time.Second
		tl := sla.Timeline{Opened: opened, Priority: sla.Normal}
		if changeAt != 0 { // a change to low, whose target is twice normal's
			tl.Changes = []sla.PriorityChange{{At: opened.Add(time.Duration(changeAt%(20*86400)) * time.Second), To: sla.Low}}
		}
		now := opened.Add(time.Duration(pauseAt%(30*86400)) * time.Second)
		base := resolutionDeadline(t, short, tl, now)
		if later := resolutionDeadline(t, long, tl, now); later.Before(base) {
			t.Fatalf("target %v due %s, longer %v due earlier %s", short, base, long, later)
		}
		if !office.IsOpen(base.Add(-time.Second)) {
			t.Fatalf("deadline %s: the second before it is closed", base)
		}
		pauseFrom := opened.Add(time.Duration(pauseAt%(30*86400)) * time.Second / 2)
		for _, to := range []time.Time{pauseFrom.Add(time.Duration(pauseLen%(10*86400)) * time.Second), {}} {
			paused := tl
			paused.Pauses = []sla.Pause{{From: pauseFrom, To: to}}
			d := resolutionDeadline(t, short, paused, now)
			if d.Before(base) {
				t.Fatalf("pause %s–%s made %s earlier: %s", pauseFrom, to, base, d)
			}
			if !office.IsOpen(d.Add(-time.Second)) {
				t.Fatalf("paused deadline %s: the second before it is closed", d)
			}
		}
	})
}

func resolutionDeadline(t *testing.T, target time.Duration, tl sla.Timeline, now time.Time) time.Time {
	t.Helper()
	p := sla.Policy{sla.Normal: {Response: time.Hour, Resolution: target},
		sla.Low: {Response: 2 * time.Hour, Resolution: 2 * target}}
	r, err := sla.Evaluate(p, office, tl, now)
	if err != nil {
		t.Fatal(err)
	}
	return r.Resolution.Deadline
}
