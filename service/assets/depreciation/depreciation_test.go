package depreciation_test

import (
	"testing"
	"time"

	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
)

// worked is an asset with its schedule worked out by hand (amounts in fen).
type worked struct {
	name    string
	asset   dep.Asset
	through time.Time        // zero: the whole life
	want    map[string]int64 // some months' amounts
	months  int              // months listed
	total   int64            // what the schedule sums to
	value   map[string]int64 // valuations at days ("2026-06-15")
}

var d = dep.D

func TestWorkedExamples(t *testing.T) {
	t.Parallel()
	cases := []worked{
		{name: "straight-line, whole months", asset: dep.Asset{Cost: 1_200_000, LifeMonths: 12, Method: dep.StraightLine,
			InService: d(2026, 1, 1)}, months: 12, total: 1_200_000,
			want:  map[string]int64{"2026-01": 100_000, "2026-06": 100_000, "2026-12": 100_000},
			value: map[string]int64{"2025-12-31": 1_200_000, "2026-01-31": 1_100_000, "2026-12-31": 0, "2030-01-01": 0}},
		{name: "straight-line, first and last period prorated by days", asset: dep.Asset{Cost: 1_000_000, Salvage: 100_000,
			LifeMonths: 36, Method: dep.StraightLine, InService: d(2026, 1, 16)}, months: 37, total: 900_000,
			// January: 16 of 31 days of 25 000; the last January (1–15) takes the rest.
			want:  map[string]int64{"2026-01": 12_903, "2026-02": 25_000, "2028-12": 25_000, "2029-01": 12_097},
			value: map[string]int64{"2026-01-31": 987_097, "2029-01-15": 100_000, "2029-06-30": 100_000}},
		{name: "double-declining switching to straight-line", asset: dep.Asset{Cost: 100_000, LifeMonths: 5,
			Method: dep.DoubleDeclining, InService: d(2026, 1, 1)}, months: 5, total: 100_000,
			// 40% a month of the book value: 40 000, 24 000, 14 400; in April straight-line on
			// the 21 600 left over two months (10 800) beats 8 640 and stays.
			want: map[string]int64{"2026-01": 40_000, "2026-02": 24_000, "2026-03": 14_400, "2026-04": 10_800,
				"2026-05": 10_800},
			value: map[string]int64{"2026-03-31": 21_600}},
		{name: "declining balance 150%, last period down to salvage", asset: dep.Asset{Cost: 100_000, Salvage: 10_000,
			LifeMonths: 6, Method: dep.DecliningBalance, InService: d(2026, 1, 1)}, months: 6, total: 90_000,
			// 25% a month: 25 000, 18 750, 14 063 (14 062.5 rounded), 10 547, 7 910; June takes the rest.
			want: map[string]int64{"2026-01": 25_000, "2026-02": 18_750, "2026-03": 14_063, "2026-04": 10_547,
				"2026-05": 7_910, "2026-06": 13_730}},
		{name: "disposal mid-year depreciates to the disposal date only", asset: dep.Asset{Cost: 6_000_000, LifeMonths: 60,
			Method: dep.StraightLine, InService: d(2026, 1, 1)}, through: d(2026, 6, 15), months: 6, total: 550_000,
			// June: 15 of 30 days of 100 000, never the whole month.
			want:  map[string]int64{"2026-05": 100_000, "2026-06": 50_000},
			value: map[string]int64{"2026-06-15": 5_450_000}},
		{name: "opening asset imported mid-life with its accumulated depreciation", asset: dep.Asset{Cost: 3_600_000,
			LifeMonths: 36, Method: dep.StraightLine, InService: d(2025, 1, 1), OpeningDate: d(2026, 1, 1),
			OpeningAccumulated: 1_300_000}, months: 24, total: 2_300_000,
			// 2 300 000 left over the 24 months left: 95 833.33 a month, rounded cumulatively.
			want:  map[string]int64{"2026-01": 95_833, "2026-02": 95_834, "2026-03": 95_833, "2027-12": 95_833},
			value: map[string]int64{"2025-06-30": 2_300_000, "2025-12-31": 2_300_000, "2026-01-31": 2_204_167, "2027-12-31": 0}},
		{name: "opening asset on double-declining continues from its book value", asset: dep.Asset{Cost: 100_000,
			LifeMonths: 5, Method: dep.DoubleDeclining, InService: d(2026, 1, 1), OpeningDate: d(2026, 3, 1),
			OpeningAccumulated: 64_000}, months: 3, total: 36_000,
			want: map[string]int64{"2026-03": 14_400, "2026-04": 10_800, "2026-05": 10_800}},
		{name: "leap year: February 2024 has 29 days", asset: dep.Asset{Cost: 1_200_000, LifeMonths: 12,
			Method: dep.StraightLine, InService: d(2024, 2, 15)}, months: 13, total: 1_200_000,
			// 15 of 29 days of 100 000; life ends 14 Feb 2025, whose month takes the rest.
			want:  map[string]int64{"2024-02": 51_724, "2024-03": 100_000, "2025-02": 48_276},
			value: map[string]int64{"2024-02-29": 1_148_276, "2025-02-14": 0}},
		{name: "units of use: months depreciate by the units used", asset: dep.Asset{Cost: 1_000_000, LifeMonths: 60,
			Method: dep.UnitsOfUse, InService: d(2026, 1, 1), TotalUnits: 10_000,
			Usage: map[string]int64{"2026-01": 3_000, "2026-03": 4_000, "2026-04": 5_000}}, through: d(2026, 5, 31),
			months: 5, total: 1_000_000,
			// April's 5 000 units pass the 10 000 total: April takes the rest, May nothing.
			want: map[string]int64{"2026-01": 300_000, "2026-02": 0, "2026-03": 400_000, "2026-04": 300_000, "2026-05": 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			through := tc.through
			if through.IsZero() {
				through = tc.asset.EndOfLife()
			}
			ps, err := dep.Depreciate(tc.asset, through)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != tc.months {
				t.Errorf("%d months, want %d: %+v", len(ps), tc.months, ps)
			}
			if got := dep.Sum(ps); got != tc.total {
				t.Errorf("sum %d fen, want %d", got, tc.total)
			}
			if tc.through.IsZero() && tc.asset.Method != dep.UnitsOfUse &&
				tc.asset.OpeningAccumulated+dep.Sum(ps) != tc.asset.Cost-tc.asset.Salvage {
				t.Errorf("opening %d + schedule %d ≠ cost − salvage %d", tc.asset.OpeningAccumulated, dep.Sum(ps),
					tc.asset.Cost-tc.asset.Salvage)
			}
			got := map[string]int64{}
			for _, p := range ps {
				got[p.Key] = p.Amount
				if p.Amount < 0 {
					t.Errorf("%s: negative %d", p.Key, p.Amount)
				}
			}
			for k, w := range tc.want {
				if got[k] != w {
					t.Errorf("%s: %d fen, want %d", k, got[k], w)
				}
			}
			for day, w := range tc.value {
				at, _ := time.Parse(time.DateOnly, day)
				if v, err := dep.Valuation(tc.asset, at); err != nil || v != w {
					t.Errorf("valuation at %s: %d, %v; want %d", day, v, err, w)
				}
			}
			valuationIsCostLessPosted(t, tc.asset, ps)
		})
	}
}

// valuationIsCostLessPosted: at every month's end of a schedule, and every day of one
// month, the valuation is cost − opening − the months posted through that day (and, in
// the middle of a month, its part to that day, never more than the whole month).
func valuationIsCostLessPosted(t *testing.T, a dep.Asset, ps []dep.Period) {
	t.Helper()
	posted := a.OpeningAccumulated
	for _, p := range ps {
		for day := p.Start; !day.After(p.End); day = day.AddDate(0, 0, 1) {
			v, err := dep.Valuation(a, day)
			if err != nil {
				t.Fatal(err)
			}
			part := a.Cost - posted - v
			if part < 0 || part > p.Amount || (day.Equal(p.End) && part != p.Amount) {
				t.Fatalf("valuation at %s is %d: %d of %s's %d", day.Format(time.DateOnly), v, part, p.Key, p.Amount)
			}
		}
		posted += p.Amount
	}
}

func TestInvalidAssets(t *testing.T) {
	t.Parallel()
	ok := dep.Asset{Cost: 100, LifeMonths: 12, Method: dep.StraightLine, InService: d(2026, 1, 1)}
	for name, change := range map[string]func(*dep.Asset){
		"salvage above cost":           func(a *dep.Asset) { a.Salvage = 101 },
		"no life":                      func(a *dep.Asset) { a.LifeMonths = 0 },
		"no in-service date":           func(a *dep.Asset) { a.InService = time.Time{} },
		"unknown method":               func(a *dep.Asset) { a.Method = "SUM_OF_YEARS" },
		"opening before in service":    func(a *dep.Asset) { a.OpeningDate = d(2025, 1, 1) },
		"opening accumulated too big":  func(a *dep.Asset) { a.OpeningDate, a.OpeningAccumulated = d(2026, 2, 1), 101 },
		"opening without a date":       func(a *dep.Asset) { a.OpeningAccumulated = 10 },
		"units of use without a total": func(a *dep.Asset) { a.Method = dep.UnitsOfUse },
	} {
		a := ok
		change(&a)
		if _, err := dep.Schedule(a); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := dep.Schedule(ok); err != nil {
		t.Fatal(err)
	}
}

// TestEverySchedulesSumsToTheFen: awkward costs, lives and start days, every method:
// each whole schedule sums to cost − salvage exactly.
func TestEverySchedulesSumsToTheFen(t *testing.T) {
	t.Parallel()
	for _, m := range []dep.Method{dep.StraightLine, dep.DecliningBalance, dep.DoubleDeclining} {
		for _, life := range []int{1, 7, 13, 61} {
			for _, start := range []time.Time{d(2024, 1, 31), d(2024, 2, 29), d(2025, 12, 17)} {
				a := dep.Asset{Cost: 1_234_567, Salvage: 1_001, LifeMonths: life, Method: m, InService: start}
				ps, err := dep.Schedule(a)
				if err != nil || dep.Sum(ps) != a.Cost-a.Salvage {
					t.Errorf("%s life %d from %s: sum %d, %v", m, life, start.Format(time.DateOnly), dep.Sum(ps), err)
				}
			}
		}
	}
}
