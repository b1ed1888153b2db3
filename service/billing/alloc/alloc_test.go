package alloc

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func item(id, bill, code string, month int, out string) Item {
	return Item{LineID: id, BillID: bill, Code: code, Due: schedule.D(2026, 1, 5).AddDays(31 * (month - 1)), Outstanding: dec(out)}
}

// Two bills: January's and February's, each with rent, a management fee and energy;
// January's is overdue with a late fee billed in February.
var twoBills = []Item{
	item("b2-rent", "b2", "RENT", 2, "1000"),
	item("b1-energy", "b1", "ENERGY_ELECTRICITY", 1, "120.50"),
	item("b1-rent", "b1", "RENT", 1, "1000"),
	item("b2-late", "b2", "LATE_FEE", 2, "15"),
	item("b1-mgmt", "b1", "MGMT_FEE", 1, "300"),
	item("b2-mgmt", "b2", "MGMT_FEE", 2, "300"),
	item("b2-pct", "b2", "PCT_RENT_PROVISIONAL", 2, "80"),
	item("b2-adj", "b2", "ADJUSTMENT", 2, "10"),
}

// paid renders an allocation as "line:amount ... credit".
func paid(a Allocation) string {
	var b strings.Builder
	for _, p := range a.Parts {
		fmt.Fprintf(&b, "%s:%s ", p.LineID, p.Amount)
	}
	return b.String() + "credit " + a.Credit.String()
}

func TestAllocate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		amount string
		items  []Item
		w      Waterfall
		want   string
	}{
		{name: "partial payment: late fee, fees, then the oldest rent in part", amount: "1000", items: twoBills,
			want: "b2-late:15 b1-mgmt:300 b2-mgmt:300 b1-rent:385 credit 0"},
		{name: "exact payment of everything", amount: "2825.50", items: twoBills,
			want: "b2-late:15 b1-mgmt:300 b2-mgmt:300 b1-rent:1000 b2-pct:80 b2-rent:1000 b1-energy:120.5 b2-adj:10 credit 0"},
		{name: "overpayment kept as credit", amount: "3000", items: twoBills,
			want: "b2-late:15 b1-mgmt:300 b2-mgmt:300 b1-rent:1000 b2-pct:80 b2-rent:1000 b1-energy:120.5 b2-adj:10 credit 174.5"},
		{name: "one fen", amount: "0.01", items: twoBills, want: "b2-late:0.01 credit 0"},
		{name: "no open items: all credit", amount: "50", want: "credit 50"},
		{name: "items paid in full are skipped", amount: "50", items: []Item{item("a", "b1", "LATE_FEE", 1, "0"),
			item("b", "b1", "RENT", 1, "40")}, want: "b:40 credit 10"},
		{name: "oldest first inside a group across several bills", amount: "1300",
			items: []Item{item("r3", "b3", "RENT", 3, "500"), item("r1", "b1", "RENT", 1, "500"), item("r2", "b2", "RENT", 2, "500")},
			want:  "r1:500 r2:500 r3:300 credit 0"},
		{name: "same due date: by line id", amount: "150",
			items: []Item{item("z", "b1", "RENT", 1, "100"), item("a", "b1", "PCT_RENT_TRUEUP", 1, "100")},
			want:  "a:100 z:50 credit 0"},
		{name: "declared waterfall: rent before fees", amount: "1100", items: twoBills,
			w:    Waterfall{{"RENT", "PCT_RENT_*"}, {"LATE_FEE"}},
			want: "b1-rent:1000 b2-pct:80 b2-rent:20 credit 0"},
		{name: "declared waterfall: everything else by due date", amount: "1500", items: twoBills,
			w:    Waterfall{{"ENERGY_*"}},
			want: "b1-energy:120.5 b1-mgmt:300 b1-rent:1000 b2-adj:10 b2-late:15 b2-mgmt:54.5 credit 0"},
		{name: "credit applied to the next bill", amount: "174.50",
			items: []Item{item("b3-rent", "b3", "RENT", 3, "1000"), item("b3-mgmt", "b3", "MGMT_FEE", 3, "300")},
			want:  "b3-mgmt:174.5 credit 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Allocate(dec(tt.amount), tt.items, tt.w)
			if err != nil {
				t.Fatal(err)
			}
			if got := paid(a); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			if !a.Allocated().Add(a.Credit).Equal(dec(tt.amount)) {
				t.Fatalf("allocated %s + credit %s ≠ %s", a.Allocated(), a.Credit, tt.amount)
			}
		})
	}
}

func TestAllocateRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		amount string
		items  []Item
		w      Waterfall
		want   error
		field  string
	}{
		{name: "zero payment", amount: "0", items: twoBills, want: ErrAmount, field: "amount"},
		{name: "negative payment", amount: "-5", items: twoBills, want: ErrAmount, field: "amount"},
		{name: "payment below the fen", amount: "10.005", items: twoBills, want: ErrAmount, field: "amount"},
		{name: "empty group", amount: "10", w: Waterfall{{"RENT"}, {}}, want: ErrWaterfall, field: "waterfall.1"},
		{name: "code twice", amount: "10", w: Waterfall{{"RENT"}, {"MGMT_FEE", "RENT"}}, want: ErrWaterfall, field: "waterfall.1.1"},
		{name: "star alone", amount: "10", w: Waterfall{{"*"}}, want: ErrWaterfall, field: "waterfall.0.0"},
		{name: "star inside", amount: "10", w: Waterfall{{"PCT_*_RENT"}}, want: ErrWaterfall, field: "waterfall.0.0"},
		{name: "item negative", amount: "10", items: []Item{item("a", "b", "RENT", 1, "-1")}, want: ErrItem, field: "items.0.outstanding"},
		{name: "item below the fen", amount: "10", items: []Item{item("a", "b", "RENT", 1, "0.001")}, want: ErrItem,
			field: "items.0.outstanding"},
		{name: "item twice", amount: "10", items: []Item{item("a", "b", "RENT", 1, "1"), item("a", "b", "RENT", 1, "1")},
			want: ErrItem, field: "items.1.lineId"},
		{name: "item without id", amount: "10", items: []Item{item("", "b", "RENT", 1, "1")}, want: ErrItem, field: "items.0.lineId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Allocate(dec(tt.amount), tt.items, tt.w)
			checkErr(t, err, tt.want, tt.field)
		})
	}
}

func checkErr(t *testing.T, err, want error, field string) {
	t.Helper()
	if !errors.Is(err, want) || !strings.Contains(err.Error(), "("+field+")") {
		t.Fatalf("error %v, want %v at %s", err, want, field)
	}
}

func TestManual(t *testing.T) {
	t.Parallel()
	part := func(line, amount string) Part { return Part{LineID: line, Amount: dec(amount)} }
	tests := []struct {
		name   string
		amount string
		parts  []Part
		want   string
		err    error
		field  string
	}{
		{name: "finance pays rent only", amount: "1000", parts: []Part{part("b1-rent", "1000")}, want: "b1-rent:1000 credit 0"},
		{name: "parts below the payment leave credit", amount: "500",
			parts: []Part{part("b1-energy", "120.50"), part("b2-rent", "200")}, want: "b1-energy:120.5 b2-rent:200 credit 179.5"},
		{name: "zero parts dropped", amount: "10", parts: []Part{part("b1-rent", "0"), part("b1-mgmt", "10")},
			want: "b1-mgmt:10 credit 0"},
		{name: "no parts: all credit", amount: "10", want: "credit 10"},
		{name: "unknown line", amount: "10", parts: []Part{part("b9-rent", "10")}, err: ErrUnknownLine, field: "allocations.0.lineId"},
		{name: "more than outstanding", amount: "2000", parts: []Part{part("b2-late", "15.01")}, err: ErrAboveOutstanding,
			field: "allocations.0.amount"},
		{name: "negative part", amount: "10", parts: []Part{part("b1-rent", "20"), part("b1-mgmt", "-10")}, err: ErrPart,
			field: "allocations.1.amount"},
		{name: "part below the fen", amount: "10", parts: []Part{part("b1-rent", "0.005")}, err: ErrPart, field: "allocations.0.amount"},
		{name: "line twice", amount: "100", parts: []Part{part("b1-rent", "10"), part("b1-rent", "10")}, err: ErrPart,
			field: "allocations.1.lineId"},
		{name: "parts above the payment", amount: "100", parts: []Part{part("b1-rent", "60"), part("b2-rent", "40.01")},
			err: ErrAboveAmount, field: "allocations"},
		{name: "zero payment", amount: "0", err: ErrAmount, field: "amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Manual(dec(tt.amount), twoBills, tt.parts)
			if tt.err != nil {
				checkErr(t, err, tt.err, tt.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := paid(a); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			if a.Parts != nil && (a.Parts[0].BillID == "" || a.Parts[0].Code == "") {
				t.Fatalf("bill and code not filled in: %+v", a.Parts[0])
			}
		})
	}
}

// TestApplyReverse: reversing an allocation gives back exactly what it took, for
// payments of every size and both waterfalls.
func TestApplyReverse(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 13))
	for i := range 200 {
		amount := decimal.New(rng.Int64N(400000)+1, -2)
		w := Waterfall(nil)
		if i%2 == 1 {
			w = Waterfall{{"RENT"}}
		}
		t.Run(fmt.Sprintf("%s waterfall %d", amount, i%2), func(t *testing.T) {
			a, err := Allocate(amount, twoBills, w)
			if err != nil {
				t.Fatal(err)
			}
			after, err := Apply(twoBills, a)
			if err != nil {
				t.Fatal(err)
			}
			taken := decimal.Zero
			for j := range after {
				taken = taken.Add(twoBills[j].Outstanding.Sub(after[j].Outstanding))
			}
			if !taken.Equal(a.Allocated()) {
				t.Fatalf("took %s, allocated %s", taken, a.Allocated())
			}
			back, err := Reverse(after, a)
			if err != nil {
				t.Fatal(err)
			}
			for j := range back {
				if !back[j].Outstanding.Equal(twoBills[j].Outstanding) {
					t.Fatalf("line %s: %s after reversal, was %s", back[j].LineID, back[j].Outstanding, twoBills[j].Outstanding)
				}
			}
		})
	}
	if _, err := Apply(twoBills[:1], Allocation{Parts: []Part{{LineID: "b1-rent", Amount: dec("1")}}}); !errors.Is(err, ErrUnknownLine) {
		t.Errorf("apply to a missing line: %v", err)
	}
	if _, err := Apply(twoBills, Allocation{Parts: []Part{{LineID: "b2-late", Amount: dec("16")}}}); !errors.Is(err, ErrAboveOutstanding) {
		t.Errorf("apply above outstanding: %v", err)
	}
}
