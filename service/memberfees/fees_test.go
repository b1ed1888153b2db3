package memberfees_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/memberfees/feerules"
	"github.com/atrium-mall/atrium/service/members"
)

func kinds(fs []memberfees.Fee) map[string]int {
	out := map[string]int{}
	for _, f := range fs {
		out[f.Kind]++
	}
	return out
}

func TestSellChargesPriceAndJoiningFee(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	if !s.Price.Equal(dec("200")) || s.JoiningFee == nil || !s.JoiningFee.Amount.Equal(dec("50")) {
		t.Fatalf("sale %+v", s)
	}
	if want := f.base.Clock.Now().AddDate(0, 12, 0); s.ExpiresAt == nil || !s.ExpiresAt.Equal(want) {
		t.Fatalf("expires %v, want %v", s.ExpiresAt, want)
	}
	f.verify(t)
}

func TestFeeJobRunTwiceChargesOncePerPeriod(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	supp, err := f.mem.IssueCard(f.admin, members.IssueCardInput{MemberID: f.member(t), PrimaryCardID: &s.CardID,
		SpendLimit: decp("100")})
	if err != nil {
		t.Fatal(err)
	}
	if r := f.run(t); r.Charged != 2 {
		t.Fatalf("first run charged %d, want the card's and the supplementary card's first year", r.Charged)
	}
	if r := f.run(t); r.Charged != 0 || r.Penalties != 0 {
		t.Fatalf("second run %+v, want nothing", r)
	}
	fs := f.fees(t, s.CardID)
	if k := kinds(fs); k[feerules.Joining] != 1 || k[feerules.Annual] != 1 {
		t.Fatalf("fees %v", k)
	}
	sf := f.fees(t, supp.ID)
	if len(sf) != 1 || sf[0].Kind != feerules.SupplementaryAnnual || sf[0].PayerID != s.CardID || !sf[0].Amount.Equal(dec("30")) {
		t.Fatalf("supplementary fees %+v", sf)
	}
	// A week before the first anniversary: a reminder, once.
	f.base.Clock.Set(time.Date(2027, 2, 24, 9, 0, 0, 0, sh))
	if r := f.run(t); r.Reminders < 2 || r.Charged != 0 {
		t.Fatalf("reminder run %+v", r)
	}
	// The anniversary: the sold card's second year falls beyond its 12-month validity
	// (not charged); the supplementary card has no expiry (its second year is charged),
	// once however often the job runs.
	f.base.Clock.Set(time.Date(2027, 3, 2, 9, 0, 0, 0, sh))
	r1, r2 := f.run(t), f.run(t)
	if r1.Charged != 1 || r2.Charged != 0 {
		t.Fatalf("runs on the anniversary %+v %+v", r1, r2)
	}
	if k := kinds(f.fees(t, s.CardID)); k[feerules.Annual] != 1 {
		t.Fatalf("annual fees of the expired card %v", k)
	}
	if k := kinds(f.fees(t, supp.ID)); k[feerules.SupplementaryAnnual] != 2 {
		t.Fatalf("supplementary fees %v", k)
	}
	f.verify(t)
}

func TestFeeJobAnnualFeeEachYearOfValidity(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	if _, err := f.svc.Renew(f.desk, memberfees.RenewInput{MallID: f.org.MallID, CardID: s.CardID, IdempotencyKey: "r1"}); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	f.base.Clock.Set(time.Date(2027, 3, 1, 12, 0, 0, 0, sh))
	f.run(t)
	f.run(t)
	if k := kinds(f.fees(t, s.CardID)); k[feerules.Annual] != 2 {
		t.Fatalf("annual fees %v, want one per year of validity", k)
	}
	f.verify(t)
}

func TestLatePenaltyPerPolicy(t *testing.T) {
	f := setup(t)
	pol := feerules.Policy{PaymentDays: 10, GraceDays: 5, Mode: feerules.PenaltyPerDay, DailyRate: dec("0.01"),
		Cap: decp("8"), RemindDays: 7}
	if _, err := f.svc.SetPolicy(f.finance, f.org.GroupID, pol); !errors.Is(err, errsForbidden) {
		t.Fatalf("mall finance sets the group policy: %v", err)
	}
	if _, err := f.svc.SetPolicy(f.admin, f.org.GroupID, pol); err != nil {
		t.Fatal(err)
	}
	s := f.sell(t)
	f.run(t) // annual ¥100 due 2026-03-11; joining ¥50 due 2026-03-01
	var annual memberfees.Fee
	for _, x := range f.fees(t, s.CardID) {
		if x.Kind == feerules.Annual {
			annual = x
		}
	}
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, sh) }
	for _, tc := range []struct {
		day  int
		want string // the annual fee's penalty
	}{{11, "0"}, {16, "0"}, {17, "6"}, {17, "6"}, {18, "7"}, {25, "8"}} {
		f.base.Clock.Set(day(tc.day))
		f.run(t)
		got := decimal.Zero
		for _, x := range f.fees(t, s.CardID) {
			if x.Kind == feerules.LatePenalty && x.PenaltyOf != nil && *x.PenaltyOf == annual.ID {
				got = x.Amount
			}
		}
		if want := feerules.Penalty(pol, dec("100"), feerules.Date(annual.DueOn), feerules.Date(day(tc.day))); !want.Equal(dec(tc.want)) {
			t.Fatalf("day %d: the rule says %s, the table %s", tc.day, want, tc.want)
		}
		if !got.Equal(dec(tc.want)) {
			t.Fatalf("day %d: penalty %s, want %s", tc.day, got, tc.want)
		}
	}
	f.verify(t)
}

func TestWaiverNeedsSecondPersonAndReversesOnce(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	fee := *s.JoiningFee
	w, err := f.svc.RequestWaiver(f.finance, f.org.MallID, fee.ID, nil, "VIP launch offer")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RequestWaiver(f.desk, f.org.MallID, fee.ID, nil, "again"); !errors.Is(err, memberfees.ErrWaiverOpen) {
		t.Fatalf("second open waiver: %v", err)
	}
	if _, err := f.svc.DecideWaiver(f.finance, f.org.MallID, w.ID, true); !errors.Is(err, memberfees.ErrSecondPerson) {
		t.Fatalf("self approval: %v", err)
	}
	if _, err := f.svc.DecideWaiver(f.desk, f.org.MallID, w.ID, true); !errors.Is(err, errsForbidden) {
		t.Fatalf("service desk approval: %v", err)
	}
	// two approvers at once: one reverses, the other finds it decided.
	errc := make(chan error, 2)
	for _, ctx := range []context.Context{f.finance2, f.admin} {
		go func() { _, err := f.svc.DecideWaiver(ctx, f.org.MallID, w.ID, true); errc <- err }()
	}
	var ok, decided int
	for range 2 {
		switch err := <-errc; {
		case err == nil:
			ok++
		case errors.Is(err, memberfees.ErrWaiverDecided):
			decided++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || decided != 1 {
		t.Fatalf("approvals ok %d decided %d", ok, decided)
	}
	for _, x := range f.fees(t, s.CardID) {
		if x.ID == fee.ID && (x.Status != "waived" || !x.Waived.Equal(dec("50"))) {
			t.Fatalf("fee after waiver %+v", x)
		}
	}
	if _, err := f.svc.RequestWaiver(f.finance, f.org.MallID, fee.ID, nil, "again"); !errors.Is(err, memberfees.ErrFeeSettled) {
		t.Fatalf("waiving a waived fee: %v", err)
	}
	f.verify(t)
}

func TestPayFeeFromStoredValueAndCash(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	f.run(t)
	var annual memberfees.Fee
	for _, x := range f.fees(t, s.CardID) {
		if x.Kind == feerules.Annual {
			annual = x
		}
	}
	in := memberfees.PayInput{MallID: f.org.MallID, FeeID: annual.ID, Method: memberfees.MethodStoredValue, IdempotencyKey: "p1"}
	if _, err := f.svc.Pay(f.desk, in); err == nil {
		t.Fatal("paid from an empty card")
	}
	f.fund(t, s.CardID, "150")
	paid, err := f.svc.Pay(f.desk, in)
	if err != nil || paid.Status != "paid" {
		t.Fatalf("pay %+v %v", paid, err)
	}
	if again, err := f.svc.Pay(f.desk, in); err != nil || again.Status != "paid" {
		t.Fatalf("replay %+v %v", again, err)
	}
	if b := f.balance(t, s.CardID); !b.Equal(dec("50")) {
		t.Fatalf("balance %s, want 50 (paid once)", b)
	}
	shift := s.CardID // any id: shifts are another context's
	cash, err := f.svc.Pay(f.desk, memberfees.PayInput{MallID: f.org.MallID, FeeID: s.JoiningFee.ID, Method: memberfees.MethodCash,
		Amount: decp("20"), ShiftID: &shift, IdempotencyKey: "p2"})
	if err != nil || cash.Status != "open" || !cash.Paid.Equal(dec("20")) {
		t.Fatalf("part payment %+v %v", cash, err)
	}
	f.verify(t)
}

func TestGroupCardPayerPaysFees(t *testing.T) {
	f := setup(t)
	payer := f.sell(t)
	g, err := f.svc.CreateCardGroup(f.desk, memberfees.CardGroupInput{MallID: f.org.MallID, Name: "ACME staff",
		PayerCompany: "ACME Ltd"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.svc.Sell(f.desk, memberfees.SellInput{MallID: f.org.MallID, MemberID: f.member(t), CardTypeID: f.gold,
		CardGroupID: &g.ID, IdempotencyKey: "g1"})
	if err != nil {
		t.Fatal(err)
	}
	if s.JoiningFee == nil || s.JoiningFee.PayerID != g.ID {
		t.Fatalf("joining fee of a group card %+v", s.JoiningFee)
	}
	if g, err = f.svc.AddToCardGroup(f.desk, f.org.MallID, g.ID, payer.CardID); err != nil || len(g.HolderCardIDs) != 2 {
		t.Fatalf("add %+v %v", g, err)
	}
	f.run(t)
	for _, x := range f.fees(t, s.CardID) {
		if x.PayerID != g.ID {
			t.Fatalf("fee %s paid by %s, want the group", x.Kind, x.PayerID)
		}
	}
	if _, err := f.svc.Pay(f.desk, memberfees.PayInput{MallID: f.org.MallID, FeeID: s.JoiningFee.ID,
		Method: memberfees.MethodStoredValue, IdempotencyKey: "gp"}); !errors.Is(err, memberfees.ErrPayerCardNeeded) {
		t.Fatalf("a company pays in cash: %v", err)
	}
	if _, err := f.svc.Pay(f.desk, memberfees.PayInput{MallID: f.org.MallID, FeeID: s.JoiningFee.ID,
		Method: memberfees.MethodCash, IdempotencyKey: "gc"}); err != nil {
		t.Fatal(err)
	}
	f.verify(t)
}

func TestLinkedCardsShareView(t *testing.T) {
	f := setup(t)
	head, kid := f.sell(t), f.sell(t)
	f.fund(t, head.CardID, "100")
	f.fund(t, kid.CardID, "30")
	v, err := f.svc.Link(f.desk, memberfees.LinkInput{MallID: f.org.MallID, HeadCardID: head.CardID, CardID: kid.CardID,
		Relation: "child"})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Cards) != 2 || !v.TotalValue.Equal(dec("130")) {
		t.Fatalf("view %+v", v)
	}
	if _, err := f.svc.Link(f.desk, memberfees.LinkInput{MallID: f.org.MallID, HeadCardID: kid.CardID, CardID: head.CardID,
		Relation: "parent"}); !errors.Is(err, memberfees.ErrLink) {
		t.Fatalf("link back: %v", err)
	}
}
