package leasing

import (
	"testing"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

func TestUnitStatus(t *testing.T) {
	d := schedule.D
	lease := Hold{From: d(2026, 1, 1), To: d(2026, 12, 31),
		FitOut: []schedule.Period{{Start: d(2026, 1, 1), End: d(2026, 1, 31)}}}
	next := Hold{From: d(2027, 3, 1), To: d(2028, 2, 29)}
	cases := []struct {
		name      string
		offMarket bool
		holds     []Hold
		on        schedule.Date
		want      UnitState
	}{
		{"never let", false, nil, d(2026, 6, 1), UnitVacant},
		{"off the market", true, nil, d(2026, 6, 1), UnitOffMarket},
		{"inside the fit-out period", false, []Hold{lease}, d(2026, 1, 15), UnitFitOut},
		{"let after the fit-out", false, []Hold{lease}, d(2026, 2, 1), UnitLeased},
		{"on the last day of the term", false, []Hold{lease}, d(2026, 12, 31), UnitLeased},
		{"before an approved contract starts", false, []Hold{lease}, d(2025, 12, 31), UnitReserved},
		{"between two contracts", false, []Hold{lease, next}, d(2027, 1, 15), UnitReserved},
		{"after the last contract", false, []Hold{lease}, d(2027, 1, 1), UnitVacant},
		{"let, though flagged off the market", true, []Hold{lease}, d(2026, 6, 1), UnitLeased},
		{"reserved beats off the market", true, []Hold{next}, d(2027, 1, 1), UnitReserved},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := UnitStatus(tc.offMarket, tc.holds, tc.on); got != tc.want {
				t.Fatalf("UnitStatus = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestVacantSince(t *testing.T) {
	d := schedule.D
	created := d(2025, 6, 1)
	ended := Hold{From: d(2025, 7, 1), To: d(2026, 6, 30)}
	cases := []struct {
		name  string
		holds []Hold
		on    schedule.Date
		want  schedule.Date
	}{
		{"never let: since it was created", nil, d(2026, 9, 1), created},
		{"after a lease: the day after it ended", []Hold{ended}, d(2026, 9, 1), d(2026, 7, 1)},
		{"a lease ending later does not count", []Hold{ended}, d(2026, 6, 30), created},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := VacantSince(tc.holds, tc.on, created); !got.Equal(tc.want) {
				t.Fatalf("VacantSince = %s, want %s", got, tc.want)
			}
		})
	}
}
