package signinrule

import (
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	window := Rule{Opens: at("2026-06-01 09:00"), Closes: at("2026-06-03 18:00")}
	repeat := window
	repeat.Repeatable, repeat.MaxPerDay = true, 2
	gap := window
	gap.Repeatable, gap.MinGap = true, time.Hour
	unlimited := window
	unlimited.Repeatable = true
	for _, c := range []struct {
		name    string
		rule    Rule
		earlier []string
		at      string
		allowed bool
		reason  string
	}{
		{"no window configured", Rule{}, nil, "2026-06-01 10:00", false, NoWindowRule},
		{"before the window", window, nil, "2026-06-01 08:59", false, NotOpen},
		{"at the window's opening", window, nil, "2026-06-01 09:00", true, ""},
		{"at the window's end (exclusive)", window, nil, "2026-06-03 18:00", false, Closed},
		{"once only: first sign-in", window, nil, "2026-06-02 12:00", true, ""},
		{"once only: second sign-in another day", window, []string{"2026-06-01 10:00"}, "2026-06-02 12:00", false, AlreadyDone},
		{"repeatable, two a day: second the same day", repeat, []string{"2026-06-01 10:00"}, "2026-06-01 11:00", true, ""},
		{"repeatable, two a day: third the same day", repeat, []string{"2026-06-01 10:00", "2026-06-01 11:00"}, "2026-06-01 17:00", false, DayLimit},
		{"repeatable, two a day: next day again", repeat, []string{"2026-06-01 10:00", "2026-06-01 11:00"}, "2026-06-02 09:30", true, ""},
		{"day is the mall's day, not UTC's", repeat, []string{"2026-06-01 10:00", "2026-06-01 11:00"}, "2026-06-02 00:30", true, ""},
		{"minimum gap: too soon", gap, []string{"2026-06-01 10:00"}, "2026-06-01 10:59", false, TooSoon},
		{"minimum gap: exactly the gap", gap, []string{"2026-06-01 10:00"}, "2026-06-01 11:00", true, ""},
		{"repeatable without limits: many a day", unlimited, []string{"2026-06-01 10:00", "2026-06-01 10:01", "2026-06-01 10:02"}, "2026-06-01 10:03", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var earlier []time.Time
			for _, e := range c.earlier {
				earlier = append(earlier, at(e))
			}
			got := Decide(c.rule, earlier, at(c.at), sh)
			if got.Allowed != c.allowed || got.Reason != c.reason {
				t.Fatalf("Decide = %+v, want allowed=%v reason=%q", got, c.allowed, c.reason)
			}
		})
	}
}
