// Package business is the business-hours calendar of a mall: the hours a desk works on
// each weekday, the statutory days off and the make-up working days (调休), in the mall's
// time zone. It lives under service/calendar because calendar is the one owner of
// business time (a mall's zone and business days); the SLA rules of work orders
// (service/workorders/sla) only ask it two questions, "how much business time lies
// between a and b" and "when will d of business time have passed after t", so the
// weekday, holiday and make-up arithmetic has one owner and one set of tests.
//
// Design notes:
//   - Civil time. Hours are times of day (seconds after civil midnight, 24:00 allowed as
//     an end), and days are walked as civil dates, never by adding 24 hours. Each open
//     interval is turned into two instants with time.Date in the mall's zone, so a DST
//     change moves the instants with the wall clock: 09:00 is 09:00 on both sides of
//     the change. Business time inside an interval is the real time between its two
//     instants, the time a technician actually has (an interval crossing the jump is
//     an hour shorter or longer, as the wall clock says).
//   - A day is one of three kinds: regular (the weekday's hours), off (a statutory
//     holiday: closed all day, whatever the weekday) or work (a make-up working day:
//     open with the make-up hours, Monday's unless set, even on a Saturday or Sunday).
//     Half days are not modelled.
//   - Second precision: instants are truncated to whole seconds and durations are
//     whole seconds, so every comparison is exact integer arithmetic.
//   - Add(t, 0) is the first open instant at or after t: an order opened outside hours
//     starts at the next opening. A duration that exactly fills an interval ends at its
//     closing instant (18:00), not at the next opening.
//   - Seeds: StatutoryDays returns a year's holidays and make-up days from
//     github.com/6tail/lunar-go as plain rows, for an editable table; the calendar is
//     built from whatever rows that table holds.
package business

import (
	"errors"
	"fmt"
	"time"
)

// TimeOfDay is a civil time of day in seconds after midnight, 0 to 24:00 inclusive.
type TimeOfDay int

// Clock returns the time of day h:m.
func Clock(h, m int) TimeOfDay { return TimeOfDay(h*3600 + m*60) }

// Interval is an open period of a day, From inclusive, To exclusive.
type Interval struct{ From, To TimeOfDay }

// Hours is a day's open intervals, sorted and disjoint.
type Hours []Interval

// Week is the regular hours of each weekday, indexed by time.Weekday.
type Week [7]Hours

// Kind says whether an exceptional day is off or a working day.
type Kind string

const (
	// Off is a statutory holiday: closed all day.
	Off Kind = "off"
	// Work is a make-up working day (调休): open even on a weekend.
	Work Kind = "work"
)

// Day is an exceptional date, the row an editable holiday table stores. Date is
// midnight UTC of the civil date (the value a PostgreSQL date column takes).
type Day struct {
	Date time.Time
	Name string
	Kind Kind
}

// Spec is what a calendar is built from.
type Spec struct {
	Zone   *time.Location
	Week   Week
	MakeUp Hours // hours of a make-up working day; nil means Monday's
	Days   []Day
}

// Calendar answers business-time questions; build it with New. The zero value is not
// usable.
type Calendar struct {
	loc    *time.Location
	week   Week
	makeUp Hours
	days   map[date]Kind
}

// ErrNeverOpen is returned for a week without any open interval: nothing could be due.
var ErrNeverOpen = errors.New("business calendar: the week has no open hours")

// Weekdays returns a week open Monday to Friday with h.
func Weekdays(h ...Interval) Week {
	var w Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = h
	}
	return w
}

// EveryDay returns a week open every day with h (a mall's service desk).
func EveryDay(h ...Interval) Week {
	var w Week
	for d := range w {
		w[d] = h
	}
	return w
}

// New validates s and builds its calendar.
func New(s Spec) (Calendar, error) {
	if s.Zone == nil {
		return Calendar{}, errors.New("business calendar: no time zone")
	}
	if err := checkWeek(s.Week); err != nil {
		return Calendar{}, err
	}
	if s.MakeUp == nil {
		s.MakeUp = s.Week[time.Monday]
	}
	if err := checkHours(s.MakeUp); err != nil {
		return Calendar{}, err
	}
	days, err := dayKinds(s.Days)
	if err != nil {
		return Calendar{}, err
	}
	return Calendar{loc: s.Zone, week: s.Week, makeUp: s.MakeUp, days: days}, nil
}

func checkWeek(w Week) error {
	open := false
	for _, h := range w {
		if err := checkHours(h); err != nil {
			return err
		}
		open = open || len(h) > 0
	}
	if !open {
		return ErrNeverOpen
	}
	return nil
}

func checkHours(h Hours) error {
	var last TimeOfDay
	for i, iv := range h {
		if iv.From < 0 || iv.To > 24*3600 || iv.From >= iv.To || (i > 0 && iv.From < last) {
			return fmt.Errorf("business calendar: bad hours %v (sorted, disjoint, within 00:00-24:00)", h)
		}
		last = iv.To
	}
	return nil
}

func dayKinds(days []Day) (map[date]Kind, error) {
	m := make(map[date]Kind, len(days))
	for _, d := range days {
		if d.Kind != Off && d.Kind != Work {
			return nil, fmt.Errorf("business calendar: day %s has kind %q", d.Date.Format(time.DateOnly), d.Kind)
		}
		m[dateOf(d.Date, time.UTC)] = d.Kind
	}
	return m, nil
}

// Zone is the calendar's time zone.
func (c Calendar) Zone() *time.Location { return c.loc }

// hoursOn is the hours of a civil date: its exception's, else its weekday's.
func (c Calendar) hoursOn(d date) Hours {
	switch c.days[d] {
	case Off:
		return nil
	case Work:
		return c.makeUp
	}
	return c.week[d.weekday()]
}
