package meters

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func h(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func pts(vals ...any) []Point {
	var out []Point
	for i := 0; i < len(vals); i += 2 {
		out = append(out, Point{At: h(vals[i].(int)), Value: d(vals[i+1].(string))})
	}
	return out
}

func TestConsumption(t *testing.T) {
	t.Parallel()
	max := d("10000")
	tests := []struct {
		name      string
		readings  []Point
		reps      []Replacement
		max       *decimal.Decimal
		from, to  int
		want      string
		flagged   int
		partial   bool
		estimated bool
	}{
		{name: "in order", readings: pts(0, "100", 1, "110", 2, "125"), from: 0, to: 2, want: "25"},
		{name: "out of order arrival", readings: pts(2, "125", 0, "100", 1, "110"), from: 0, to: 1, want: "10"},
		{name: "rollover", readings: pts(0, "9990", 1, "9998", 2, "5"), max: &max, from: 0, to: 2, want: "15"},
		{name: "rollover out of order", readings: pts(2, "5", 0, "9990", 1, "9998"), max: &max, from: 1, to: 2, want: "7"},
		{name: "backwards flagged", readings: pts(0, "100", 1, "90", 2, "120"), from: 0, to: 2, want: "20", flagged: 1},
		{name: "backwards with max is not rollover", readings: pts(0, "100", 1, "90", 2, "120"), max: &max, from: 0, to: 2, want: "20", flagged: 1},
		{name: "replacement from zero", readings: pts(0, "500", 1, "520", 3, "4"),
			reps: []Replacement{{At: h(2), NewStart: d("0")}}, from: 0, to: 3, want: "24"},
		{name: "replacement with final value", readings: pts(0, "500", 1, "520", 3, "4"),
			reps: []Replacement{{At: h(2), OldFinal: ptr(d("530")), NewStart: d("0")}}, from: 0, to: 3, want: "34"},
		{name: "gap interpolated", readings: pts(0, "0", 10, "100"), from: 2, to: 4, want: "20", estimated: true},
		{name: "before first reading", readings: pts(5, "50", 6, "60"), from: 0, to: 6, want: "10", partial: true},
		{name: "after last reading", readings: pts(0, "50", 1, "60"), from: 0, to: 9, want: "10", partial: true},
		{name: "no readings", from: 0, to: 1, want: "0", partial: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Build(tt.readings, tt.reps, tt.max)
			u := s.Between(h(tt.from), h(tt.to))
			if !u.Amount.Equal(d(tt.want)) || len(s.Flagged) != tt.flagged || u.Partial != tt.partial || u.Estimated != tt.estimated {
				t.Errorf("got %s flagged=%d partial=%v estimated=%v; want %s %d %v %v",
					u.Amount, len(s.Flagged), u.Partial, u.Estimated, tt.want, tt.flagged, tt.partial, tt.estimated)
			}
		})
	}
}

func TestMaxGap(t *testing.T) {
	t.Parallel()
	s := Build(pts(0, "0", 1, "1", 7, "7", 8, "8"), nil, nil)
	if g := s.Between(h(0), h(8)).MaxGap; g != 6*time.Hour {
		t.Errorf("max gap = %v", g)
	}
}

func ptr[T any](v T) *T { return &v }

func TestSeriesAt(t *testing.T) {
	t.Parallel()
	max := d("10000")
	tests := []struct {
		name     string
		readings []Point
		reps     []Replacement
		max      *decimal.Decimal
		at       time.Time
		tol      time.Duration
		kind     ValueKind
		when     time.Time
		adjusted string
		raw      string
		linked   int
	}{
		{name: "exact", readings: pts(0, "10", 2, "30"), at: h(2), kind: Actual, when: h(2), adjusted: "30", raw: "30", linked: 1},
		{name: "within tolerance after", readings: pts(0, "10", 2, "30"), at: h(2).Add(-10 * time.Minute),
			tol: 15 * time.Minute, kind: Actual, when: h(2), adjusted: "30", raw: "30", linked: 1},
		{name: "nearest of two within tolerance", readings: pts(0, "10", 1, "20", 2, "30"), at: h(1).Add(-20 * time.Minute),
			tol: time.Hour, kind: Actual, when: h(1), adjusted: "20", raw: "20", linked: 1},
		{name: "beyond tolerance interpolated", readings: pts(0, "10", 2, "30"), at: h(1), tol: 15 * time.Minute,
			kind: Estimated, when: h(1), adjusted: "20", raw: "20", linked: 2},
		{name: "interpolated across rollover wraps raw", readings: pts(0, "9990", 2, "10"), max: &max, at: h(1),
			kind: Estimated, when: h(1), adjusted: "10000", raw: "0", linked: 2},
		{name: "interpolated after replacement", readings: pts(0, "500", 4, "40"),
			reps: []Replacement{{At: h(2), NewStart: d("0")}}, at: h(3), kind: Estimated, when: h(3),
			adjusted: "520", raw: "20", linked: 1},
		{name: "replacement before the first reading ignored", readings: pts(2, "40", 3, "50"),
			reps: []Replacement{{At: h(1), NewStart: d("0")}}, at: h(3), kind: Actual, when: h(3), adjusted: "50", raw: "50", linked: 1},
		{name: "before first", readings: pts(5, "50"), at: h(0), kind: BeforeFirst, when: h(5), adjusted: "50", raw: "50", linked: 1},
		{name: "after last", readings: pts(5, "50"), at: h(9), kind: AfterLast, when: h(5), adjusted: "50", raw: "50", linked: 1},
		{name: "no points", at: h(9), kind: NoPoints, when: h(9), adjusted: "0", raw: "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Build(tt.readings, tt.reps, tt.max).At(tt.at, tt.tol)
			if v.Kind != tt.kind || !v.At.Equal(tt.when) || !v.Adjusted.Equal(d(tt.adjusted)) || !v.Raw.Equal(d(tt.raw)) ||
				len(v.Readings) != tt.linked {
				t.Errorf("got %+v", v)
			}
		})
	}
}
