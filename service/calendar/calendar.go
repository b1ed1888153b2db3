// Package calendar is the one owner of business time: which time zone a mall keeps and
// which business day (or month) an instant falls on there. Every context that needs a
// day (expiry, sign-in streaks, spending limits, patrol rounds, billing periods) asks
// here, so there is one fallback: the deployment's ATRIUM_TIMEZONE, passed in as the
// Zones value built at start.
package calendar

import (
	"fmt"
	"time"
)

// Zones resolves time zone names with one fallback: the deployment's default zone.
type Zones struct {
	Default *time.Location
}

// NewZones returns Zones falling back to def (time.UTC when nil).
func NewZones(def *time.Location) Zones {
	if def == nil {
		def = time.UTC
	}
	return Zones{Default: def}
}

// Of returns the named IANA zone (a mall's time_zone column), or the default when name
// is empty or unknown to this machine's zone database.
func (z Zones) Of(name string) *time.Location {
	if name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	if z.Default == nil {
		return time.UTC
	}
	return z.Default
}

// Check reports whether name is a time zone this machine knows (for input validation).
func Check(name string) error {
	if name == "" {
		return fmt.Errorf("time zone is empty")
	}
	if _, err := time.LoadLocation(name); err != nil {
		return fmt.Errorf("unknown time zone %q", name)
	}
	return nil
}

// Day is the business date t falls on in loc, as midnight UTC of that date: the value
// a PostgreSQL date column takes and returns.
func Day(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// DayString is Day formatted as YYYY-MM-DD.
func DayString(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// Month is the business month t falls on in loc, as YYYY-MM.
func Month(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// StartOfDay is the instant the business day of t begins in loc.
func StartOfDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// StartOfMonth is the instant the business month of t begins in loc.
func StartOfMonth(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
}

// EndOfDayAfter is the last instant of the business day that is days after t's in loc
// (days = 0: the end of t's own day). Expiry dates count this way: "valid 30 days"
// ends at 23:59:59.999999 of the 30th day.
func EndOfDayAfter(t time.Time, loc *time.Location, days int) time.Time {
	start := StartOfDay(t, loc)
	return time.Date(start.Year(), start.Month(), start.Day()+days+1, 0, 0, 0, 0, loc).Add(-time.Microsecond)
}
