package callers_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/callers"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
)

// TestCallerLookupMaskedPerRole: a member's call shows the member with points to the
// desk (whole phone) and member operations (masked); an unknown number is logged
// without a member; notes and outcomes are kept.
func TestCallerLookupMaskedPerRole(t *testing.T) {
	t.Parallel()
	base := servicetest.New(t, time.Now())
	w := redemptiontest.NewWorld(t, base.DB)
	svc := callers.New(callers.Deps{DB: base.DB, Org: base.Org, Ledger: base.Ledger, Now: base.Clock.Now})
	ctx := context.Background()
	id := w.Member(t, base.DB)
	card := w.Card(t, id)
	m, err := members.MemberOf(ctx, base.DB.Pool, id)
	if err != nil {
		t.Fatal(err)
	}
	err = base.DB.InTx(ctx, func(tx pgx.Tx) error {
		g, err := base.Ledger.LockCardsTx(ctx, tx, card)
		if err == nil {
			_, err = base.Ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: g, CardID: card, Points: decimal.NewFromInt(88),
				From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: base.Clock.Now().Add(-time.Minute),
				ExpiresAt: base.Clock.Now().AddDate(1, 0, 0), Kind: "earn", Key: "t:" + card.String()})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		role   auth.Role
		masked bool
	}{
		{"service desk sees the whole phone", auth.RoleServiceDesk, false},
		{"admin sees the whole phone", auth.RoleAdmin, false},
		{"member operations see it masked", auth.RoleMemberOps, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			staff := w.MallStaffAs(ctx, c.role)
			got, err := svc.Recognize(staff, w.MallID, "+86 "+m.Phone)
			if err != nil || got.Member == nil || got.Member.ID != id || !got.Points.Equal(decimal.NewFromInt(88)) {
				t.Fatalf("recognize: %+v %v", got, err)
			}
			want := m.Phone
			if c.masked {
				want = "*******" + m.Phone[7:]
			}
			if got.Member.Phone != want || got.Call.Phone != want || got.PhoneMasked != c.masked {
				t.Errorf("phones %q / %q, want %q", got.Member.Phone, got.Call.Phone, want)
			}
			list, err := svc.Calls(staff, w.MallID, 10)
			if err != nil || len(list) == 0 || list[0].Phone != want {
				t.Errorf("call log: %+v %v", list, err)
			}
		})
	}
	desk := w.MallStaffAs(ctx, auth.RoleServiceDesk)
	unknown, err := svc.Recognize(desk, w.MallID, "13000000000")
	if err != nil || unknown.Member != nil || unknown.Call.MemberID != nil {
		t.Fatalf("unknown number: %+v %v", unknown, err)
	}
	done, err := svc.UpdateCall(desk, unknown.Call.ID, callers.OutcomeResolved, "wrong number")
	if err != nil || done.Outcome != callers.OutcomeResolved || done.Note != "wrong number" {
		t.Errorf("update: %+v %v", done, err)
	}
	if _, err := svc.UpdateCall(desk, unknown.Call.ID, "MAYBE", ""); err == nil {
		t.Error("unknown outcome accepted")
	}
}

func TestCallerAccess(t *testing.T) {
	t.Parallel()
	base := servicetest.New(t, time.Now())
	w := redemptiontest.NewWorld(t, base.DB)
	other := redemptiontest.NewWorld(t, base.DB)
	svc := callers.New(callers.Deps{DB: base.DB, Org: base.Org, Ledger: base.Ledger, Now: base.Clock.Now})
	ctx := context.Background()
	id := w.Member(t, base.DB)
	m, _ := members.MemberOf(ctx, base.DB.Pool, id)
	call, err := svc.Recognize(w.MallStaffAs(ctx, auth.RoleServiceDesk), w.MallID, m.Phone)
	if err != nil {
		t.Fatal(err)
	}
	denied := map[string]context.Context{
		"another mall's desk":  auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(), Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: w.OtherMallID}}}),
		"another group's desk": other.MallStaffAs(ctx, auth.RoleServiceDesk),
		"wrong role (leasing)": w.MallStaffAs(ctx, auth.RoleLeasing),
		"merchant staff":       redemptiontest.MerchantStaff(ctx, w.MerchantA),
		"the member":           redemptiontest.Shopper(ctx, id),
		"anonymous":            ctx,
	}
	for who, c := range denied {
		t.Run(who, func(t *testing.T) {
			ops := map[string]error{}
			var got callers.Caller
			got, ops["recognize"] = svc.Recognize(c, w.MallID, m.Phone)
			_, ops["calls"] = svc.Calls(c, w.MallID, 10)
			_, ops["call"] = svc.CallByID(c, call.Call.ID)
			_, ops["update"] = svc.UpdateCall(c, call.Call.ID, callers.OutcomeResolved, "x")
			for op, err := range ops {
				if !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) && !errors.Is(err, errs.ErrUnauthenticated) {
					t.Errorf("%s: %v", op, err)
				}
			}
			if got.Member != nil || strings.Contains(got.Call.Phone, m.Phone) {
				t.Errorf("leaked %+v", got)
			}
		})
	}
}
