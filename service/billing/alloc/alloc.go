// Package alloc allocates a payment (or a tenant's credit) to the open items of a
// tenant's bills (issue 13, "Payments": allocation by a declared waterfall per
// contract, manual allocation by finance as an override, overpayment kept as tenant
// credit and applied to the next bill). It is pure: the billing service loads the
// open items, calls Allocate or Manual, and posts the Allocation.
//
// # The waterfall
//
// A Waterfall is an ordered list of groups of charge codes. The items are paid group
// by group, and inside a group the oldest due date first, ties by line id, each item
// in full before the next gets anything. A code matches the first group listing it;
// a pattern ending in "*" matches the codes starting with what precedes it
// ("PCT_RENT_*"). Codes no group matches come last, as one group ("everything
// else"). Default is late fees (LATE_FEE) → management fee (MGMT_FEE) → rent (RENT,
// PCT_RENT_*) → energy (ENERGY, ENERGY_*) → everything else; a contract may declare its
// own (stored as JSON exactly as Waterfall marshals: [["LATE_FEE"],["RENT","PCT_RENT_*"]]),
// because local practice and some contracts pay rent before fees.
//
// # Manual allocation
//
// Finance may say exactly which lines a payment pays (Manual): each part must name an
// open item, be positive and at most its outstanding, and the parts together at most
// the payment.
//
// # Credit
//
// What a payment leaves over is Allocation.Credit: the tenant's credit (a liability
// in the ledger). Applying credit to the next bill is the same call with the credit
// as the amount: Allocate(credit, items, waterfall); what it leaves stays credit.
//
// # Reversal
//
// Apply takes an allocation from the items' outstanding amounts; Reverse gives back
// exactly what it took (and the allocation's Credit is the credit to take back), so
// Reverse(Apply(items, a), a) = items.
//
// # Money
//
// Amounts are yuan to the fen (2 decimals); allocation only moves whole fen, so
// nothing is rounded.
package alloc

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// The errors of allocation. Each is returned naming the input field.
var (
	// ErrAmount: the amount to allocate is not positive or not to the fen.
	ErrAmount = errs.New(errs.KindUser, "ALLOCATION_AMOUNT", "the amount to allocate is positive, to the fen")
	// ErrItem: an open item is malformed (outstanding negative or not to the fen, no
	// line id, a line listed twice).
	ErrItem = errs.New(errs.KindUser, "ALLOCATION_ITEM", "an open item is malformed")
	// ErrWaterfall: a waterfall has an empty group or pattern, a misplaced "*", or a
	// pattern twice.
	ErrWaterfall = errs.New(errs.KindUser, "ALLOCATION_WATERFALL", "the waterfall is malformed")
	// ErrUnknownLine: a manual part (or a reversed part) names no open item.
	ErrUnknownLine = errs.New(errs.KindUser, "ALLOCATION_UNKNOWN_LINE", "the line is not an open item")
	// ErrPart: a manual part is negative, not to the fen, or names a line twice.
	ErrPart = errs.New(errs.KindUser, "ALLOCATION_PART", "a part is positive, to the fen, once per line")
	// ErrAboveOutstanding: a part is more than its line's outstanding amount.
	ErrAboveOutstanding = errs.New(errs.KindUser, "ALLOCATION_ABOVE_OUTSTANDING",
		"a part is more than the line's outstanding amount")
	// ErrAboveAmount: the parts add up to more than the payment.
	ErrAboveAmount = errs.New(errs.KindUser, "ALLOCATION_ABOVE_AMOUNT", "the parts add up to more than the payment")
)

// Item is an open item: a bill line with something outstanding.
type Item struct {
	LineID      string
	BillID      string
	Code        string        // the charge code (schedule.Code values, LATE_FEE, ENERGY_…)
	Due         schedule.Date // the bill's due date
	Outstanding decimal.Decimal
}

// Group is one step of a waterfall: charge codes and "PREFIX*" patterns.
type Group []string

// Waterfall is the order a payment pays groups of charges in.
type Waterfall []Group

// Default is the waterfall of a contract that declares none.
var Default = Waterfall{{"LATE_FEE"}, {"MGMT_FEE"}, {"RENT", "PCT_RENT_*"}, {"ENERGY", "ENERGY_*"}}

// Validate checks the waterfall's groups and patterns.
func (w Waterfall) Validate() error {
	seen := map[string]bool{}
	for i, g := range w {
		path := []string{"waterfall", strconv.Itoa(i)}
		if len(g) == 0 {
			return ErrWaterfall.At(path...).Msgf("a group lists at least one charge code")
		}
		for j, p := range g {
			at := append(path[:2:2], strconv.Itoa(j))
			switch {
			case p == "" || p == "*" || strings.Contains(strings.TrimSuffix(p, "*"), "*"):
				return ErrWaterfall.At(at...).Msgf("%q: a charge code, or a prefix followed by one *", p)
			case seen[p]:
				return ErrWaterfall.At(at...).Msgf("%s is listed twice", p)
			}
			seen[p] = true
		}
	}
	return nil
}

// rank is the index of the group code falls in (len(w): everything else).
func (w Waterfall) rank(code string) int {
	for i, g := range w {
		for _, p := range g {
			if pre, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(code, pre) || p == code {
				return i
			}
		}
	}
	return len(w)
}

// Part is what an allocation pays of one line.
type Part struct {
	LineID string
	BillID string
	Code   string
	Amount decimal.Decimal
}

// Allocation is how an amount was spread: the parts paid, in payment order, and the
// credit left over.
type Allocation struct {
	Parts  []Part
	Credit decimal.Decimal
}

// Allocated is the sum of the parts.
func (a Allocation) Allocated() decimal.Decimal {
	sum := decimal.Zero
	for _, p := range a.Parts {
		sum = sum.Add(p.Amount)
	}
	return sum
}

// Allocate spreads amount (a payment, or credit being applied) over the open items
// by the waterfall (nil: Default); what is left is Credit.
func Allocate(amount decimal.Decimal, items []Item, w Waterfall) (Allocation, error) {
	if err := checkAmount(amount); err != nil {
		return Allocation{}, err
	}
	if w == nil {
		w = Default
	}
	if err := w.Validate(); err != nil {
		return Allocation{}, err
	}
	if _, err := index(items); err != nil {
		return Allocation{}, err
	}
	order := append([]Item(nil), items...)
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if ra, rb := w.rank(a.Code), w.rank(b.Code); ra != rb {
			return ra < rb
		}
		if !a.Due.Equal(b.Due) {
			return a.Due.Before(b.Due)
		}
		return a.LineID < b.LineID
	})
	left := amount
	var out Allocation
	for _, it := range order {
		if !left.IsPositive() {
			break
		}
		pay := decimal.Min(left, it.Outstanding)
		if pay.IsPositive() {
			out.Parts = append(out.Parts, Part{LineID: it.LineID, BillID: it.BillID, Code: it.Code, Amount: pay})
			left = left.Sub(pay)
		}
	}
	out.Credit = left
	return out, nil
}

// Manual checks finance's parts against the open items and the amount, and returns
// them as an allocation (bill and code filled in from the items, zero parts dropped)
// with what they leave as Credit.
func Manual(amount decimal.Decimal, items []Item, parts []Part) (Allocation, error) {
	if err := checkAmount(amount); err != nil {
		return Allocation{}, err
	}
	byLine, err := index(items)
	if err != nil {
		return Allocation{}, err
	}
	var out Allocation
	seen := map[string]bool{}
	sum := decimal.Zero
	for i, p := range parts {
		path := []string{"allocations", strconv.Itoa(i)}
		it, ok := byLine[p.LineID]
		switch {
		case !ok:
			return Allocation{}, ErrUnknownLine.At(append(path, "lineId")...)
		case seen[p.LineID]:
			return Allocation{}, ErrPart.At(append(path, "lineId")...).Msgf("line %s is listed twice", p.LineID)
		case p.Amount.IsNegative() || !fen(p.Amount):
			return Allocation{}, ErrPart.At(append(path, "amount")...)
		case p.Amount.GreaterThan(it.Outstanding):
			return Allocation{}, ErrAboveOutstanding.At(append(path, "amount")...).
				Msgf("%s is more than the %s outstanding on line %s", p.Amount, it.Outstanding, it.LineID)
		}
		seen[p.LineID] = true
		sum = sum.Add(p.Amount)
		if p.Amount.IsPositive() {
			out.Parts = append(out.Parts, Part{LineID: it.LineID, BillID: it.BillID, Code: it.Code, Amount: p.Amount})
		}
	}
	if sum.GreaterThan(amount) {
		return Allocation{}, ErrAboveAmount.At("allocations").Msgf("the parts add up to %s, the payment is %s", sum, amount)
	}
	out.Credit = amount.Sub(sum)
	return out, nil
}

// Apply returns the items with the allocation's parts taken from their outstanding
// amounts (items paid in full stay, at zero).
func Apply(items []Item, a Allocation) ([]Item, error) {
	return move(items, a, -1)
}

// Reverse returns the items with exactly what the allocation took given back.
func Reverse(items []Item, a Allocation) ([]Item, error) {
	return move(items, a, 1)
}

func move(items []Item, a Allocation, sign int64) ([]Item, error) {
	out := append([]Item(nil), items...)
	at := make(map[string]int, len(out))
	for i, it := range out {
		at[it.LineID] = i
	}
	for i, p := range a.Parts {
		j, ok := at[p.LineID]
		if !ok {
			return nil, ErrUnknownLine.At("parts", strconv.Itoa(i), "lineId")
		}
		next := out[j].Outstanding.Add(p.Amount.Mul(decimal.NewFromInt(sign)))
		if next.IsNegative() {
			return nil, ErrAboveOutstanding.At("parts", strconv.Itoa(i), "amount")
		}
		out[j].Outstanding = next
	}
	return out, nil
}

func checkAmount(amount decimal.Decimal) error {
	if !amount.IsPositive() || !fen(amount) {
		return ErrAmount.At("amount").Msgf("the amount to allocate is positive, to the fen, not %s", amount)
	}
	return nil
}

// index checks the items and maps them by line id.
func index(items []Item) (map[string]Item, error) {
	out := make(map[string]Item, len(items))
	for i, it := range items {
		path := []string{"items", strconv.Itoa(i)}
		switch _, dup := out[it.LineID]; {
		case it.LineID == "":
			return nil, ErrItem.At(append(path, "lineId")...).Msgf("an item needs its line id")
		case dup:
			return nil, ErrItem.At(append(path, "lineId")...).Msgf("line %s is listed twice", it.LineID)
		case it.Outstanding.IsNegative() || !fen(it.Outstanding):
			return nil, ErrItem.At(append(path, "outstanding")...).Msgf("outstanding is not negative, to the fen")
		}
		out[it.LineID] = it
	}
	return out, nil
}

// fen reports whether d has at most 2 decimals.
func fen(d decimal.Decimal) bool { return d.Equal(d.Round(2)) }
