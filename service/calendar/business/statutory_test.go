package business_test

import (
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/calendar/business"
)

// TestStatutoryDays checks lunar-go's rows against the State Council notices: 2025
// National Day and Mid-Autumn 1–8 Oct off with Sun 28 Sep and Sat 11 Oct worked; 2026
// Spring Festival 15–23 Feb off with Sat 14 Feb and Sat 28 Feb worked; 2026 New Year
// 1–3 Jan off with Sun 4 Jan worked. Cross-checked with the 2026 notice
// (gov.cn/zhengce/content/202511/content_7047090.htm, as transcribed by holiday-cn and
// china-holiday-calender) and lunar's HolidayUtil docs: work=true is a make-up working
// day, target the festival it belongs to.
func TestStatutoryDays(t *testing.T) {
	rows := map[int]map[string]business.Day{}
	for _, y := range []int{2025, 2026} {
		rows[y] = byDate(t, business.StatutoryDays(y), y)
	}
	for _, tc := range []struct {
		name  string
		year  int
		dates []string
		kind  business.Kind
		fest  string
	}{
		{"2025 National Day days off", 2025, span("2025-10-01", 8), business.Off, "国庆中秋"},
		{"2025 National Day make-up days", 2025, []string{"2025-09-28", "2025-10-11"}, business.Work, "国庆中秋"},
		{"2026 Spring Festival days off", 2026, span("2026-02-15", 9), business.Off, "春节"},
		{"2026 Spring Festival make-up Saturdays", 2026, []string{"2026-02-14", "2026-02-28"}, business.Work, "春节"},
		{"2026 New Year days off", 2026, span("2026-01-01", 3), business.Off, "元旦节"},
		{"2026 New Year make-up Sunday", 2026, []string{"2026-01-04"}, business.Work, "元旦节"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range tc.dates {
				r, ok := rows[tc.year][d]
				if !ok || r.Kind != tc.kind || r.Name != tc.fest {
					t.Errorf("%s: %+v (present %v), want %s %s", d, r, ok, tc.kind, tc.fest)
				}
			}
		})
	}
	t.Run("ordinary days are absent", func(t *testing.T) {
		for _, d := range []string{"2025-10-09", "2025-10-10", "2026-02-13", "2026-02-24", "2026-02-27"} {
			if r, ok := rows[2025][d]; ok {
				t.Errorf("%s listed: %+v", d, r)
			}
			if r, ok := rows[2026][d]; ok {
				t.Errorf("%s listed: %+v", d, r)
			}
		}
	})
	t.Run("a year without data has no rows", func(t *testing.T) {
		if rows := business.StatutoryDays(1990); len(rows) != 0 {
			t.Errorf("1990: %d rows", len(rows))
		}
	})
}

// byDate indexes rows, checking they are sorted, unique, in year and midnight UTC.
func byDate(t *testing.T, rows []business.Day, year int) map[string]business.Day {
	t.Helper()
	m := map[string]business.Day{}
	var last time.Time
	for _, r := range rows {
		if r.Date.Year() != year || r.Date.Location() != time.UTC || r.Date.Hour() != 0 || !r.Date.After(last) {
			t.Fatalf("row %+v: not a sorted midnight-UTC date of %d", r, year)
		}
		last = r.Date
		m[r.Date.Format(time.DateOnly)] = r
	}
	return m
}

func span(first string, n int) []string {
	d, _ := time.Parse(time.DateOnly, first)
	out := make([]string, n)
	for i := range out {
		out[i] = d.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return out
}
