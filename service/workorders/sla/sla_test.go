package sla_test

import (
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/calendar/business"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

var (
	shanghai = zone("Asia/Shanghai")
	newYork  = zone("America/New_York")
	berlin   = zone("Europe/Berlin")

	// office: Mon–Fri 09:00–12:00 and 13:00–18:00 (8 h a day), China's 2025 and 2026
	// statutory days; a make-up day keeps Monday's hours.
	office = mustCal(business.Spec{Zone: shanghai,
		Week: business.Weekdays(iv(9, 0, 12, 0), iv(13, 0, 18, 0)),
		Days: append(business.StatutoryDays(2025), business.StatutoryDays(2026)...)})
	// desk: a mall's service desk, 10:00–22:00 every day, no days off.
	desk = mustCal(business.Spec{Zone: shanghai, Week: business.EveryDay(iv(10, 0, 22, 0))})
	// nyOffice and berlinOffice: Mon–Fri 09:00–17:00 in zones with DST.
	nyOffice     = mustCal(business.Spec{Zone: newYork, Week: business.Weekdays(iv(9, 0, 17, 0))})
	berlinOffice = mustCal(business.Spec{Zone: berlin, Week: business.Weekdays(iv(9, 0, 17, 0))})

	// policy: urgent 5 min / 2 h around the clock; normal 2 h / 8 h and low 4 h / 24 h
	// in business hours.
	policy = sla.Policy{
		sla.Urgent: {Response: 5 * time.Minute, Resolution: 2 * time.Hour, AroundTheClock: true},
		sla.Normal: {Response: 2 * time.Hour, Resolution: 8 * time.Hour},
		sla.Low:    {Response: 4 * time.Hour, Resolution: 24 * time.Hour},
	}
)

func zone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func iv(h1, m1, h2, m2 int) business.Interval {
	return business.Interval{From: business.Clock(h1, m1), To: business.Clock(h2, m2)}
}

func mustCal(s business.Spec) business.Calendar {
	c, err := business.New(s)
	if err != nil {
		panic(err)
	}
	return c
}

// sh is a Shanghai wall-clock instant "2006-01-02 15:04[:05]".
func sh(s string) time.Time { return wall(s, shanghai) }

func wall(s string, loc *time.Location) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t
		}
	}
	panic("bad instant " + s)
}

// want lists what a case checks; zero fields are not checked.
type want struct {
	respDeadline, resDeadline time.Time
	respState, resState       sla.State
	resElapsed                time.Duration
	resPercent                int
	next                      time.Time
	noNext                    bool
}

type slaCase struct {
	name string
	cal  *business.Calendar // nil: office
	tl   sla.Timeline
	now  time.Time
	want want
}

func normal(opened time.Time) sla.Timeline { return sla.Timeline{Opened: opened, Priority: sla.Normal} }

func with(tl sla.Timeline, f func(*sla.Timeline)) sla.Timeline { f(&tl); return tl }

func responded(at time.Time) func(*sla.Timeline) {
	return func(tl *sla.Timeline) { tl.Responded = at }
}

func TestEvaluate(t *testing.T) {
	for _, c := range slaCases() {
		t.Run(c.name, func(t *testing.T) {
			cal := office
			if c.cal != nil {
				cal = *c.cal
			}
			got, err := sla.Evaluate(policy, cal, c.tl, c.now)
			if err != nil {
				t.Fatal(err)
			}
			check(t, got, c.want)
		})
	}
}

func check(t *testing.T, got sla.Report, w want) {
	t.Helper()
	instant(t, "response deadline", got.Response.Deadline, w.respDeadline)
	instant(t, "resolution deadline", got.Resolution.Deadline, w.resDeadline)
	if w.respState != "" && got.Response.State != w.respState {
		t.Errorf("response state %s, want %s", got.Response.State, w.respState)
	}
	if w.resState != "" && got.Resolution.State != w.resState {
		t.Errorf("resolution state %s, want %s", got.Resolution.State, w.resState)
	}
	if w.resElapsed != 0 && got.Resolution.Elapsed != w.resElapsed {
		t.Errorf("resolution elapsed %v, want %v", got.Resolution.Elapsed, w.resElapsed)
	}
	if w.resPercent != 0 && got.Resolution.Percent != w.resPercent {
		t.Errorf("resolution percent %d, want %d", got.Resolution.Percent, w.resPercent)
	}
	instant(t, "next check", got.NextCheck, w.next)
	if w.noNext && !got.NextCheck.IsZero() {
		t.Errorf("next check %v, want none", got.NextCheck)
	}
}

func instant(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !want.IsZero() && !got.Equal(want) {
		t.Errorf("%s %s, want %s", what, got.In(want.Location()), want)
	}
}
