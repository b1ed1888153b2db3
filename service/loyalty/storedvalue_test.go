package loyalty_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/members/memberstest"
)

// TestPayCard: which card of a member identified by the member code pays stored value.
func TestPayCard(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC)
	past := now.Add(-time.Hour)
	card := func(kind string) members.Card {
		return members.Card{ID: service.NewID(), Kind: kind, Status: members.StatusActive, Number: kind}
	}
	points, sv1, sv2, sv3 := card(members.KindPoints), card(members.KindStoredValue), card(members.KindStoredValue),
		card(members.KindStoredValue)
	expired := card(members.KindStoredValue)
	expired.ExpiresAt = &past
	bal := func(pairs ...any) map[uuid.UUID]decimal.Decimal {
		m := map[uuid.UUID]decimal.Decimal{}
		for i := 0; i < len(pairs); i += 2 {
			m[pairs[i].(members.Card).ID] = d(pairs[i+1].(string))
		}
		return m
	}
	for _, c := range []struct {
		name     string
		def      members.Card
		cards    []members.Card // the member's stored-value cards, oldest first
		balances map[uuid.UUID]decimal.Decimal
		need     string
		want     members.Card
		err      error
	}{
		{"default stored-value card holding enough", sv2, []members.Card{sv1, sv2}, bal(sv1, "500", sv2, "100"), "100", sv2, nil},
		{"default points card: the stored-value card holding enough", points, []members.Card{sv1}, bal(sv1, "500"), "100", sv1, nil},
		{"default stored-value card short: another holding enough", sv1, []members.Card{sv1, sv2}, bal(sv1, "50", sv2, "100"), "100", sv2, nil},
		{"the oldest of several holding enough", points, []members.Card{sv1, sv2, sv3}, bal(sv1, "10", sv2, "300", sv3, "900"), "200", sv2, nil},
		{"an expired card is skipped", points, []members.Card{expired, sv1}, bal(expired, "900", sv1, "200"), "200", sv1, nil},
		{"none holds enough (no split payment)", points, []members.Card{sv1, sv2}, bal(sv1, "60", sv2, "60"), "100", points, loyalty.ErrInsufficient},
		{"no stored-value card", points, nil, bal(), "1", points, loyalty.ErrHoldsNoStoredValue},
		{"only an expired stored-value card", points, []members.Card{expired}, bal(expired, "900"), "1", points, loyalty.ErrHoldsNoStoredValue},
	} {
		got, err := loyalty.PayCard(c.def, c.cards, c.balances, d(c.need), now)
		if !errors.Is(err, c.err) || got.ID != c.want.ID {
			t.Errorf("%s: card %s, %v; want %s, %v", c.name, got.Number, err, c.want.Number, c.err)
		}
	}
}

// cardTypes makes card types in the bundle's group: kind, registered or not, own cap.
func (b bundle) cardType(code, kind string, anonymous bool, cap *decimal.Decimal) uuid.UUID {
	b.t.Helper()
	ct, err := memberstest.Service(b.t, b.db, b.orgs).CreateCardType(b.admin, members.CardTypeInput{GroupID: b.org.GroupID,
		Code: code, Name: code, Kind: kind, Anonymous: anonymous, StoredValueCap: cap})
	if err != nil {
		b.t.Fatalf("card type %s: %v", code, err)
	}
	return ct.ID
}

// issue gives a member a card of a type.
func (b bundle) issue(m uuid.UUID, cardType uuid.UUID) member {
	b.t.Helper()
	c, err := memberstest.Service(b.t, b.db, b.orgs).IssueCard(b.admin, members.IssueCardInput{MemberID: m, CardTypeID: cardType})
	if err != nil {
		b.t.Fatalf("issue card: %v", err)
	}
	return member{ID: m, Card: c.ID, Number: c.Number}
}

func (b bundle) rechargeErr(m member, amount string) (loyalty.Recharge, error) {
	return b.svc.RechargeCard(b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number,
		Amount: d(amount), IdempotencyKey: key()})
}

// TestRechargeCap: a recharge that would take the card above its type's cap is refused
// with the room left, the bonus counting; a billion is refused; a points card takes no
// recharge; an anonymous card's cap is ¥1,000.
func TestRechargeCap(t *testing.T) {
	b := setup(t)
	m := b.member() // a registered stored-value card: ¥5,000
	b.recordsNothing("a billion", func() {
		_, err := b.rechargeErr(m, "1000000000")
		if e, ok := errs.As(err); !errors.Is(err, loyalty.ErrStoredValueCap) || !ok ||
			!strings.Contains(e.Message, "at most 5000.00 more") || strings.Join(e.Field, ".") != "input.amount" {
			t.Fatalf("a ¥1,000,000,000 recharge: %v", err)
		}
	})
	if r, err := b.rechargeErr(m, "4900"); err != nil || !r.Balance.Equal(d("4900")) {
		t.Fatalf("¥4,900: %+v, %v", r, err)
	}
	if _, err := b.rechargeErr(m, "100.01"); !errors.Is(err, loyalty.ErrStoredValueCap) ||
		!strings.Contains(err.Error(), "at most 100.00 more") {
		t.Errorf("one fen over: %v", err)
	}
	if r, err := b.rechargeErr(m, "100"); err != nil || !r.Balance.Equal(d("5000")) {
		t.Errorf("up to the cap: %+v, %v", r, err)
	}
	if _, err := b.rechargeErr(m, "0.01"); !errors.Is(err, loyalty.ErrStoredValueCap) {
		t.Errorf("a full card: %v", err)
	}
	b.bought(m, "1000", "1000", "0") // spending makes room again
	if _, err := b.rechargeErr(m, "1000"); err != nil {
		t.Errorf("after spending: %v", err)
	}

	if err := b.svc.SetRechargeBonus(b.admin, b.org.GroupID, d("100"), d("10")); err != nil {
		t.Fatal(err)
	}
	bonus := b.member()
	if _, err := b.rechargeErr(bonus, "4995"); !errors.Is(err, loyalty.ErrStoredValueCap) {
		t.Errorf("4,995 + a bonus of 10: %v, want the cap refused", err)
	}
	if r, err := b.rechargeErr(bonus, "4990"); err != nil || !r.Balance.Equal(d("5000")) {
		t.Errorf("4,990 + a bonus of 10: %+v, %v", r, err)
	}

	anon := b.issue(b.org.Member(t, b.db), b.cardType("GIFT", members.KindStoredValue, true, nil))
	if _, err := b.rechargeErr(anon, "1000.01"); !errors.Is(err, loyalty.ErrStoredValueCap) {
		t.Errorf("an anonymous card above ¥1,000: %v", err)
	}
	low := b.issue(b.org.Member(t, b.db), b.cardType("LOW", members.KindStoredValue, false, ptr(d("300"))))
	if r, err := b.rechargeErr(low, "290"); err != nil || !r.Balance.Equal(d("300")) { // with the bonus of 10
		t.Errorf("a type capped at ¥300, 290: %+v, %v", r, err)
	}
	if _, err := b.rechargeErr(low, "10.01"); !errors.Is(err, loyalty.ErrStoredValueCap) {
		t.Errorf("a type capped at ¥300, 10 more: %v", err)
	}

	pts := b.issue(b.org.Member(t, b.db), b.cardType("PTS", members.KindPoints, false, nil))
	b.recordsNothing("recharging a points card", func() {
		if _, err := b.rechargeErr(pts, "10"); !errors.Is(err, loyalty.ErrHoldsNoStoredValue) {
			t.Errorf("recharging a points card: %v", err)
		}
	})
	b.verify()
}

func ptr[T any](v T) *T { return &v }

// TestRechargeCapConcurrent: many concurrent recharges of one card near its cap never
// take it above the cap together.
func TestRechargeCapConcurrent(t *testing.T) {
	b := setup(t)
	m := b.memberWith("3500")
	const n = 40 // ¥100 each: 15 fit
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, capped := 0, 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := b.rechargeErr(m, "100")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, loyalty.ErrStoredValueCap):
				capped++
			default:
				t.Errorf("recharge: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 15 || capped != n-15 {
		t.Errorf("%d recharges accepted and %d capped, want 15 and %d", ok, capped, n-15)
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "5000")
	b.verify()
}

// TestMemberCodePaysFromStoredValueCard: a member whose default card is the points
// e-card pays stored value through the member code from their stored-value card, or from
// the card the cashier names; a points card never pays stored value.
func TestMemberCodePaysFromStoredValueCard(t *testing.T) {
	b := setup(t)
	id := b.org.Member(t, b.db)
	ecard := b.issue(id, b.cardType("ECARD", members.KindPoints, false, nil)) // the default card: oldest
	sv := b.issue(id, b.org.CardType)
	b.recharge(sv, "500")
	other := b.memberWith("500")
	buy := func(in loyalty.PurchaseInput) (loyalty.Purchase, error) {
		in.MerchantID, in.ReceiptNo, in.IdempotencyKey = b.org.MerchantID, "R"+key()[24:], key()
		if in.Amount.IsZero() {
			in.Amount = d("100")
		}
		return b.svc.RecordPurchase(b.staff, in)
	}
	p, err := buy(loyalty.PurchaseInput{MemberID: id, StoredValue: d("100")})
	if err != nil || p.CardID != ecard.Card || p.PayCardID != sv.Card {
		t.Fatalf("member code, stored value: %+v, %v (e-card %s, stored-value card %s)", p, err, ecard.Card, sv.Card)
	}
	eq(t, "stored value left", b.balances(sv.Card).StoredValue, "400")
	b.refunded(p, "")
	eq(t, "stored value after the refund", b.balances(sv.Card).StoredValue, "500")
	eq(t, "stored value of the e-card", b.balances(ecard.Card).StoredValue, "0")
	if p, err = buy(loyalty.PurchaseInput{MemberID: id, StoredValue: d("100")}); err != nil || p.PayCardID != sv.Card {
		t.Fatalf("member code, stored value again: %+v, %v", p, err)
	}
	if p, err := buy(loyalty.PurchaseInput{MemberID: id, Amount: d("50")}); err != nil || p.PayCardID != ecard.Card {
		t.Errorf("member code, cash only: the default card earns: %+v, %v", p, err)
	}
	if p, err := buy(loyalty.PurchaseInput{MemberID: id, PayCardID: sv.Card, StoredValue: d("100")}); err != nil || p.PayCardID != sv.Card {
		t.Errorf("member code, the cashier names the card: %+v, %v", p, err)
	}
	b.recordsNothing("refused payments", func() {
		for _, c := range []struct {
			name  string
			in    loyalty.PurchaseInput
			want  error
			field string
		}{
			{"the points e-card presented", loyalty.PurchaseInput{CardNumber: ecard.Number, StoredValue: d("10")},
				loyalty.ErrHoldsNoStoredValue, "input.storedValue"},
			{"the points e-card named", loyalty.PurchaseInput{MemberID: id, PayCardID: ecard.Card, StoredValue: d("10")},
				loyalty.ErrHoldsNoStoredValue, "input.payCardId"},
			{"another member's card named", loyalty.PurchaseInput{MemberID: id, PayCardID: other.Card, StoredValue: d("10")},
				loyalty.ErrCardNotFound, "input.payCardId"},
			{"a named card without a member", loyalty.PurchaseInput{CardNumber: sv.Number, PayCardID: sv.Card},
				errs.ErrInvalid, "input.payCardId"},
			{"more than any card holds", loyalty.PurchaseInput{MemberID: id, Amount: d("500"), StoredValue: d("500")},
				loyalty.ErrInsufficient, "input.storedValue"},
		} {
			_, err := buy(c.in)
			if e, ok := errs.As(err); !errors.Is(err, c.want) || !ok || strings.Join(e.Field, ".") != c.field {
				t.Errorf("%s: %v, want %v at %s", c.name, err, c.want, c.field)
			}
		}
	})
	only := b.org.Member(t, b.db)
	b.issue(only, b.cardType("ECARD2", members.KindPoints, false, nil))
	if _, err := buy(loyalty.PurchaseInput{MemberID: only, StoredValue: d("1")}); !errors.Is(err, loyalty.ErrHoldsNoStoredValue) {
		t.Errorf("a member with only a points card: %v", err)
	}
	b.verify()
}
