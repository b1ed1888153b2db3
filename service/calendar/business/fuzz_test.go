package business_test

import (
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/calendar/business"
)

// FuzzAddBetween: Add and Between are inverse (the business time from t to Add(t, d)
// is d), Add is monotone in d, and a positive d ends where the second before is open;
// in a DST zone, over years of holidays and make-up days.
func FuzzAddBetween(f *testing.F) {
	f.Add(uint32(0), uint32(3600), uint32(60))
	f.Add(uint32(66*86400), uint32(8*3600), uint32(1)) // New York spring-forward week
	f.Fuzz(func(t *testing.T, at, d, more uint32) {
		ny, _ := time.LoadLocation("America/New_York")
		c, err := business.New(business.Spec{Zone: ny,
			Week: business.Weekdays(iv(1, 30, 2, 30), iv(9, 0, 12, 0), iv(13, 0, 18, 0)),
			Days: append(business.StatutoryDays(2026), business.StatutoryDays(2027)...)})
		if err != nil {
			t.Fatal(err)
		}
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, ny).Add(time.Duration(at%(700*86400)) * time.Second)
		dur := time.Duration(d%(300*3600)+1) * time.Second
		end := c.Add(from, dur)
		if got := c.Between(from, end); got != dur {
			t.Fatalf("Between(%s, Add(%v) = %s) = %v", from, dur, end, got)
		}
		if !c.IsOpen(end.Add(-time.Second)) {
			t.Fatalf("Add(%s, %v) = %s: the second before is closed", from, dur, end)
		}
		if end2 := c.Add(from, dur+time.Duration(more%86400)*time.Second); end2.Before(end) {
			t.Fatalf("longer is earlier: %s < %s", end2, end)
		}
	})
}
