package members

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/qrtest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestMemberCodeRoundTrip(t *testing.T) {
	f := setup(t)
	ctx, id := f.shopper()
	if _, err := f.svc.MyMemberCode(ctx); !errors.Is(err, ErrNotRegistered) {
		t.Fatalf("unregistered: %v", err)
	}
	if _, err := f.svc.RegisterShopper(ctx, ShopperRegistration{MallID: f.mallA, PhoneCode: "p1"}); err != nil {
		t.Fatal(err)
	}
	card := f.card(Member{ID: id}, "")
	mc, err := f.svc.MyMemberCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !mc.ExpiresAt.Equal(f.stdTime.Add(60 * time.Second)) {
		t.Fatalf("expires %v", mc.ExpiresAt)
	}
	if scanned := qrtest.Text(t, mc.PNG, mc.Code); scanned != mc.Code {
		t.Fatalf("QR holds %q, code is %q", scanned, mc.Code)
	}
	for _, staff := range []struct {
		name string
		ctx  context.Context
	}{{"desk", f.deskA}, {"merchant staff", f.merchantStaffA}, {"group ops", f.opsA}} {
		r, err := f.svc.ResolveMemberCode(staff.ctx, mc.Code)
		if err != nil || r.Member.ID != id || r.DefaultCard == nil || r.DefaultCard.ID != card.ID {
			t.Fatalf("%s resolve = %+v, %v", staff.name, r, err)
		}
		masked := strings.Contains(r.Member.Phone, "*")
		if cashier := staff.ctx == f.merchantStaffA; masked != cashier {
			t.Fatalf("%s sees phone %q: a cashier sees it masked, member staff in full", staff.name, r.Member.Phone)
		}
	}
	if _, err := f.svc.Card(f.merchantStaffA, card.ID); !errors.Is(err, ErrCardNotFound) {
		t.Fatalf("a cashier reads a card by id: %v, want CARD_NOT_FOUND", err)
	}
	if _, err := f.svc.ResolveMemberCode(f.deskB, mc.Code); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("other group's staff: %v", err)
	}
	if _, err := f.svc.ResolveMemberCode(ctx, mc.Code); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("shopper resolving: %v", err)
	}
	// It rotates: a code issued later differs, both valid inside the window.
	f.clock.Add(30 * time.Second)
	mc2, _ := f.svc.MyMemberCode(ctx)
	if mc2.Code == mc.Code {
		t.Fatal("code did not rotate")
	}
	if _, err := f.svc.ResolveMemberCode(f.deskA, mc.Code); err != nil {
		t.Fatalf("at 30 s: %v", err)
	}
	f.clock.Add(31 * time.Second)
	if _, err := f.svc.ResolveMemberCode(f.deskA, mc.Code); !errors.Is(err, ErrMemberCodeExpired) {
		t.Fatalf("at 61 s: %v", err)
	}
	if _, err := f.svc.ResolveMemberCode(f.deskA, mc2.Code); err != nil {
		t.Fatalf("newer code at 31 s: %v", err)
	}
}

func TestMemberCodeForgedAndMalformed(t *testing.T) {
	t.Parallel()
	id := uuid.New()
	now := time.Unix(1_800_000_000, 0)
	good := encodeCode(testKey, id, now)
	other := encodeCode([]byte("another key, also 32 bytes long!"), id, now)
	flipped := []byte(good)
	flipped[10] ^= 1
	cases := map[string]string{
		"other key":      other,
		"flipped byte":   string(flipped),
		"truncated":      good[:len(good)-1],
		"empty":          "",
		"not base64":     strings.Repeat("*", len(good)),
		"padded":         good + "=",
		"another member": encodeCode(testKey, uuid.New(), now)[:20] + good[20:],
	}
	for name, code := range cases {
		if _, _, err := decodeCode(testKey, code); !errors.Is(err, ErrMemberCodeInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, at, err := decodeCode(testKey, good)
	if err != nil || got != id || !at.Equal(now) {
		t.Fatalf("good code: %v %v %v", got, at, err)
	}
	freshness := []struct {
		age  time.Duration
		want error
	}{{0, nil}, {60 * time.Second, nil}, {61 * time.Second, ErrMemberCodeExpired},
		{-5 * time.Second, nil}, {-6 * time.Second, ErrMemberCodeInvalid}}
	for _, c := range freshness {
		if err := checkFresh(now, now.Add(c.age), time.Minute); !errors.Is(err, c.want) && err != c.want {
			t.Errorf("age %v: %v, want %v", c.age, err, c.want)
		}
	}
}

// FuzzDecodeCode: any input either decodes to the member and time it was signed with,
// or is ErrMemberCodeInvalid; never a panic.
func FuzzDecodeCode(f *testing.F) {
	f.Add(encodeCode(testKey, uuid.New(), time.Unix(1_800_000_000, 0)))
	f.Add("")
	f.Add(strings.Repeat("A", codeTextLen))
	f.Add("AQ" + strings.Repeat("_", codeTextLen-2))
	f.Fuzz(func(t *testing.T, code string) {
		id, at, err := decodeCode(testKey, code)
		if err != nil {
			if !errors.Is(err, ErrMemberCodeInvalid) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if encodeCode(testKey, id, at) != code {
			t.Fatalf("accepted a code that is not the canonical signature of its content: %q", code)
		}
	})
}
