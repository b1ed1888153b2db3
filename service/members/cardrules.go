package members

import (
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

// Card rules: which assets a card may hold, by its kind, and how much stored value one
// card may hold, by its type. Pure functions; the table tests are in cardrules_test.go.
//
// Chinese rules for single-purpose commercial prepaid cards (单用途商业预付卡管理办法
// (试行), art. 17) limit the stored value of one card: a registered card (记名卡) at
// most ¥5,000, an anonymous one (不记名卡) at most ¥1,000. A card type may set a
// lower cap, never a higher one.

// Holdings are the assets a card may hold.
type Holdings struct {
	Points      bool
	StoredValue bool // money (储值): recharged, spent on purchases and bookings
}

// KindHoldings is what a card of kind may hold: every kind collects points; only a
// stored-value card (储值卡) holds money — a points card (积分卡), a discount card
// (折扣卡) and a count card (计次卡, whose uses are counted apart) hold none.
func KindHoldings(kind string) Holdings {
	return Holdings{Points: true, StoredValue: kind == KindStoredValue}
}

// Stored-value caps of one card (单用途商业预付卡: 记名卡 5000 元, 不记名卡 1000 元).
var (
	RegisteredCardCap = decimal.NewFromInt(5000)
	AnonymousCardCap  = decimal.NewFromInt(1000)
)

// MaxStoredValueCap is the highest stored-value cap the rules allow for a card that is
// registered (记名) or not, and the default of a card type that sets none.
func MaxStoredValueCap(registered bool) decimal.Decimal {
	if registered {
		return RegisteredCardCap
	}
	return AnonymousCardCap
}

// StoredValueCap is the most stored value one card of a type may hold: zero for a kind
// that holds no money, else the type's own cap (nil: the maximum for its registration).
func StoredValueCap(kind string, registered bool, own *decimal.Decimal) decimal.Decimal {
	switch {
	case !KindHoldings(kind).StoredValue:
		return decimal.Zero
	case own != nil:
		return *own
	}
	return MaxStoredValueCap(registered)
}

// validStoredValueCap checks a card type's own cap: only stored-value kinds have one, a
// whole number of fen, from 0 to the maximum for the registration.
func validStoredValueCap(kind string, registered bool, own *decimal.Decimal) error {
	if own == nil {
		return nil
	}
	limit := MaxStoredValueCap(registered)
	switch {
	case !KindHoldings(kind).StoredValue:
		return errs.Invalid("input.storedValueCap", "only stored-value cards hold money and have a stored-value cap")
	case own.IsNegative() || own.Exponent() < -2:
		return errs.Invalid("input.storedValueCap", "the stored-value cap is an amount of at least 0 with at most 2 decimals")
	case own.GreaterThan(limit):
		return errs.Invalid("input.storedValueCap", "a %s card holds at most %s of stored value (单用途商业预付卡)",
			registration(registered), limit.StringFixed(2))
	}
	return nil
}

func registration(registered bool) string {
	if registered {
		return "registered"
	}
	return "anonymous"
}

// Errors of the card rules.
var (
	// ErrHoldsNoStoredValue: the card's kind holds no money (a points card, say), so it
	// can be neither recharged nor spent from.
	ErrHoldsNoStoredValue = errs.New(errs.KindUser, "CARD_HOLDS_NO_STORED_VALUE",
		"this kind of card holds no stored value; recharge or pay with a stored-value card")
	// ErrStoredValueCap: a credit would take the card's stored value above its cap; the
	// message says how much more the card may take.
	ErrStoredValueCap = errs.New(errs.KindUser, "STORED_VALUE_CAP_EXCEEDED",
		"the card would hold more stored value than its cap allows")
)

// HoldsStoredValue returns nil when the card may hold money, else ErrHoldsNoStoredValue.
func (c Card) HoldsStoredValue() error {
	if !KindHoldings(c.Kind).StoredValue {
		return ErrHoldsNoStoredValue.Msgf("a %s card holds no stored value; recharge or pay with a stored-value card", c.Kind)
	}
	return nil
}

// StoredValueRoom is how much more stored value a card holding balance may take under
// cap (zero when it already holds the cap or more).
func StoredValueRoom(cap, balance decimal.Decimal) decimal.Decimal {
	return decimal.Max(decimal.Zero, cap.Sub(balance))
}

// CheckStoredValueCredit returns nil when a card holding balance may take credit more
// stored value (the recharge and its bonus), else ErrHoldsNoStoredValue for a kind that
// holds no money or ErrStoredValueCap naming the room left.
func (c Card) CheckStoredValueCredit(balance, credit decimal.Decimal) error {
	if err := c.HoldsStoredValue(); err != nil {
		return err
	}
	if balance.Add(credit).LessThanOrEqual(c.StoredValueCap) {
		return nil
	}
	return ErrStoredValueCap.Msgf("the card may hold at most %s of stored value and holds %s: at most %s more can be added "+
		"(a recharge bonus counts too)", c.StoredValueCap.StringFixed(2), balance.StringFixed(2),
		StoredValueRoom(c.StoredValueCap, balance).StringFixed(2))
}
