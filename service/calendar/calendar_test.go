package calendar

import (
	"testing"
	"time"
)

func TestZonesOf(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	z := NewZones(shanghai)
	cases := []struct {
		name string
		in   string
		want string
	}{
		{"named zone", "Europe/Paris", "Europe/Paris"},
		{"empty falls back to the deployment zone", "", "Asia/Shanghai"},
		{"unknown falls back to the deployment zone", "Mars/Olympus", "Asia/Shanghai"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := z.Of(tc.in).String(); got != tc.want {
				t.Fatalf("Of(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
	t.Run("no default is UTC", func(t *testing.T) {
		if got := NewZones(nil).Of("").String(); got != "UTC" {
			t.Fatalf("got %s", got)
		}
	})
}

func TestDays(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	// 2026-01-31 17:30 UTC is 2026-02-01 01:30 in Shanghai.
	late := time.Date(2026, 1, 31, 17, 30, 0, 0, time.UTC)
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"day crosses midnight in the mall's zone", DayString(late, shanghai), "2026-02-01"},
		{"day in UTC", DayString(late, time.UTC), "2026-01-31"},
		{"month crosses into February", Month(late, shanghai), "2026-02"},
		{"Day is midnight UTC of the date", Day(late, shanghai).Format(time.RFC3339), "2026-02-01T00:00:00Z"},
		{"start of day", StartOfDay(late, shanghai).UTC().Format(time.RFC3339), "2026-01-31T16:00:00Z"},
		{"start of month", StartOfMonth(late, shanghai).UTC().Format(time.RFC3339), "2026-01-31T16:00:00Z"},
		{"end of the same day", EndOfDayAfter(late, shanghai, 0).UTC().Format(time.RFC3339Nano), "2026-02-01T15:59:59.999999Z"},
		{"end of the 30th day after", EndOfDayAfter(late, shanghai, 30).UTC().Format(time.RFC3339Nano), "2026-03-03T15:59:59.999999Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("got %s, want %s", tc.got, tc.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		in   string
		ok   bool
	}{
		{"known", "Asia/Shanghai", true},
		{"empty", "", false},
		{"unknown", "Nowhere/Land", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := Check(tc.in); (err == nil) != tc.ok {
				t.Fatalf("Check(%q) = %v", tc.in, err)
			}
		})
	}
}
