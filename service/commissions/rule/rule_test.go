package rule

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestPick(t *testing.T) {
	rules := []Rule{
		{Scope: ScopeMerchant, Kind: KindPercent, Rate: d("2")},
		{Scope: ScopeCategory, Key: "hair", Kind: KindPercent, Rate: d("5")},
		{Scope: ScopeItem, Key: "PERM", Kind: KindFixed, Amount: d("30")},
	}
	cases := []struct {
		name  string
		rules []Rule
		line  Line
		scope string
		found bool
	}{
		{"item rule wins over its category", rules, Line{Code: "PERM", Category: "hair"}, ScopeItem, true},
		{"category rule wins over the merchant default", rules, Line{Code: "CUT", Category: "hair"}, ScopeCategory, true},
		{"merchant default for another category", rules, Line{Code: "NAIL", Category: "nails"}, ScopeMerchant, true},
		{"merchant default without a category", rules, Line{Code: "X"}, ScopeMerchant, true},
		{"no rule, no commission", rules[1:], Line{Code: "NAIL", Category: "nails"}, "", false},
		{"item rule whatever the category", rules, Line{Code: "PERM", Category: "other"}, ScopeItem, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ok := Pick(c.rules, c.line)
			if ok != c.found || r.Scope != c.scope {
				t.Errorf("got %v %v, want %s %v", r.Scope, ok, c.scope, c.found)
			}
		})
	}
}

func TestEarn(t *testing.T) {
	cases := []struct {
		name string
		rule Rule
		line Line
		want string
	}{
		{"percent of the paid amount", Rule{Kind: KindPercent, Rate: d("5")}, Line{Quantity: 2, Paid: d("199.00")}, "9.95"},
		{"percent rounds half away from zero", Rule{Kind: KindPercent, Rate: d("2.5")}, Line{Quantity: 1, Paid: d("0.99")}, "0.02"},
		{"fixed per item", Rule{Kind: KindFixed, Amount: d("30")}, Line{Quantity: 3, Paid: d("10")}, "90"},
		{"zero rate earns nothing", Rule{Kind: KindPercent, Rate: d("0")}, Line{Quantity: 1, Paid: d("50")}, "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Earn(c.rule, c.line); !got.Equal(d(c.want)) {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestSpread(t *testing.T) {
	cases := []struct {
		name    string
		amounts []string
		paid    string
		want    []string
	}{
		{"no discount", []string{"60", "40"}, "100", []string{"60", "40"}},
		{"discount shared, last takes the remainder", []string{"1", "1", "1"}, "2.00", []string{"0.67", "0.67", "0.66"}},
		{"zero lines share nothing", []string{"0", "0"}, "0", []string{"0", "0"}},
		{"a free line gets nothing", []string{"0", "10"}, "9", []string{"0", "9"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := make([]decimal.Decimal, len(c.amounts))
			for i, a := range c.amounts {
				in[i] = d(a)
			}
			got := Spread(in, d(c.paid))
			sum := decimal.Zero
			for i, g := range got {
				sum = sum.Add(g)
				if !g.Equal(d(c.want[i])) {
					t.Errorf("line %d: got %s, want %s", i, g, c.want[i])
				}
			}
			if !sum.Equal(d(c.paid)) && len(got) > 0 && !d(c.paid).IsZero() {
				t.Errorf("sum %s, paid %s", sum, c.paid)
			}
		})
	}
}

func TestReverse(t *testing.T) {
	cases := []struct {
		name                   string
		v, before, after, paid string
		want                   string
	}{
		{"half refunded takes half", "10.00", "0", "50", "100", "5.00"},
		{"full refund takes all", "10.00", "0", "100", "100", "10.00"},
		{"second partial refund takes the remainder exactly", "10.01", "50", "100", "100", "5.00"},
		{"a third of a third rounds", "1.00", "0", "33.33", "100", "0.33"},
		{"nothing payable takes nothing", "5.00", "0", "0", "0", "0"},
		{"nothing refunded takes nothing", "5.00", "20", "20", "100", "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Reverse(d(c.v), d(c.before), d(c.after), d(c.paid)); !got.Equal(d(c.want)) {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	t.Run("partial refunds never take back more than earned", func(t *testing.T) {
		v, paid, done, taken := d("7.77"), d("99.99"), decimal.Zero, decimal.Zero
		for _, part := range []string{"33.33", "0.01", "40.00", "26.65"} {
			next := done.Add(d(part))
			taken = taken.Add(Reverse(v, done, next, paid))
			done = next
			if taken.GreaterThan(v) {
				t.Fatalf("took %s of %s", taken, v)
			}
		}
		if !taken.Equal(v) {
			t.Errorf("took %s of %s after a full refund", taken, v)
		}
	})
}
