package schedule

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil date (a day on the mall's calendar, no time of day, no zone). Leases
// are written in days, so every rule here counts days between Dates and never meets a
// daylight-saving hour. Convert an instant with DateOf(t.In(mallZone)) — or with
// service/calendar — and back with Date.In(zone). The zero Date means "not set".
// JSON: "2006-01-02", or null for the zero Date.
type Date struct{ t time.Time } // midnight UTC

// D returns the date y-m-d (normalised like time.Date: D(2026, 2, 30) is 2026-03-02).
func D(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date { return D(t.Year(), t.Month(), t.Day()) }

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("schedule: date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// In returns midnight of d in loc (the start of that business day in the mall's zone).
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.t.Year(), d.t.Month(), d.t.Day(), 0, 0, 0, 0, loc)
}

// Year, Month and Day return the parts of d.
func (d Date) Year() int         { return d.t.Year() }
func (d Date) Month() time.Month { return d.t.Month() }
func (d Date) Day() int          { return d.t.Day() }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddYears returns d moved by n years; Feb 29 moves to Mar 1 in a common year
// (time.AddDate's normalisation), so a lease starting 2024-02-29 has its first
// anniversary on 2025-03-01.
func (d Date) AddYears(n int) Date { return Date{d.t.AddDate(n, 0, 0)} }

// Sub returns the number of days from e to d (d − e).
func (d Date) Sub(e Date) int { return int(d.t.Sub(e.t).Hours() / 24) }

// Before, After and Equal compare dates.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }
func (d Date) After(e Date) bool  { return d.t.After(e.t) }
func (d Date) Equal(e Date) bool  { return d.t.Equal(e.t) }

// String is "2006-01-02" ("" for the zero Date).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalJSON writes "2006-01-02", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "2006-01-02"; null and "" are the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(*s)
	*d = p
	return err
}

// Period is an inclusive run of days: Start through End.
type Period struct {
	Start Date `json:"start"`
	End   Date `json:"end"`
}

// Days is the number of days in p (End − Start + 1).
func (p Period) Days() int { return p.End.Sub(p.Start) + 1 }

// Contains reports whether d falls in p.
func (p Period) Contains(d Date) bool { return !d.Before(p.Start) && !d.After(p.End) }

// String is "start..end".
func (p Period) String() string { return p.Start.String() + ".." + p.End.String() }

// Month is a calendar month, the key of monthly sales.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month d falls in.
func MonthOf(d Date) Month { return Month{d.Year(), d.Month()} }

// Period returns the days of m.
func (m Month) Period() Period {
	first := D(m.Year, m.Month, 1)
	return Period{first, D(m.Year, m.Month+1, 0)}
}

// String is "2006-01".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// daysInMonth returns the number of days of d's month.
func daysInMonth(d Date) int { return D(d.Year(), d.Month()+1, 0).Day() }
