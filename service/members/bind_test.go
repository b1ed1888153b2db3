package members

import (
	"errors"
	"testing"
)

func TestWeChatRegistrationBindsDeskMember(t *testing.T) {
	f := setup(t)
	desk := f.member(func(p *Profile) { p.Name = "柜台会员" })
	c := f.card(desk, "")
	ctx, shopperID := f.shopper()
	f.wechat.SetPhone("mine", desk.Phone)
	m, err := f.svc.RegisterShopper(ctx, ShopperRegistration{MallID: f.mallA, PhoneCode: "mine", Profile: Profile{Name: "ignored"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != desk.ID || !m.HasWeChat || m.Name != "柜台会员" {
		t.Fatalf("bound member = %+v", m)
	}
	var status string
	var openid *string
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT status, openid FROM members WHERE id = $1`, shopperID).Scan(&status, &openid); err != nil ||
		status != "merged" || openid != nil {
		t.Fatalf("retired identity: %s %v %v", status, openid, err)
	}
	if n := f.count(`SELECT count(*) FROM members WHERE openid = $1`, "o"+shopperID.String()); n != 1 {
		t.Fatalf("openid rows = %d", n)
	}
	if cards, _ := f.svc.MemberCards(f.deskA, desk.ID); len(cards) != 1 || cards[0].ID != c.ID {
		t.Fatalf("cards after binding: %v", cards)
	}
	// The membership now has WeChat: another WeChat account cannot take it.
	other, _ := f.shopper()
	f.wechat.SetPhone("theirs", desk.Phone)
	if _, err := f.svc.RegisterShopper(other, ShopperRegistration{MallID: f.mallA, PhoneCode: "theirs"}); !errors.Is(err, ErrPhoneTaken) {
		t.Fatalf("second WeChat account: %v", err)
	}
	if f.count(`SELECT count(*) FROM audit_log WHERE action = 'member.bind_wechat' AND entity_id = $1`, desk.ID) != 1 {
		t.Fatal("binding not audited")
	}
}
