package leasing

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

func TestAnnualRent(t *testing.T) {
	d := schedule.D
	base := schedule.Terms{Start: d(2026, 1, 1), End: d(2028, 12, 31),
		Units:   []schedule.Unit{{Code: "L1-01", Area: decimal.NewFromInt(100)}},
		Rent:    schedule.Rent{Basis: schedule.RentPerM2Monthly, Amount: decimal.NewFromInt(300)},
		Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5}}
	rentFree := base
	rentFree.Abatements = []schedule.Abatement{{Kind: schedule.AbateRentFree, Charge: schedule.CodeRent,
		From: d(2026, 1, 1), To: d(2026, 3, 31), Percent: decimal.NewFromInt(100)}}
	short := base
	short.End = d(2026, 6, 30)
	cases := []struct {
		name  string
		terms schedule.Terms
		want  string
	}{
		{"twelve months of per-m² rent", base, "360000"},
		{"rent-free months still count", rentFree, "360000"},
		{"a term shorter than a year", short, "180000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AnnualRent(tc.terms)
			if err != nil || !got.Equal(decimal.RequireFromString(tc.want)) {
				t.Fatalf("AnnualRent = %s, %v; want %s", got, err, tc.want)
			}
		})
	}
}

func TestFieldPath(t *testing.T) {
	got := fieldPath("escalations[0].value")
	if len(got) != 3 || got[0] != "escalations" || got[1] != "0" || got[2] != "value" {
		t.Fatalf("fieldPath = %v", got)
	}
}
