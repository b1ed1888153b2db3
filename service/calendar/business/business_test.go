package business_test

import (
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/calendar/business"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func iv(h1, m1, h2, m2 int) business.Interval {
	return business.Interval{From: business.Clock(h1, m1), To: business.Clock(h2, m2)}
}

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

// office: Mon–Fri 09–12 and 13–18; 1 Jan 2026 off (a Thursday), Sun 4 Jan 2026 a
// make-up day with its own short hours 10–16.
func office(t *testing.T) business.Calendar {
	c, err := business.New(business.Spec{Zone: shanghai,
		Week:   business.Weekdays(iv(9, 0, 12, 0), iv(13, 0, 18, 0)),
		MakeUp: business.Hours{iv(10, 0, 16, 0)},
		Days: []business.Day{{Date: day("2026-01-01"), Name: "元旦节", Kind: business.Off},
			{Date: day("2026-01-04"), Name: "元旦节", Kind: business.Work}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAdd(t *testing.T) {
	c := office(t)
	for _, tc := range []struct {
		name string
		from string
		d    time.Duration
		want string
	}{
		{"zero inside hours is the instant itself", "2026-01-05 10:00", 0, "2026-01-05 10:00"},
		{"zero outside hours is the next opening", "2026-01-05 12:30", 0, "2026-01-05 13:00"},
		{"filling the afternoon ends at closing", "2026-01-05 13:00", 5 * time.Hour, "2026-01-05 18:00"},
		{"one second more spills to the next morning", "2026-01-05 13:00", 5*time.Hour + time.Second, "2026-01-06 09:00:01"},
		{"a holiday Thursday is skipped", "2025-12-31 17:00", 2 * time.Hour, "2026-01-02 10:00"},                             // Wed 17–18, Thu off, Fri 09–10
		{"Saturday is closed, the make-up Sunday uses make-up hours", "2026-01-02 17:00", 3 * time.Hour, "2026-01-04 12:00"}, // Fri 1h, Sun 10–12
		{"after the make-up Sunday comes Monday", "2026-01-04 15:00", 2 * time.Hour, "2026-01-05 10:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := sh(tc.want[:16]).Add(secs(tc.want))
			if got := c.Add(sh(tc.from), tc.d); !got.Equal(want) {
				t.Errorf("Add = %s, want %s", got, want)
			}
		})
	}
}

func secs(s string) time.Duration {
	if len(s) > 16 {
		d, _ := time.ParseDuration(s[17:] + "s")
		return d
	}
	return 0
}

func TestBetween(t *testing.T) {
	c := office(t)
	for _, tc := range []struct {
		name     string
		from, to string
		want     time.Duration
	}{
		{"a whole working day is 8 hours", "2026-01-05 00:00", "2026-01-06 00:00", 8 * time.Hour},
		{"the lunch break does not count", "2026-01-05 11:00", "2026-01-05 14:00", 2 * time.Hour},
		{"a weekend does not count", "2026-01-09 17:00", "2026-01-12 10:00", 2 * time.Hour},
		{"holiday and make-up weekend", "2025-12-31 00:00", "2026-01-05 00:00", 8*time.Hour + 8*time.Hour + 6*time.Hour}, // Wed, Fri, make-up Sun
		{"reversed is zero", "2026-01-05 14:00", "2026-01-05 11:00", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Between(sh(tc.from), sh(tc.to)); got != tc.want {
				t.Errorf("Between = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsOpen(t *testing.T) {
	c := office(t)
	for at, want := range map[string]bool{
		"2026-01-05 09:00": true, "2026-01-05 12:00": false, "2026-01-05 17:59": true, "2026-01-05 18:00": false,
		"2026-01-01 10:00": false, "2026-01-03 10:00": false, "2026-01-04 10:00": true, "2026-01-04 09:30": false,
	} {
		if got := c.IsOpen(sh(at)); got != want {
			t.Errorf("IsOpen(%s) = %v, want %v", at, got, want)
		}
	}
}

func TestDSTDayKeepsWallClockHours(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	c, err := business.New(business.Spec{Zone: ny, Week: business.EveryDay(iv(0, 0, 24, 0))})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 8, 0, 0, 0, 0, ny) // spring forward: a 23-hour day
	if got := c.Between(start, time.Date(2026, 3, 9, 0, 0, 0, 0, ny)); got != 23*time.Hour {
		t.Errorf("8 March 2026 in New York has %v of business time, want 23h", got)
	}
	// 24h from Sunday 00:00 EST is Monday 01:00 EDT.
	if got, want := c.Add(start, 24*time.Hour), time.Date(2026, 3, 9, 1, 0, 0, 0, ny); !got.Equal(want) {
		t.Errorf("Add = %s, want %s", got, want)
	}
}

func TestNewRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec business.Spec
	}{
		{"no zone", business.Spec{Week: business.Weekdays(iv(9, 0, 18, 0))}},
		{"a week never open", business.Spec{Zone: shanghai}},
		{"overlapping intervals", business.Spec{Zone: shanghai, Week: business.Weekdays(iv(9, 0, 12, 0), iv(11, 0, 18, 0))}},
		{"an empty interval", business.Spec{Zone: shanghai, Week: business.Weekdays(iv(9, 0, 9, 0))}},
		{"past midnight", business.Spec{Zone: shanghai, Week: business.Weekdays(iv(22, 0, 25, 0))}},
		{"an unknown kind of day", business.Spec{Zone: shanghai, Week: business.Weekdays(iv(9, 0, 18, 0)),
			Days: []business.Day{{Date: day("2026-01-01"), Kind: "maybe"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := business.New(tc.spec); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := business.New(business.Spec{Zone: shanghai}); !errors.Is(err, business.ErrNeverOpen) {
		t.Errorf("never open: %v", err)
	}
}
