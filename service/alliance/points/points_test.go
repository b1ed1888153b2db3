package points

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestOf(t *testing.T) {
	ten := Ratio{Unit: decimal.NewFromInt(10), PerUnit: decimal.NewFromInt(1)}
	cases := []struct {
		name     string
		amount   string
		ratio    Ratio
		rounding Rounding
		want     int64
	}{
		{"down drops the fraction", "129.00", ten, Down, 12},
		{"half up rounds 12.9 up", "129.00", ten, HalfUp, 13},
		{"half up keeps 12.4", "124.99", ten, HalfUp, 12},
		{"half up at exactly half", "125.00", ten, HalfUp, 13},
		{"up raises any fraction", "120.01", ten, Up, 13},
		{"up keeps a whole result", "120.00", ten, Up, 12},
		{"below one unit rounds down to zero", "9.99", ten, Down, 0},
		{"zero amount earns nothing", "0", ten, Up, 0},
		{"negative amount earns nothing", "-50", ten, Up, 0},
		{"two points per yuan", "3.50", Ratio{Unit: decimal.NewFromInt(1), PerUnit: decimal.NewFromInt(2)}, Down, 7},
		{"fractional ratio", "100", Ratio{Unit: decimal.NewFromInt(3), PerUnit: decimal.NewFromInt(1)}, HalfUp, 33},
		{"zero unit earns nothing", "100", Ratio{Unit: decimal.Zero, PerUnit: decimal.NewFromInt(1)}, Down, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.ratio
			r.Rounding = c.rounding
			got := Of(decimal.RequireFromString(c.amount), r)
			if !got.Equal(decimal.NewFromInt(c.want)) {
				t.Errorf("Of(%s) = %s, want %d", c.amount, got, c.want)
			}
		})
	}
}

func TestRoundingValid(t *testing.T) {
	for _, c := range []struct {
		name string
		r    Rounding
		want bool
	}{{"down", Down, true}, {"half up", HalfUp, true}, {"up", Up, true}, {"unknown", "NEAREST", false}, {"empty", "", false}} {
		t.Run(c.name, func(t *testing.T) {
			if c.r.Valid() != c.want {
				t.Errorf("%q.Valid() = %v", c.r, !c.want)
			}
		})
	}
}
