package schedule

import "testing"

func TestLateFee(t *testing.T) {
	rule := LateFee{RatePerDay: dec("0.0005"), GraceDays: 5, CapPercent: dec("10")}
	due := D(2026, 3, 5)
	cases := []struct {
		name    string
		rule    LateFee
		overdue string
		on      Date
		want    string
	}{
		{"paid on the due day: nothing", rule, "10000", due, "0.00"},
		{"inside the grace days: nothing", rule, "10000", D(2026, 3, 10), "0.00"},
		// Mar 11 is 6 days after Mar 5, 1 after the grace: 10000 × 0.0005 × 1 = 5.
		{"first day after the grace", rule, "10000", D(2026, 3, 11), "5.00"},
		// Apr 4 is 30 days after; 25 after the grace: 10000 × 0.0005 × 25 = 125.
		{"counted per day after the grace", rule, "10000", D(2026, 4, 4), "125.00"},
		// 500 days after the grace would be 2500; the cap is 10 % of 10000 = 1000.
		{"capped at a percentage of the overdue amount", rule, "10000", due.AddDays(505), "1000.00"},
		// No cap: 10000 × 0.0005 × 500 = 2500.
		{"no cap when the cap is zero", LateFee{RatePerDay: dec("0.0005"), GraceDays: 5}, "10000", due.AddDays(505), "2500.00"},
		// 333.33 × 0.0005 × 3 = 0.499995 → 0.50.
		{"rounded half away from zero to cents", LateFee{RatePerDay: dec("0.0005")}, "333.33", due.AddDays(3), "0.50"},
		{"nothing on a credit", rule, "-100", due.AddDays(100), "0.00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.Fee(dec(tc.overdue), due, tc.on); !got.Equal(dec(tc.want)) {
				t.Fatalf("Fee = %s, want %s", got, tc.want)
			}
		})
	}
}
