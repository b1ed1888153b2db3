package energy

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/meters"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

// local is a wall-clock instant in Shanghai, given in UTC (as readings arrive).
func local(mo time.Month, d, h, m int) time.Time {
	return time.Date(2026, mo, d, h, m, 0, 0, shanghai).UTC()
}

func read(at time.Time, v string) meters.Point { return meters.Point{At: at, Value: dec(v)} }

// april12 is the period 2026-04-01..2026-04-02: cut-offs at 04-01 00:00 and 04-03 00:00.
var april12 = schedule.Period{Start: schedule.D(2026, 4, 1), End: schedule.D(2026, 4, 2)}

// The tariffs of the matrix. Time of use: PEAK 08:00–22:00 (14 h) at 1.2, VALLEY
// 22:00–08:00 (10 h, across midnight) at 0.4.
var tariffs = map[string]Tariff{
	"flat":      {Kind: Flat, Price: ptr(dec("0.95"))},
	"two tiers": {Kind: Tiered, Tiers: []Tier{{UpTo: ptr(dec("30")), Price: dec("0.8")}, {Price: dec("1.0")}}},
	"three tiers": {Kind: Tiered, Tiers: []Tier{{UpTo: ptr(dec("10")), Price: dec("0.5")},
		{UpTo: ptr(dec("40")), Price: dec("0.8")}, {Price: dec("1.0")}}},
	"time of use": {Kind: TimeOfUse, Bands: []Band{
		{Name: Peak, Price: dec("1.2"), Hours: []Span{{From: 8 * 60, To: 22 * 60}}},
		{Name: Valley, Price: dec("0.4"), Hours: []Span{{From: 22 * 60, To: 8 * 60}}}}},
}

// TestLinesMatrix: each way readings can fall (rollover, replacement, estimated and
// missing cut-offs, no readings, backwards readings) × each tariff kind.
func TestLinesMatrix(t *testing.T) {
	t.Parallel()
	max := dec("10000")
	scenarios := []struct {
		name       string
		meter      Meter
		consumed   string
		start, end meters.ValueKind
		flags      []Flag
		bands      [2]string // PEAK, VALLEY
		amounts    map[string]string
	}{
		{name: "actual readings at both cut-offs",
			meter:    Meter{Readings: []meters.Point{read(local(4, 1, 0, 0), "1000"), read(local(4, 3, 0, 0), "1048")}},
			consumed: "48", start: meters.Actual, end: meters.Actual, bands: [2]string{"28", "20"},
			amounts: map[string]string{"flat": "45.60", "two tiers": "42.00", "three tiers": "37.00", "time of use": "41.60"}},
		{name: "readings within tolerance of the cut-offs",
			meter: Meter{Readings: []meters.Point{read(local(3, 31, 23, 50), "1000"), read(local(4, 2, 0, 0), "1024"),
				read(local(4, 3, 0, 20), "1048")}},
			consumed: "48", start: meters.Actual, end: meters.Actual, bands: [2]string{"27.712", "20.288"},
			amounts: map[string]string{"flat": "45.60", "two tiers": "42.00", "three tiers": "37.00", "time of use": "41.37"}},
		{name: "rollover",
			meter: Meter{Max: &max, Readings: []meters.Point{read(local(4, 1, 0, 0), "9980"), read(local(4, 2, 0, 0), "4"),
				read(local(4, 3, 0, 0), "28")}},
			consumed: "48", start: meters.Actual, end: meters.Actual, bands: [2]string{"28", "20"},
			amounts: map[string]string{"flat": "45.60", "two tiers": "42.00", "three tiers": "37.00", "time of use": "41.60"}},
		{name: "replacement mid-period",
			meter: Meter{Readings: []meters.Point{read(local(4, 1, 0, 0), "500"), read(local(4, 3, 0, 0), "24")},
				Replacements: []meters.Replacement{{At: local(4, 2, 0, 0), OldFinal: ptr(dec("524")), NewStart: dec("0")}}},
			consumed: "48", start: meters.Actual, end: meters.Actual, bands: [2]string{"28", "20"},
			amounts: map[string]string{"flat": "45.60", "two tiers": "42.00", "three tiers": "37.00", "time of use": "41.60"}},
		{name: "replacement and rollover",
			meter: Meter{Max: &max, Readings: []meters.Point{read(local(4, 1, 0, 0), "9990"), read(local(4, 1, 12, 0), "2"),
				read(local(4, 3, 0, 0), "24")},
				Replacements: []meters.Replacement{{At: local(4, 2, 0, 0), OldFinal: ptr(dec("14")), NewStart: dec("0")}}},
			consumed: "48", start: meters.Actual, end: meters.Actual, bands: [2]string{"28", "20"},
			amounts: map[string]string{"flat": "45.60", "two tiers": "42.00", "three tiers": "37.00", "time of use": "41.60"}},
		{name: "estimated start and end",
			meter:    Meter{Readings: []meters.Point{read(local(3, 31, 12, 0), "988"), read(local(4, 3, 12, 0), "1060")}},
			consumed: "48", start: meters.Estimated, end: meters.Estimated, flags: []Flag{FlagEstimated},
			bands:   [2]string{"28", "20"},
			amounts: map[string]string{"flat": "45.60", "two tiers": "42.00", "three tiers": "37.00", "time of use": "41.60"}},
		{name: "no reading after the period start: partial",
			meter:    Meter{Readings: []meters.Point{read(local(4, 1, 0, 0), "1000"), read(local(4, 2, 0, 0), "1024")}},
			consumed: "24", start: meters.Actual, end: meters.AfterLast, flags: []Flag{FlagPartial}, bands: [2]string{"14", "10"},
			amounts: map[string]string{"flat": "22.80", "two tiers": "19.20", "three tiers": "16.20", "time of use": "20.80"}},
		{name: "meter installed mid-period: partial",
			meter:    Meter{Readings: []meters.Point{read(local(4, 2, 0, 0), "0"), read(local(4, 3, 0, 0), "24")}},
			consumed: "24", start: meters.BeforeFirst, end: meters.Actual, flags: []Flag{FlagPartial}, bands: [2]string{"14", "10"},
			amounts: map[string]string{"flat": "22.80", "two tiers": "19.20", "three tiers": "16.20", "time of use": "20.80"}},
		{name: "no readings",
			consumed: "0", start: meters.NoPoints, end: meters.NoPoints, flags: []Flag{FlagNoReadings}, bands: [2]string{"0", "0"},
			amounts: map[string]string{"flat": "0", "two tiers": "0", "three tiers": "0", "time of use": "0"}},
		{name: "backwards reading ignored",
			meter: Meter{Readings: []meters.Point{read(local(4, 1, 0, 0), "1000"), read(local(4, 2, 0, 0), "1024"),
				read(local(4, 2, 6, 0), "1010"), read(local(4, 3, 0, 0), "1048")}},
			consumed: "48", start: meters.Actual, end: meters.Actual, flags: []Flag{FlagBackwardsIgnored},
			bands:   [2]string{"28", "20"},
			amounts: map[string]string{"flat": "45.60", "two tiers": "42.00", "three tiers": "37.00", "time of use": "41.60"}},
	}
	for _, sc := range scenarios {
		for tname, tariff := range tariffs {
			t.Run(sc.name+"/"+tname, func(t *testing.T) {
				m := sc.meter
				m.ID, m.Unit = "m1", "L1-01"
				ls, err := Lines(Params{Period: april12, Loc: shanghai, Tariff: tariff}, []Meter{m})
				if err != nil {
					t.Fatal(err)
				}
				l := ls[0]
				u := l.Meters[0]
				if len(ls) != 1 || !l.Consumption.Equal(dec(sc.consumed)) || !l.Amount.Equal(dec(sc.amounts[tname])) {
					t.Fatalf("consumption %s amount %s, want %s %s; parts %+v", l.Consumption, l.Amount, sc.consumed,
						sc.amounts[tname], l.Parts)
				}
				if u.Start.Value.Kind != sc.start || u.End.Value.Kind != sc.end || !slices.Equal(l.Flags, sc.flags) {
					t.Fatalf("start %s end %s flags %v; want %s %s %v (%v)", u.Start.Value.Kind, u.End.Value.Kind, l.Flags,
						sc.start, sc.end, sc.flags, u.Reasons)
				}
				if len(u.Reasons) < len(l.Flags) || (len(l.Flags) == 0) != (len(u.Reasons) == 0) {
					t.Fatalf("flags %v without one reason each: %v", l.Flags, u.Reasons)
				}
				if tariff.Kind == TimeOfUse && (!u.Bands[0].Quantity.Equal(dec(sc.bands[0])) || !u.Bands[1].Quantity.Equal(dec(sc.bands[1]))) {
					t.Fatalf("bands %+v, want %v", u.Bands, sc.bands)
				}
				sum := decimal.Zero
				for _, p := range l.Parts {
					sum = sum.Add(p.Quantity)
				}
				if !sum.Equal(l.Consumption) {
					t.Fatalf("parts %+v add up to %s, not the consumption %s", l.Parts, sum, l.Consumption)
				}
			})
		}
	}
}

// TestLinesLinkReadings: a line names the readings its cut-offs came from, so a bill
// line can link them: the reading itself when actual, both neighbours when estimated.
func TestLinesLinkReadings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		readings  []meters.Point
		startRead []time.Time
		endRead   []time.Time
		startRaw  string
	}{
		{name: "actual", readings: []meters.Point{read(local(4, 1, 0, 10), "10"), read(local(4, 3, 0, 0), "20")},
			startRead: []time.Time{local(4, 1, 0, 10)}, endRead: []time.Time{local(4, 3, 0, 0)}, startRaw: "10"},
		{name: "estimated",
			readings:  []meters.Point{read(local(3, 31, 0, 0), "0"), read(local(4, 2, 0, 0), "48"), read(local(4, 4, 0, 0), "96")},
			startRead: []time.Time{local(3, 31, 0, 0), local(4, 2, 0, 0)}, endRead: []time.Time{local(4, 2, 0, 0), local(4, 4, 0, 0)},
			startRaw: "24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, err := Lines(Params{Period: april12, Loc: shanghai, Tariff: tariffs["flat"]},
				[]Meter{{ID: "m", Unit: "u", Readings: tt.readings}})
			if err != nil {
				t.Fatal(err)
			}
			u := ls[0].Meters[0]
			at := func(ps []meters.Point) []time.Time {
				var out []time.Time
				for _, p := range ps {
					out = append(out, p.At)
				}
				return out
			}
			if !slices.EqualFunc(at(u.Start.Value.Readings), tt.startRead, time.Time.Equal) ||
				!slices.EqualFunc(at(u.End.Value.Readings), tt.endRead, time.Time.Equal) || !u.Start.Value.Raw.Equal(dec(tt.startRaw)) {
				t.Fatalf("start %+v end %+v", u.Start, u.End)
			}
			if !u.Start.At.Equal(local(4, 1, 0, 0)) || !u.End.At.Equal(local(4, 3, 0, 0)) {
				t.Fatalf("cut-offs %s %s, want local midnights", u.Start.At, u.End.At)
			}
		})
	}
}

// TestUnitLines: a unit's meters are summed into one line (tiers on the total), or
// billed one line per meter.
func TestUnitLines(t *testing.T) {
	t.Parallel()
	a := Meter{ID: "a", Unit: "L1-01", Readings: []meters.Point{read(local(4, 1, 0, 0), "0"), read(local(4, 3, 0, 0), "48")}}
	b := Meter{ID: "b", Unit: "L1-01", Readings: []meters.Point{read(local(4, 1, 0, 0), "0"), read(local(4, 2, 0, 0), "24")}}
	c := Meter{ID: "c", Unit: "L1-02", Readings: []meters.Point{read(local(4, 1, 0, 0), "0"), read(local(4, 3, 0, 0), "10")}}
	tests := []struct {
		name     string
		tariff   string
		perMeter bool
		units    []string
		amounts  []string
		flags    [][]Flag
	}{
		{name: "tiers on the unit's total", tariff: "two tiers", units: []string{"L1-01", "L1-02"},
			amounts: []string{"66.00", "8.00"}, flags: [][]Flag{{FlagPartial}, nil}},
		{name: "tiers per meter", tariff: "two tiers", perMeter: true, units: []string{"L1-01", "L1-01", "L1-02"},
			amounts: []string{"42.00", "19.20", "8.00"}, flags: [][]Flag{nil, {FlagPartial}, nil}},
		{name: "time of use summed per band", tariff: "time of use", units: []string{"L1-01", "L1-02"},
			amounts: []string{"62.40", "8.67"}, flags: [][]Flag{{FlagPartial}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, err := Lines(Params{Period: april12, Loc: shanghai, Tariff: tariffs[tt.tariff], PerMeter: tt.perMeter},
				[]Meter{c, b, a})
			if err != nil {
				t.Fatal(err)
			}
			if len(ls) != len(tt.units) {
				t.Fatalf("%d lines", len(ls))
			}
			for i, l := range ls {
				if l.Unit != tt.units[i] || !l.Amount.Equal(dec(tt.amounts[i])) || !slices.Equal(l.Flags, tt.flags[i]) {
					t.Errorf("line %d: %s %s %v; want %s %s %v", i, l.Unit, l.Amount, l.Flags, tt.units[i], tt.amounts[i], tt.flags[i])
				}
			}
		})
	}
}

// TestTimeOfUseBands: an interval is split over the bands in proportion to its time in
// each, on Shanghai's wall clock, across midnight.
func TestTimeOfUseBands(t *testing.T) {
	t.Parallel()
	fourBands := Tariff{Kind: TimeOfUse, Bands: []Band{
		{Name: Sharp, Price: dec("1.5"), Hours: []Span{{From: 19 * 60, To: 21 * 60}}},
		{Name: Peak, Price: dec("1.2"), Hours: []Span{{From: 8 * 60, To: 11 * 60}, {From: 18 * 60, To: 19 * 60}, {From: 21 * 60, To: 23 * 60}}},
		{Name: Normal, Price: dec("0.8"), Hours: []Span{{From: 7 * 60, To: 8 * 60}, {From: 11 * 60, To: 18 * 60}}},
		{Name: Valley, Price: dec("0.3"), Hours: []Span{{From: 23 * 60, To: 7 * 60}}},
	}}
	tests := []struct {
		name     string
		readings []meters.Point
		want     [4]string // SHARP, PEAK, FLAT, VALLEY
		amount   string
	}{
		{name: "hourly readings across midnight all valley",
			readings: []meters.Point{read(local(4, 1, 0, 0), "0"), read(local(4, 1, 23, 0), "0"), read(local(4, 2, 0, 0), "5"),
				read(local(4, 2, 7, 0), "12"), read(local(4, 3, 0, 0), "12")},
			want: [4]string{"0", "0", "0", "12"}, amount: "3.60"},
		{name: "one interval 22:00 to 02:00 split 1 h peak, 3 h valley",
			readings: []meters.Point{read(local(4, 1, 0, 0), "0"), read(local(4, 1, 22, 0), "0"), read(local(4, 2, 2, 0), "8"),
				read(local(4, 3, 0, 0), "8")},
			want: [4]string{"0", "2", "0", "6"}, amount: "4.20"},
		{name: "whole days by the hours of each band",
			readings: []meters.Point{read(local(4, 1, 0, 0), "0"), read(local(4, 3, 0, 0), "48")},
			want:     [4]string{"4", "12", "16", "16"}, amount: "38.00"},
		{name: "thirds apportioned to the thousandth",
			readings: []meters.Point{read(local(4, 1, 0, 0), "0"), read(local(4, 1, 18, 0), "0"), read(local(4, 1, 21, 0), "1"),
				read(local(4, 3, 0, 0), "1")},
			want: [4]string{"0.667", "0.333", "0", "0"}, amount: "1.40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, err := Lines(Params{Period: april12, Loc: shanghai, Tariff: fourBands}, []Meter{{ID: "m", Unit: "u", Readings: tt.readings}})
			if err != nil {
				t.Fatal(err)
			}
			for i, q := range ls[0].Meters[0].Bands {
				if !q.Quantity.Equal(dec(tt.want[i])) {
					t.Errorf("band %s = %s, want %s", q.Name, q.Quantity, tt.want[i])
				}
			}
			if !ls[0].Amount.Equal(dec(tt.amount)) {
				t.Errorf("amount %s, want %s (%+v)", ls[0].Amount, tt.amount, ls[0].Parts)
			}
		})
	}
}

// TestLinesRefuse: bad parameters are refused with the field named.
func TestLinesRefuse(t *testing.T) {
	t.Parallel()
	ok := Params{Period: april12, Loc: shanghai, Tariff: tariffs["flat"]}
	tests := []struct {
		name  string
		p     func(p Params) Params
		field string
	}{
		{name: "no zone", p: func(p Params) Params { p.Loc = nil; return p }, field: "loc"},
		{name: "end before start", p: func(p Params) Params { p.Period.End = p.Period.Start.AddDays(-1); return p }, field: "period"},
		{name: "negative tolerance", p: func(p Params) Params { p.Tolerance = -time.Second; return p }, field: "tolerance"},
		{name: "invalid tariff", p: func(p Params) Params { p.Tariff = Tariff{Kind: Flat}; return p }, field: "tariff.price"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Lines(tt.p(ok), nil)
			e, isErr := errs.As(err)
			if !isErr || !errors.Is(err, errs.ErrInvalid) || joinField(e.Field) != tt.field {
				t.Fatalf("error %v, want one at %s", err, tt.field)
			}
		})
	}
}

func joinField(f []string) string {
	out := ""
	for i, s := range f {
		if i > 0 {
			out += "."
		}
		out += s
	}
	return out
}

// TestTimeOfUseDaylightSaving: in a zone with daylight saving the bands follow the wall
// clock; the 23-hour day loses an hour of valley and the quantities still add up.
func TestTimeOfUseDaylightSaving(t *testing.T) {
	t.Parallel()
	berlin := mustZone("Europe/Berlin")
	tests := []struct {
		name         string
		day          schedule.Date
		consumed     string
		peak, valley string
	}{
		{name: "spring forward: 23 h", day: schedule.D(2026, 3, 29), consumed: "23", peak: "14", valley: "9"},
		{name: "fall back: 25 h", day: schedule.D(2026, 10, 25), consumed: "25", peak: "14", valley: "11"},
		{name: "ordinary day: 24 h", day: schedule.D(2026, 5, 5), consumed: "24", peak: "14", valley: "10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Meter{ID: "m", Unit: "u", Readings: []meters.Point{{At: tt.day.In(berlin), Value: dec("0")},
				{At: tt.day.AddDays(1).In(berlin), Value: dec(tt.consumed)}}}
			ls, err := Lines(Params{Period: schedule.Period{Start: tt.day, End: tt.day}, Loc: berlin, Tariff: tariffs["time of use"]},
				[]Meter{m})
			if err != nil {
				t.Fatal(err)
			}
			b := ls[0].Meters[0].Bands
			if !b[0].Quantity.Equal(dec(tt.peak)) || !b[1].Quantity.Equal(dec(tt.valley)) {
				t.Fatalf("bands %+v, want peak %s valley %s", b, tt.peak, tt.valley)
			}
		})
	}
}
