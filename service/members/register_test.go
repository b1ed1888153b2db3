package members

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/service/errs"
)

func TestRegisterShopperBindsWeChatPhone(t *testing.T) {
	f := setup(t)
	ctx, id := f.shopper()
	f.wechat.SetPhone("phone-code-1", "13912345678")
	bday := time.Date(1990, 3, 4, 0, 0, 0, 0, time.UTC)
	m, err := f.svc.RegisterShopper(ctx, ShopperRegistration{MallID: f.mallA, PhoneCode: "phone-code-1",
		Profile: Profile{Name: "李四", Gender: "female", Birthday: &bday, Tags: []string{"vip", "vip", " 亲子 "}, Phone: "13000000000"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != id || m.Phone != "13912345678" || m.GroupID != f.groupA || m.SourceChannel != ChannelMiniProgram ||
		m.RegisteredAt == nil || *m.RegisteredMallID != f.mallA || !m.HasWeChat {
		t.Fatalf("registered member = %+v", m)
	}
	if len(m.Tags) != 2 || m.Tags[1] != "亲子" || m.Birthday == nil || !m.Birthday.Equal(bday) {
		t.Fatalf("profile = %+v", m)
	}
	me, err := f.svc.Me(ctx)
	if err != nil || me.Phone != m.Phone {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	_, err = f.svc.RegisterShopper(ctx, ShopperRegistration{MallID: f.mallA, PhoneCode: "phone-code-1"})
	if !errors.Is(err, ErrAlreadyRegistered) {
		t.Fatalf("second registration: %v", err)
	}
}

func TestRegisterShopperErrors(t *testing.T) {
	f := setup(t)
	owner, _ := f.shopper() // a member already bound to WeChat owns the phone
	f.wechat.SetPhone("owner", "13955556666")
	taken, err := f.svc.RegisterShopper(owner, ShopperRegistration{MallID: f.mallA, PhoneCode: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, id := f.shopper()
	f.wechat.SetPhone("taken", taken.Phone)
	cases := []struct {
		name string
		in   ShopperRegistration
		want error
	}{
		{"invalid WeChat code", ShopperRegistration{MallID: f.mallA, PhoneCode: wechattest.CodeInvalid}, ErrWeChatPhone},
		{"empty code", ShopperRegistration{MallID: f.mallA}, errs.ErrInvalid},
		{"phone taken in group", ShopperRegistration{MallID: f.mallA, PhoneCode: "taken"}, ErrPhoneTaken},
		{"unknown referrer", ShopperRegistration{MallID: f.mallA, PhoneCode: "x", Profile: Profile{Referrer: "13111111111"}}, ErrReferrerNotFound},
		{"bad gender", ShopperRegistration{MallID: f.mallA, PhoneCode: "x", Profile: Profile{Gender: "robot"}}, errs.ErrInvalid},
	}
	for _, c := range cases {
		if _, err := f.svc.RegisterShopper(ctx, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	m, _ := loadMember(f.ctx, f.db.Pool, id)
	if m.RegisteredAt != nil || m.Phone != "" {
		t.Fatalf("failed registrations changed the member: %+v", m)
	}
	// The same phone in another group is fine.
	f.wechat.SetPhone("taken-b", taken.Phone)
	if _, err := f.svc.RegisterShopper(ctx, ShopperRegistration{MallID: f.mallB, PhoneCode: "taken-b"}); err != nil {
		t.Fatalf("phone in another group: %v", err)
	}
	if _, err := f.svc.RegisterShopper(f.deskA, ShopperRegistration{MallID: f.mallA, PhoneCode: "x"}); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff as shopper: %v", err)
	}
}

func TestRegisterAtDesk(t *testing.T) {
	f := setup(t)
	ref := f.member()
	m, err := f.svc.RegisterAtDesk(f.deskA, DeskRegistration{MallID: f.mallA, Profile: Profile{
		Name: "王五", Phone: "+86 139-0000-1111", Gender: "男", Referrer: ref.Phone, Tags: []string{"golf"}}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Phone != "13900001111" || m.Gender != "male" || m.ReferrerID == nil || *m.ReferrerID != ref.ID ||
		m.SourceChannel != ChannelServiceDesk || m.GroupID != f.groupA || m.HasWeChat {
		t.Fatalf("member = %+v", m)
	}
	byID, err := f.svc.RegisterAtDesk(f.deskA, DeskRegistration{MallID: f.mallA, Profile: Profile{
		Name: "赵六", Phone: "13900002222", Referrer: ref.ID.String(), SourceChannel: ChannelCallCenter}})
	if err != nil || *byID.ReferrerID != ref.ID || byID.SourceChannel != ChannelCallCenter {
		t.Fatalf("referrer by id: %+v %v", byID, err)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'member.register'`); n < 3 {
		t.Fatalf("audit rows = %d", n)
	}
	cases := []struct {
		name string
		ctx  context.Context
		in   DeskRegistration
		want error
	}{
		{"duplicate phone", f.deskA, DeskRegistration{MallID: f.mallA, Profile: Profile{Name: "x", Phone: "13900001111"}}, ErrPhoneTaken},
		{"no name", f.deskA, DeskRegistration{MallID: f.mallA, Profile: Profile{Phone: "13900003333"}}, errs.ErrInvalid},
		{"bad phone", f.deskA, DeskRegistration{MallID: f.mallA, Profile: Profile{Name: "x", Phone: "12345"}}, errs.ErrInvalid},
		{"future birthday", f.deskA, DeskRegistration{MallID: f.mallA, Profile: Profile{Name: "x", Phone: "13900003333",
			Birthday: ptr(f.stdTime.AddDate(1, 0, 0))}}, errs.ErrInvalid},
		{"other mall's desk", f.deskB, DeskRegistration{MallID: f.mallA, Profile: Profile{Name: "x", Phone: "13900003333"}}, errs.ErrForbidden},
		{"merchant staff", f.merchantStaffA, DeskRegistration{MallID: f.mallA, Profile: Profile{Name: "x", Phone: "13900003333"}}, errs.ErrForbidden},
		{"anonymous", f.anonymous, DeskRegistration{MallID: f.mallA, Profile: Profile{Name: "x", Phone: "13900003333"}}, errs.ErrUnauthenticated},
	}
	before := f.count(`SELECT count(*) FROM members`)
	for _, c := range cases {
		if _, err := f.svc.RegisterAtDesk(c.ctx, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if after := f.count(`SELECT count(*) FROM members`); after != before {
		t.Fatalf("failed registrations added members: %d → %d", before, after)
	}
}

func TestNormalizeProfile(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	long := make([]string, 21)
	for i := range long {
		long[i] = string(rune('a' + i))
	}
	cases := []struct {
		name  string
		in    Profile
		field string // "" = valid
	}{
		{"ok", Profile{Name: "A", Phone: "13800000000"}, ""},
		{"86 prefix", Profile{Name: "A", Phone: "8613800000000"}, ""},
		{"landline", Profile{Name: "A", Phone: "02188888888"}, "phone"},
		{"long name", Profile{Name: string(make([]rune, 51)), Phone: "13800000000"}, "name"},
		{"too many tags", Profile{Name: "A", Phone: "13800000000", Tags: long}, "tags"},
		{"old birthday", Profile{Name: "A", Phone: "13800000000", Birthday: ptr(time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC))}, "birthday"},
		{"channel", Profile{Name: "A", Phone: "13800000000", SourceChannel: "tv"}, "sourceChannel"},
	}
	for _, c := range cases {
		_, err := normalize(c.in, "", true, now)
		e, _ := errs.As(err)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.field != "" && (e == nil || len(e.Field) == 0 || e.Field[0] != c.field):
			t.Errorf("%s: err = %v, want field %s", c.name, err, c.field)
		}
	}
}

func ptr[T any](v T) *T { return &v }
