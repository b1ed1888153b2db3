// Package rule is the commission arithmetic of the commissions context, pure: which
// rule applies to a sold line, what the line earns, how a purchase's paid amount is
// spread over its lines, and what a refund takes back.
//
// Precedence (most specific wins): a rule for the line's product/service code (ITEM),
// else one for its category (CATEGORY), else the merchant's default (MERCHANT); no rule,
// no commission. A PERCENT rule earns rate % of the line's paid amount, rounded half
// away from zero to the fen; a FIXED rule earns its amount per item sold.
package rule

import (
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Scopes of a rule, most specific first.
const (
	ScopeItem     = "ITEM"
	ScopeCategory = "CATEGORY"
	ScopeMerchant = "MERCHANT"
)

// Kinds of a rule.
const (
	KindPercent = "PERCENT"
	KindFixed   = "FIXED"
)

// Rule is one commission rule of a merchant.
type Rule struct {
	ID     uuid.UUID
	Scope  string // ScopeItem, ScopeCategory or ScopeMerchant
	Key    string // the code (ITEM), the category (CATEGORY), "" (MERCHANT)
	Kind   string // KindPercent or KindFixed
	Rate   decimal.Decimal
	Amount decimal.Decimal
}

// Line is a sold line: its code, category, quantity and paid amount.
type Line struct {
	Code     string
	Category string
	Quantity int32
	Paid     decimal.Decimal
}

// Pick returns the rule that applies to l (see the package's precedence) and whether
// there is one.
func Pick(rules []Rule, l Line) (Rule, bool) {
	var cat, merchant *Rule
	for i := range rules {
		r := &rules[i]
		switch {
		case r.Scope == ScopeItem && r.Key == l.Code:
			return *r, true
		case r.Scope == ScopeCategory && l.Category != "" && r.Key == l.Category:
			cat = r
		case r.Scope == ScopeMerchant:
			merchant = r
		}
	}
	if cat != nil {
		return *cat, true
	}
	if merchant != nil {
		return *merchant, true
	}
	return Rule{}, false
}

// Earn is what l earns under r.
func Earn(r Rule, l Line) decimal.Decimal {
	if r.Kind == KindFixed {
		return r.Amount.Mul(decimal.NewFromInt32(l.Quantity)).Round(2)
	}
	return l.Paid.Mul(r.Rate).Div(decimal.NewFromInt(100)).Round(2)
}

// Spread shares paid over lines in proportion to their amounts (before discounts),
// rounded to the fen, the last line taking the remainder, so the parts add up to paid
// exactly. Lines whose amounts add up to zero share nothing (all zero).
func Spread(amounts []decimal.Decimal, paid decimal.Decimal) []decimal.Decimal {
	out := make([]decimal.Decimal, len(amounts))
	total := decimal.Sum(decimal.Zero, amounts...)
	if !total.IsPositive() || len(amounts) == 0 {
		for i := range out {
			out[i] = decimal.Zero
		}
		return out
	}
	left := paid
	for i, a := range amounts {
		if i == len(amounts)-1 {
			out[i] = left
			break
		}
		out[i] = paid.Mul(a).Div(total).Round(2)
		left = left.Sub(out[i])
	}
	return out
}

// Reverse is what a refund takes back of an earned (or paid) amount v when the
// purchase's refunded total goes from before to after out of payable: the difference
// of the cumulative shares, so partial refunds add up to exactly v once all is
// refunded and never take back more than v (never below zero left). A purchase with
// nothing payable takes nothing back.
func Reverse(v, before, after, payable decimal.Decimal) decimal.Decimal {
	return cumulative(v, after, payable).Sub(cumulative(v, before, payable))
}

func cumulative(v, done, payable decimal.Decimal) decimal.Decimal {
	switch {
	case !payable.IsPositive() || !done.IsPositive():
		return decimal.Zero
	case done.GreaterThanOrEqual(payable):
		return v
	}
	return v.Mul(done).Div(payable).Round(2)
}
