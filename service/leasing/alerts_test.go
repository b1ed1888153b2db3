package leasing

import (
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

func TestExpiryAlerts(t *testing.T) {
	today := schedule.D(2026, 6, 1)
	cases := []struct {
		name     string
		end      schedule.Date
		renewed  bool
		wantBand int // 0: no alert
	}{
		{"ends in 91 days: not yet", today.AddDays(91), false, 0},
		{"ends in 90 days", today.AddDays(90), false, 90},
		{"ends in 61 days", today.AddDays(61), false, 90},
		{"ends in 60 days", today.AddDays(60), false, 60},
		{"ends in 45 days", today.AddDays(45), false, 60},
		{"ends in 30 days", today.AddDays(30), false, 30},
		{"ends today", today, false, 30},
		{"ended yesterday", today.AddDays(-1), false, 0},
		{"renewed: no alert", today.AddDays(20), true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ExpiryAlerts([]Ending{{ContractID: uuid.New(), End: tc.end, Renewed: tc.renewed}}, today)
			switch {
			case tc.wantBand == 0 && len(got) != 0:
				t.Fatalf("alerts = %+v, want none", got)
			case tc.wantBand != 0 && (len(got) != 1 || got[0].Band != tc.wantBand || got[0].DaysLeft != tc.end.Sub(today)):
				t.Fatalf("alerts = %+v, want band %d", got, tc.wantBand)
			}
		})
	}
}

func TestLongVacant(t *testing.T) {
	today := schedule.D(2026, 6, 1)
	cases := []struct {
		name   string
		status UnitState
		since  schedule.Date
		want   bool
	}{
		{"vacant 91 days, threshold 90", UnitVacant, today.AddDays(-91), true},
		{"vacant exactly 90 days", UnitVacant, today.AddDays(-90), false},
		{"vacant 10 days", UnitVacant, today.AddDays(-10), false},
		{"off the market for long", UnitOffMarket, today.AddDays(-400), false},
		{"reserved", UnitReserved, today.AddDays(-400), false},
		{"leased", UnitLeased, schedule.Date{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := LongVacant([]VacancyOf{{UnitID: uuid.New(), Status: tc.status, VacantSince: tc.since}}, today, 90)
			if (len(got) == 1) != tc.want {
				t.Fatalf("LongVacant = %+v, want %v", got, tc.want)
			}
		})
	}
}
