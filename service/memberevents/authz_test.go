package memberevents

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// refused says err is FORBIDDEN, NOT_FOUND or UNAUTHENTICATED (the caller gets nothing).
func refused(err error) bool {
	return errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrUnauthenticated)
}

// TestMemberEventsAuthorization: every operation refuses another mall's staff, staff of
// the wrong role, merchant staff, another group's member and the anonymous; a member
// cannot act on another member's sign-up (every shopper operation is the viewer's own).
func TestMemberEventsAuthorization(t *testing.T) {
	f := setup(t)
	e := f.event(t, 5, 0, nowEvent(f))
	m, _ := f.member(t, 0)
	if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, m), e.ID, "k"); err != nil {
		t.Fatal(err)
	}
	otherWorld := redemptiontest.NewWorld(t, f.db)
	stranger := otherWorld.Member(t, f.db) // a member of another group
	otherMall := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: f.world.OtherMallID}}})
	finance := f.world.MallStaffAs(f.ctx, auth.RoleFinance)
	desk := f.world.MallStaffAs(f.ctx, auth.RoleServiceDesk)
	merchant := redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA)
	shopper := redemptiontest.Shopper(f.ctx, m)
	strangerCtx := redemptiontest.Shopper(f.ctx, stranger)
	anon := context.Background()
	in := EventInput{MallID: f.world.MallID, Title: "t", Place: "p", Capacity: 1, SignupOpensAt: f.start,
		SignupClosesAt: f.start.Add(time.Hour), StartsAt: f.start, EndsAt: f.start.Add(2 * time.Hour)}
	scan := []Scan{{ScanID: "scan-authz-1", Code: "x"}}
	ops := map[string]func(ctx context.Context) error{
		"createMemberEvent": func(ctx context.Context) error { _, err := f.svc.CreateEvent(ctx, in); return err },
		"memberEvent":       func(ctx context.Context) error { _, err := f.svc.Event(ctx, e.ID); return err },
		"memberEvents": func(ctx context.Context) error {
			_, err := f.svc.Events(ctx, f.world.MallID, page.Request{First: 10})
			return err
		},
		"memberEventSignups": func(ctx context.Context) error { _, err := f.svc.EventSignups(ctx, e.ID); return err },
		"checkInMemberEvent": func(ctx context.Context) error { _, err := f.svc.CheckIn(ctx, e.ID, scan); return err },
		"closeMemberEvent":   func(ctx context.Context) error { _, err := f.svc.CloseEvent(ctx, e.ID, "c"); return err },
		"signUpForMemberEvent": func(ctx context.Context) error {
			_, err := f.svc.SignUp(ctx, e.ID, "k2")
			return err
		},
		"cancelMemberEventSignup": func(ctx context.Context) error {
			_, err := f.svc.CancelSignup(ctx, e.ID, "c")
			return err
		},
		"myMemberEventSignup": func(ctx context.Context) error { _, err := f.svc.MySignup(ctx, e.ID); return err },
		"signInAtMemberEvent": func(ctx context.Context) error { _, err := f.svc.SignIn(ctx, e.ID); return err },
		"drawMemberEventLottery": func(ctx context.Context) error {
			_, err := f.svc.DrawEventLottery(ctx, e.ID)
			return err
		},
		"takeMemberEventGift": func(ctx context.Context) error { _, err := f.svc.TakeEventGift(ctx, e.ID); return err },
	}
	staffOnly := map[string]bool{"createMemberEvent": true, "memberEventSignups": true, "checkInMemberEvent": true,
		"closeMemberEvent": true}
	manageOnly := map[string]bool{"createMemberEvent": true, "closeMemberEvent": true}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			callers := map[string]context.Context{"another mall's staff": otherMall, "finance": finance,
				"merchant staff": merchant, "another group's member": strangerCtx, "anonymous": anon}
			if staffOnly[name] {
				callers["a member"] = shopper
			}
			if manageOnly[name] {
				callers["service desk"] = desk
			}
			for who, ctx := range callers {
				if err := op(ctx); !refused(err) {
					t.Errorf("%s: %v, want FORBIDDEN/NOT_FOUND/UNAUTHENTICATED", who, err)
				}
			}
		})
	}
	// another member of the group cannot see or change m's sign-up: their own is asked for
	peer, _ := f.member(t, 0)
	if _, err := f.svc.MySignup(redemptiontest.Shopper(f.ctx, peer), e.ID); !errors.Is(err, ErrNotSignedUp) {
		t.Fatalf("another member reads their own (none): %v", err)
	}
	if _, err := f.svc.CancelSignup(redemptiontest.Shopper(f.ctx, peer), e.ID, "c"); !errors.Is(err, ErrNotSignedUp) {
		t.Fatalf("another member cancels: %v", err)
	}
	if su, err := f.svc.MySignup(shopper, e.ID); err != nil || su.Status != SignupConfirmed {
		t.Fatalf("m's sign-up untouched: %+v %v", su, err)
	}
}
