package ageing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var asOf = schedule.D(2026, 6, 30)

// ago is the date n days before asOf (negative: after).
func ago(n int) schedule.Date { return asOf.AddDays(-n) }

func TestBucketOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		days int // past due
		want Bucket
	}{
		{"due in a week", -7, Current},
		{"due today", 0, Current},
		{"one day past due", 1, Days30},
		{"30 days", 30, Days30},
		{"31 days", 31, Days60},
		{"60 days", 60, Days60},
		{"61 days", 61, Days90},
		{"90 days", 90, Days90},
		{"91 days", 91, Over90},
		{"two years", 730, Over90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BucketOf(ago(tt.days), asOf); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAge(t *testing.T) {
	t.Parallel()
	it := func(id string, days int, out string) Item {
		return Item{LineID: id, BillID: "b-" + id, Code: "RENT", Due: ago(days), Outstanding: dec(out)}
	}
	tests := []struct {
		name   string
		items  []Item
		credit string
		rows   [5]string // CURRENT, 0_30, 31_60, 61_90, 90_PLUS
		total  string
		net    string
	}{
		{name: "nothing open", credit: "0", rows: [5]string{"0", "0", "0", "0", "0"}, total: "0", net: "0"},
		{name: "one of each bucket", items: []Item{it("a", -3, "100"), it("b", 10, "200"), it("c", 45, "300"),
			it("d", 75, "400"), it("e", 200, "500")}, credit: "0",
			rows: [5]string{"100", "200", "300", "400", "500"}, total: "1500", net: "1500"},
		{name: "partial payments leave the remainder in the bucket of its due date", items: []Item{it("a", 40, "0.01"),
			it("b", 40, "999.99"), it("c", 5, "12.34")}, credit: "0",
			rows: [5]string{"0", "12.34", "1000", "0", "0"}, total: "1012.34", net: "1012.34"},
		{name: "paid lines left out", items: []Item{it("a", 100, "0"), it("b", 20, "50")}, credit: "0",
			rows: [5]string{"0", "50", "0", "0", "0"}, total: "50", net: "50"},
		{name: "credit shown apart, not netted into buckets", items: []Item{it("a", 95, "300")}, credit: "120.50",
			rows: [5]string{"0", "0", "0", "0", "300"}, total: "300", net: "179.5"},
		{name: "only credit", credit: "80", rows: [5]string{"0", "0", "0", "0", "0"}, total: "0", net: "-80"},
		{name: "arrears of an ended contract still aged", items: []Item{{LineID: "x", BillID: "old", Code: "MGMT_FEE",
			Due: schedule.D(2024, 12, 5), Outstanding: dec("640")}}, credit: "0",
			rows: [5]string{"0", "0", "0", "0", "640"}, total: "640", net: "640"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Age(tt.items, dec(tt.credit), asOf)
			if err != nil {
				t.Fatal(err)
			}
			sum := decimal.Zero
			for i, r := range a.Rows {
				if r.Bucket != Buckets[i] || !r.Amount.Equal(dec(tt.rows[i])) {
					t.Errorf("row %s = %s, want %s", r.Bucket, r.Amount, tt.rows[i])
				}
				sum = sum.Add(r.Amount)
			}
			if !a.Total.Equal(dec(tt.total)) || !sum.Equal(a.Total) || !a.Net.Equal(dec(tt.net)) ||
				!a.Net.Equal(a.Total.Sub(a.Credit)) {
				t.Fatalf("total %s (rows %s) net %s; want %s %s", a.Total, sum, a.Net, tt.total, tt.net)
			}
		})
	}
}

func TestAgeRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		items  []Item
		credit string
		field  string
	}{
		{name: "negative credit", credit: "-1", field: "credit"},
		{name: "credit below the fen", credit: "0.001", field: "credit"},
		{name: "negative outstanding", items: []Item{{LineID: "a", Due: asOf, Outstanding: dec("-1")}}, credit: "0",
			field: "items.0.outstanding"},
		{name: "outstanding below the fen", items: []Item{{LineID: "a", Due: asOf, Outstanding: dec("1.001")}}, credit: "0",
			field: "items.0.outstanding"},
		{name: "no due date", items: []Item{{LineID: "a", Outstanding: dec("1")}}, credit: "0", field: "items.0.due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Age(tt.items, dec(tt.credit), asOf)
			if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "("+tt.field+")") {
				t.Fatalf("error %v, want one at %s", err, tt.field)
			}
		})
	}
}

func TestStatement(t *testing.T) {
	t.Parallel()
	june := schedule.Month{Year: 2026, Month: 6}.Period()
	e := func(y int, m time.Month, d int, k Kind, amount string) Entry {
		return Entry{On: schedule.D(y, m, d), Kind: k, Amount: dec(amount)}
	}
	tests := []struct {
		name     string
		entries  []Entry
		opening  string
		balances []string
		closing  string
	}{
		{name: "no activity", opening: "0", closing: "0"},
		{name: "opening from earlier entries", entries: []Entry{e(2026, 5, 1, KindBill, "1000"), e(2026, 5, 20, KindPayment, "-400"),
			e(2026, 6, 1, KindBill, "1000")}, opening: "600", balances: []string{"1600"}, closing: "1600"},
		{name: "in date order, same day as given", entries: []Entry{e(2026, 6, 15, KindPayment, "-1200"),
			e(2026, 6, 1, KindBill, "1000"), e(2026, 6, 15, KindReversal, "1200"), e(2026, 6, 15, KindPayment, "-1000.5")},
			opening: "0", balances: []string{"1000", "-200", "1000", "-0.5"}, closing: "-0.5"},
		{name: "late fee, waiver, credit note and refund", entries: []Entry{e(2026, 6, 1, KindBill, "500"),
			e(2026, 6, 10, KindLateFee, "2.5"), e(2026, 6, 11, KindWaiver, "-2.5"), e(2026, 6, 12, KindCreditNote, "-100"),
			e(2026, 6, 13, KindPayment, "-500"), e(2026, 6, 14, KindRefund, "100")},
			opening: "0", balances: []string{"500", "502.5", "500", "400", "-100", "0"}, closing: "0"},
		{name: "entries after the period left out", entries: []Entry{e(2026, 6, 30, KindBill, "10"), e(2026, 7, 1, KindBill, "99")},
			opening: "0", balances: []string{"10"}, closing: "10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewStatement(tt.entries, june)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Opening.Equal(dec(tt.opening)) || !s.Closing.Equal(dec(tt.closing)) || len(s.Lines) != len(tt.balances) {
				t.Fatalf("opening %s closing %s lines %d", s.Opening, s.Closing, len(s.Lines))
			}
			sum := s.Opening
			for i, l := range s.Lines {
				sum = sum.Add(l.Amount)
				if !l.Balance.Equal(dec(tt.balances[i])) || !l.Balance.Equal(sum) {
					t.Errorf("line %d balance %s, want %s", i, l.Balance, tt.balances[i])
				}
			}
		})
	}
	if _, err := NewStatement([]Entry{{On: june.Start, Amount: dec("0.001")}}, june); !errors.Is(err, ErrInput) {
		t.Errorf("amount below the fen: %v", err)
	}
	if _, err := NewStatement([]Entry{{Amount: dec("1")}}, june); !errors.Is(err, ErrInput) {
		t.Errorf("entry without date: %v", err)
	}
}
