package loyalty_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// referralBundle: a group rewarding 500 points for a referee's first purchase of at
// least 50, with approvals on levels levels, and a referee who just qualified.
func referralBundle(t *testing.T, levels int) (bundle, member, member) {
	b := setup(t)
	if err := b.svc.SetProgram(b.admin, loyalty.Program{GroupID: b.org.GroupID, TierBasis: "spend", TierWindowDays: 365,
		PointsExpiryDays: 365, PointValue: d("0.01"), TransferMax: 1, TransferDailyMax: 1, ReferralPoints: 500,
		ReferralMinAmount: d("50")}); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.SetReferralPolicy(b.admin, b.org.GroupID, levels); err != nil {
		t.Fatal(err)
	}
	referrer, referee := b.member(), b.member()
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE members SET referrer_id = $2 WHERE id = $1`, referee.ID, referrer.ID); err != nil {
		t.Fatal(err)
	}
	b.bought(referee, "60", "0", "0")
	b.bought(referee, "70", "0", "0")
	eq(t, "referrer points while held", b.balances(referrer.Card).Points, "0")
	return b, referrer, referee
}

// TestReferralHeldApprovedTwoLevelsPaidOnce: held → level 1 (member ops) → level 2
// (another staff member, an admin) → paid once; repeats are refused.
func TestReferralHeldApprovedTwoLevelsPaidOnce(t *testing.T) {
	b, referrer, referee := referralBundle(t, 2)
	ops := staffCtx(auth.RoleAdmin, auth.LevelMall, b.org.MallID) // level 1 by a mall admin
	r, err := b.svc.ApproveReferral(ops, referee.ID, "level 1")
	if err != nil || r.Status != loyalty.ReferralHeld || r.Approved != 1 || r.Levels != 2 {
		t.Fatalf("level 1: %+v %v", r, err)
	}
	eq(t, "referrer points after level 1", b.balances(referrer.Card).Points, "0")
	if _, err := b.svc.ApproveReferral(ops, referee.ID, "again"); !errors.Is(err, loyalty.ErrReferralSameStaff) {
		t.Errorf("same approver twice: %v", err)
	}
	otherOps := staffCtx(auth.RoleMemberOps, auth.LevelMall, b.org.MallID)
	if _, err := b.svc.ApproveReferral(otherOps, referee.ID, "level 2"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("member ops at level 2: %v", err)
	}
	r, err = b.svc.ApproveReferral(b.admin, referee.ID, "level 2")
	if err != nil || r.Status != loyalty.ReferralPaid || r.Approved != 2 || len(r.Decisions) != 2 {
		t.Fatalf("level 2: %+v %v", r, err)
	}
	eq(t, "referrer points when paid", b.balances(referrer.Card).Points, "500")
	admin2 := staffCtx(auth.RoleAdmin, auth.LevelGroup, b.org.GroupID)
	if _, err := b.svc.ApproveReferral(admin2, referee.ID, ""); !errors.Is(err, loyalty.ErrReferralNotHeld) {
		t.Errorf("approve a paid referral: %v", err)
	}
	if _, err := b.svc.RejectReferral(admin2, referee.ID, ""); !errors.Is(err, loyalty.ErrReferralNotHeld) {
		t.Errorf("reject a paid referral: %v", err)
	}
	eq(t, "referrer points at the end", b.balances(referrer.Card).Points, "500")
	b.verify()
}

// TestReferralRejectedPaysNothing: a rejection at level 1 ends the reward.
func TestReferralRejectedPaysNothing(t *testing.T) {
	b, referrer, referee := referralBundle(t, 1)
	r, err := b.svc.RejectReferral(b.admin, referee.ID, "self-referral")
	if err != nil || r.Status != loyalty.ReferralRejected {
		t.Fatalf("reject: %+v %v", r, err)
	}
	other := staffCtx(auth.RoleAdmin, auth.LevelGroup, b.org.GroupID)
	if _, err := b.svc.ApproveReferral(other, referee.ID, ""); !errors.Is(err, loyalty.ErrReferralNotHeld) {
		t.Errorf("approve a rejected referral: %v", err)
	}
	b.bought(referee, "90", "0", "0") // no second reward either
	eq(t, "referrer points", b.balances(referrer.Card).Points, "0")
	list, err := b.svc.Referrals(b.admin, b.org.GroupID, loyalty.ReferralRejected, 10)
	if err != nil || len(list) != 1 || list[0].RefereeID != referee.ID {
		t.Errorf("rejected list: %+v %v", list, err)
	}
	b.verify()
}

// TestReferralOneLevelApproval: one level, member ops approve, paid.
func TestReferralOneLevelApproval(t *testing.T) {
	b, referrer, referee := referralBundle(t, 1)
	r, err := b.svc.ApproveReferral(staffCtx(auth.RoleMemberOps, auth.LevelMall, b.org.MallID), referee.ID, "")
	if err != nil || r.Status != loyalty.ReferralPaid {
		t.Fatalf("approve: %+v %v", r, err)
	}
	eq(t, "referrer points", b.balances(referrer.Card).Points, "500")
	b.verify()
}

func TestReferralApprovalAccess(t *testing.T) {
	b, referrer, referee := referralBundle(t, 1)
	denied := map[string]context.Context{
		"another mall's admin":  staffCtx(auth.RoleAdmin, auth.LevelMall, uuid.New()),
		"another group's admin": staffCtx(auth.RoleAdmin, auth.LevelGroup, uuid.New()),
		"service desk":          b.desk,
		"merchant staff":        b.staff,
		"shopper":               shopperCtx(referrer.ID),
		"anonymous":             context.Background(),
	}
	for who, ctx := range denied {
		t.Run(who, func(t *testing.T) {
			ops := map[string]error{}
			_, ops["approve"] = b.svc.ApproveReferral(ctx, referee.ID, "")
			_, ops["reject"] = b.svc.RejectReferral(ctx, referee.ID, "")
			_, ops["read"] = b.svc.Referral(ctx, referee.ID)
			_, ops["list"] = b.svc.Referrals(ctx, b.org.GroupID, "", 10)
			_, ops["policy"] = b.svc.ReferralPolicy(ctx, b.org.GroupID)
			ops["set policy"] = b.svc.SetReferralPolicy(ctx, b.org.GroupID, 0)
			for op, err := range ops {
				if !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) && !errors.Is(err, errs.ErrUnauthenticated) {
					t.Errorf("%s: %v", op, err)
				}
			}
		})
	}
	eq(t, "referrer points", b.balances(referrer.Card).Points, "0")
}
