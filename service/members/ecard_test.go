package members

import (
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/service/errs"
)

// With a card type marked IssueOnRegistration, every way of registering (mini-program,
// desk, import) gives the member one electronic card of it, recorded as a card event; a
// member who binds WeChat to a desk registration keeps their one card.
func TestRegistrationIssuesTheElectronicCard(t *testing.T) {
	f := setup(t)
	before := f.member() // registered before the group had an e-card type: none
	if n := f.count(`SELECT count(*) FROM cards WHERE member_id = $1`, before.ID); n != 0 {
		t.Fatalf("card before any e-card type: %d", n)
	}
	ecard, err := f.svc.CreateCardType(f.opsA, CardTypeInput{GroupID: f.groupA, Code: "ECARD", Name: "E-card",
		Kind: KindPoints, IssueOnRegistration: true})
	if err != nil || !ecard.IssueOnRegistration {
		t.Fatalf("e-card type: %+v, %v", ecard, err)
	}
	for name, in := range map[string]CardTypeInput{
		"a second one": {GroupID: f.groupA, Code: "ECARD2", Name: "x", Kind: KindStoredValue, IssueOnRegistration: true},
		"a count card": {GroupID: f.groupA, Code: "CNT", Name: "x", Kind: KindCount, ServiceName: "wash", IssueOnRegistration: true},
	} {
		if _, err := f.svc.CreateCardType(f.opsA, in); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := f.svc.CreateCardType(f.opsA, CardTypeInput{GroupID: f.groupA, Code: "ECARD3", Name: "x", Kind: KindPoints,
		IssueOnRegistration: true}); !errors.Is(err, ErrRegistrationTypeTaken) {
		t.Errorf("second e-card type: %v", err)
	}
	if _, err := f.svc.CreateCardType(f.opsA, CardTypeInput{GroupID: f.groupA, Code: "CNT2", Name: "x", Kind: KindCount,
		ServiceName: "wash", IssueOnRegistration: true}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("count e-card type: %v", err)
	}

	desk := f.member()
	ctx, shopper := f.shopper()
	f.wechat.SetPhone("ecard-phone", nextPhone())
	if _, err := f.svc.RegisterShopper(ctx, ShopperRegistration{MallID: f.mallA, PhoneCode: "ecard-phone"}); err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]any{"desk": desk.ID, "mini-program": shopper} {
		if n := f.count(`SELECT count(*) FROM cards WHERE member_id = $1 AND card_type_id = $2 AND status = 'active'`,
			id, ecard.ID); n != 1 {
			t.Errorf("%s registration: %d e-cards", name, n)
		}
		if n := f.count(`SELECT count(*) FROM card_events e JOIN cards c ON c.id = e.card_id
			WHERE c.member_id = $1 AND e.action = 'issue'`, id); n != 1 {
			t.Errorf("%s registration: %d issue events", name, n)
		}
	}

	// The desk member binds WeChat: still one card.
	bindCtx, _ := f.shopper()
	f.wechat.SetPhone("bind-phone", desk.Phone)
	if _, err := f.svc.RegisterShopper(bindCtx, ShopperRegistration{MallID: f.mallA, PhoneCode: "bind-phone"}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM cards WHERE member_id = $1`, desk.ID); n != 1 {
		t.Errorf("after binding WeChat: %d cards", n)
	}
	// A member registered before the e-card type binding WeChat gets one.
	lateCtx, _ := f.shopper()
	f.wechat.SetPhone("late-phone", before.Phone)
	if _, err := f.svc.RegisterShopper(lateCtx, ShopperRegistration{MallID: f.mallA, PhoneCode: "late-phone"}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM cards WHERE member_id = $1`, before.ID); n != 1 {
		t.Errorf("a member without a card binding WeChat: %d cards", n)
	}
}
