package members

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { v := dec(s); return &v }

func TestKindHoldings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		kind string
		want Holdings
	}{
		{"stored-value card holds money and points", KindStoredValue, Holdings{Points: true, StoredValue: true}},
		{"points card holds no money", KindPoints, Holdings{Points: true}},
		{"discount card holds no money", KindDiscount, Holdings{Points: true}},
		{"count card holds no money", KindCount, Holdings{Points: true}},
		{"unknown kind holds no money", "gold", Holdings{Points: true}},
	} {
		if got := KindHoldings(c.kind); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestStoredValueCap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		kind       string
		registered bool
		own        *decimal.Decimal
		want       string
	}{
		{"registered default ¥5,000 (记名卡)", KindStoredValue, true, nil, "5000"},
		{"anonymous default ¥1,000 (不记名卡)", KindStoredValue, false, nil, "1000"},
		{"own lower cap", KindStoredValue, true, decp("2000"), "2000"},
		{"own cap of an anonymous type", KindStoredValue, false, decp("500"), "500"},
		{"points card: none", KindPoints, true, nil, "0"},
		{"points card ignores a cap", KindPoints, true, decp("100"), "0"},
		{"discount card: none", KindDiscount, true, nil, "0"},
	} {
		if got := StoredValueCap(c.kind, c.registered, c.own); !got.Equal(dec(c.want)) {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestValidStoredValueCap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		kind       string
		registered bool
		own        *decimal.Decimal
		ok         bool
	}{
		{"no cap: the default", KindStoredValue, true, nil, true},
		{"registered at the maximum", KindStoredValue, true, decp("5000"), true},
		{"registered above the maximum", KindStoredValue, true, decp("5000.01"), false},
		{"anonymous at the maximum", KindStoredValue, false, decp("1000"), true},
		{"anonymous above the maximum", KindStoredValue, false, decp("1000.01"), false},
		{"zero: no recharge at all", KindStoredValue, true, decp("0"), true},
		{"negative", KindStoredValue, true, decp("-1"), false},
		{"over-precise", KindStoredValue, true, decp("100.001"), false},
		{"a billion", KindStoredValue, true, decp("1000000000"), false},
		{"points card with a cap", KindPoints, true, decp("100"), false},
		{"points card without", KindPoints, true, nil, true},
	} {
		err := validStoredValueCap(c.kind, c.registered, c.own)
		if c.ok != (err == nil) || err != nil && !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

func TestCheckStoredValueCredit(t *testing.T) {
	t.Parallel()
	sv := Card{Kind: KindStoredValue, StoredValueCap: dec("5000")}
	for _, c := range []struct {
		name            string
		card            Card
		balance, credit string
		want            error
		room            string // in the message when refused for the cap
	}{
		{"empty card, ¥5,000", sv, "0", "5000", nil, ""},
		{"up to the cap exactly", sv, "4900", "100", nil, ""},
		{"one fen over", sv, "4900", "100.01", ErrStoredValueCap, "100.00"},
		{"a billion", sv, "0", "1000000000", ErrStoredValueCap, "5000.00"},
		{"already above a lowered cap", Card{Kind: KindStoredValue, StoredValueCap: dec("1000")}, "1500", "1", ErrStoredValueCap, "0.00"},
		{"anonymous card", Card{Kind: KindStoredValue, StoredValueCap: AnonymousCardCap}, "900", "200", ErrStoredValueCap, "100.00"},
		{"points card", Card{Kind: KindPoints}, "0", "1", ErrHoldsNoStoredValue, ""},
		{"count card", Card{Kind: KindCount}, "0", "1", ErrHoldsNoStoredValue, ""},
	} {
		err := c.card.CheckStoredValueCredit(dec(c.balance), dec(c.credit))
		if !errors.Is(err, c.want) && err != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		if e, ok := errs.As(err); c.room != "" && (!ok || !strings.Contains(e.Message, "at most "+c.room+" more")) {
			t.Errorf("%s: message %q does not give the room left %s", c.name, e.Message, c.room)
		}
	}
}

// TestCardTypeStoredValueRules: a card type keeps its registration and cap, cards read
// with it carry the cap, and only the group's admins and member operations change them.
func TestCardTypeStoredValueRules(t *testing.T) {
	f := setup(t)
	anon, err := f.svc.CreateCardType(f.opsA, CardTypeInput{GroupID: f.groupA, Code: "ANON", Name: "Gift card",
		Kind: KindStoredValue, Anonymous: true})
	if err != nil || anon.Registered || !anon.StoredValueCap().Equal(AnonymousCardCap) {
		t.Fatalf("anonymous type = %+v, %v", anon, err)
	}
	if _, err := f.svc.CreateCardType(f.opsA, CardTypeInput{GroupID: f.groupA, Code: "BIG", Name: "x",
		Kind: KindStoredValue, StoredValueCap: decp("10000")}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("a ¥10,000 cap: %v, want invalid", err)
	}
	if _, err := f.svc.CreateCardType(f.opsA, CardTypeInput{GroupID: f.groupA, Code: "PTS2", Name: "x",
		Kind: KindPoints, StoredValueCap: decp("100")}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("a points type with a cap: %v, want invalid", err)
	}
	def, err := f.svc.CardType(f.ctx, f.cardTypeA) // created before the columns had values: the defaults
	if err != nil || !def.Registered || def.OwnStoredValueCap != nil || !def.StoredValueCap().Equal(RegisteredCardCap) {
		t.Fatalf("default type = %+v, %v", def, err)
	}
	card := f.card(f.member(), "")
	if !card.StoredValueCap.Equal(dec("5000")) {
		t.Errorf("card cap = %s, want 5000", card.StoredValueCap)
	}
	for _, c := range []struct {
		name string
		ctx  func() error
		want error
	}{
		{"desk staff", func() error {
			_, err := f.svc.SetStoredValueRules(f.deskA, StoredValueRulesInput{CardTypeID: f.cardTypeA, Cap: decp("100")})
			return err
		}, errs.ErrForbidden},
		{"another group's desk", func() error {
			_, err := f.svc.SetStoredValueRules(f.deskB, StoredValueRulesInput{CardTypeID: f.cardTypeA, Cap: decp("100")})
			return err
		}, errs.ErrForbidden},
		{"merchant staff", func() error {
			_, err := f.svc.SetStoredValueRules(f.merchantStaffA, StoredValueRulesInput{CardTypeID: f.cardTypeA, Cap: decp("100")})
			return err
		}, errs.ErrForbidden},
		{"anonymous above ¥1,000", func() error {
			_, err := f.svc.SetStoredValueRules(f.opsA, StoredValueRulesInput{CardTypeID: f.cardTypeA, Anonymous: true, Cap: decp("2000")})
			return err
		}, errs.ErrInvalid},
		{"unknown type", func() error {
			_, err := f.svc.SetStoredValueRules(f.opsA, StoredValueRulesInput{CardTypeID: anon.GroupID, Cap: decp("100")})
			return err
		}, errs.ErrNotFound},
	} {
		if err := c.ctx(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	got, err := f.svc.SetStoredValueRules(f.opsA, StoredValueRulesInput{CardTypeID: f.cardTypeA, Cap: decp("2000")})
	if err != nil || !got.StoredValueCap().Equal(dec("2000")) {
		t.Fatalf("set cap: %+v, %v", got, err)
	}
	if c, err := f.svc.CardByID(f.ctx, card.ID); err != nil || !c.StoredValueCap.Equal(dec("2000")) {
		t.Errorf("card cap after the change = %s, %v", c.StoredValueCap, err)
	}
}
