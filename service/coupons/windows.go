package coupons

import (
	"fmt"
	"slices"
	"time"
)

// minutes parses the window's bounds into minutes after midnight.
func (w Window) minutes() (from, to int, err error) {
	if from, err = hhmm(w.From); err != nil {
		return 0, 0, err
	}
	if to, err = hhmm(w.To); err != nil {
		return 0, 0, err
	}
	if to <= from {
		return 0, 0, fmt.Errorf("window must end after it starts")
	}
	for _, d := range w.Weekdays {
		if d < 1 || d > 7 {
			return 0, 0, fmt.Errorf("weekday %d is not 1 (Monday) to 7 (Sunday)", d)
		}
	}
	return from, to, nil
}

func hhmm(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// inWindows reports whether local time at (already in the mall's zone) falls in one
// of windows; no windows means any time.
func inWindows(windows []Window, at time.Time) bool {
	if len(windows) == 0 {
		return true
	}
	wd := int(at.Weekday())
	if wd == 0 {
		wd = 7
	}
	m := at.Hour()*60 + at.Minute()
	for _, w := range windows {
		from, to, err := w.minutes()
		if err != nil || (len(w.Weekdays) > 0 && !slices.Contains(w.Weekdays, wd)) {
			continue
		}
		if m >= from && m < to {
			return true
		}
	}
	return false
}
