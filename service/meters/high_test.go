package meters_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/meters"
)

func TestHighConsumption(t *testing.T) {
	d := func(xs ...int64) []decimal.Decimal {
		out := make([]decimal.Decimal, len(xs))
		for i, x := range xs {
			out[i] = decimal.NewFromInt(x)
		}
		return out
	}
	rule := meters.DefaultHighRule // 3× the average, at least 3 windows
	for _, tc := range []struct {
		name     string
		current  int64
		previous []decimal.Decimal
		want     bool
		avg      string
	}{
		{"far above a steady week", 400, d(100, 100, 100, 100, 100, 100, 100), true, "100"},
		{"exactly three times is not above", 300, d(100, 100, 100), false, "100"},
		{"just above three times", 301, d(100, 100, 100), true, "100"},
		{"an ordinary day", 120, d(100, 90, 110), false, "100"},
		{"too little history", 1000, d(100, 100), false, "100"},
		{"no history at all", 1000, nil, false, "0"},
		{"a unit that used nothing gives no basis", 50, d(0, 0, 0, 0), false, "0"},
		{"a spike in the history raises the average", 400, d(100, 100, 100, 700), false, "250"},
		{"less than before is never high", 10, d(100, 100, 100), false, "100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := meters.HighConsumption(decimal.NewFromInt(tc.current), tc.previous, rule)
			if v.High != tc.want || !v.Average.Equal(decimal.RequireFromString(tc.avg)) || v.History != len(tc.previous) {
				t.Fatalf("HighConsumption = %+v, want high %v average %s", v, tc.want, tc.avg)
			}
		})
	}
	custom := meters.HighRule{Days: 3, Factor: decimal.RequireFromString("1.5"), MinHistory: 1}
	if v := meters.HighConsumption(decimal.NewFromInt(151), d(100), custom); !v.High {
		t.Fatalf("a 1.5× rule with one day: %+v", v)
	}
}
