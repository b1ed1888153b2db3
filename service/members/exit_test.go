package members

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestExitMachine(t *testing.T) {
	statetest.Check(t, exitMachine.Next, ErrExitTransition,
		statetest.Legal("approve an application", ExitOpApprove, ExitApplied, ExitApproved),
		statetest.Legal("reject an application", ExitOpReject, ExitApplied, ExitRejected),
		statetest.Legal("withdraw an application", ExitOpWithdraw, ExitApplied, ExitWithdrawn),
		statetest.Legal("restore an approved exit", ExitOpRestore, ExitApproved, ExitRestored),
		statetest.Refused("approve a decided exit", ExitOpApprove, ExitApproved, ExitRejected, ExitWithdrawn, ExitRestored),
		statetest.Refused("reject a decided exit", ExitOpReject, ExitApproved, ExitRejected, ExitWithdrawn, ExitRestored),
		statetest.Refused("withdraw a decided exit", ExitOpWithdraw, ExitApproved, ExitRejected, ExitWithdrawn, ExitRestored),
		statetest.Refused("restore what is not approved", ExitOpRestore, ExitApplied, ExitRejected, ExitWithdrawn, ExitRestored),
	)
}

// TestMemberExitApplyApproveRestore: a member applies, staff approve (member exited,
// cards frozen), then restore (member active, cards unfrozen); wrong transitions are
// refused with typed errors.
func TestMemberExitApplyApproveRestore(t *testing.T) {
	f := setup(t)
	m := f.member()
	c1, c2 := f.card(m, ""), f.card(m, "")
	if _, err := f.svc.Freeze(f.deskA, CardOpInput{CardID: c2.ID, Reason: "frozen before"}); err != nil {
		t.Fatal(err)
	}
	self := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindShopper, ID: m.ID})
	e, err := f.svc.ApplyExit(self, m.ID, "moving away")
	if err != nil || e.Status != ExitApplied || e.AppliedBy != "shopper:"+m.ID.String() {
		t.Fatalf("apply: %+v %v", e, err)
	}
	if _, err := f.svc.ApplyExit(f.deskA, m.ID, "again"); !errors.Is(err, ErrExitOpen) {
		t.Errorf("second application: %v", err)
	}
	if _, err := f.svc.RestoreExit(f.opsA, e.ID, ""); !errors.Is(err, ErrExitTransition) {
		t.Errorf("restore before approval: %v", err)
	}
	if _, err := f.svc.ApproveExit(f.deskA, e.ID, ""); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("service desk approving: %v", err)
	}
	e, err = f.svc.ApproveExit(f.opsA, e.ID, "ok")
	if err != nil || e.Status != ExitApproved || len(e.FrozenCards) != 1 || e.FrozenCards[0] != c1.ID || e.RestoreUntil == nil {
		t.Fatalf("approve: %+v %v", e, err)
	}
	if got, _ := loadMember(f.ctx, f.db.Pool, m.ID); got.Status != MemberExited {
		t.Errorf("member status %s", got.Status)
	}
	if c, _ := CardOf(f.ctx, f.db.Pool, c1.ID); c.Status != StatusFrozen || c.Usable(time.Now()) == nil {
		t.Errorf("card 1 after exit: %s", c.Status)
	}
	if _, err := f.svc.ApproveExit(f.opsA, e.ID, ""); !errors.Is(err, ErrExitTransition) {
		t.Errorf("approve twice: %v", err)
	}
	if _, err := f.svc.WithdrawExit(self, e.ID); !errors.Is(err, ErrExitTransition) {
		t.Errorf("withdraw after approval: %v", err)
	}
	if _, err := f.svc.ApplyExit(f.deskA, m.ID, "again"); !errors.Is(err, ErrMemberInactive) {
		t.Errorf("apply for an exited member: %v", err)
	}
	e, err = f.svc.RestoreExit(f.opsA, e.ID, "came back")
	if err != nil || e.Status != ExitRestored || e.RestoredAt == nil {
		t.Fatalf("restore: %+v %v", e, err)
	}
	if got, _ := loadMember(f.ctx, f.db.Pool, m.ID); got.Status != MemberActive {
		t.Errorf("member status after restore %s", got.Status)
	}
	if c, _ := CardOf(f.ctx, f.db.Pool, c1.ID); c.Status != StatusActive {
		t.Errorf("card 1 after restore: %s", c.Status)
	}
	if c, _ := CardOf(f.ctx, f.db.Pool, c2.ID); c.Status != StatusFrozen {
		t.Errorf("card 2 (frozen before the exit) after restore: %s", c.Status)
	}
	if _, err := f.svc.RestoreExit(f.opsA, e.ID, ""); !errors.Is(err, ErrExitTransition) {
		t.Errorf("restore twice: %v", err)
	}
	// A new exit can be applied for now.
	if _, err := f.svc.ApplyExit(f.deskA, m.ID, "for good"); err != nil {
		t.Errorf("apply after restore: %v", err)
	}
}

func TestMemberExitRejectWithdrawAndWindow(t *testing.T) {
	f := setup(t)
	m := f.member()
	e, err := f.svc.ApplyExit(f.deskA, m.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if e, err = f.svc.RejectExit(f.opsA, e.ID, "no"); err != nil || e.Status != ExitRejected {
		t.Fatalf("reject: %+v %v", e, err)
	}
	if got, _ := loadMember(f.ctx, f.db.Pool, m.ID); got.Status != MemberActive {
		t.Errorf("rejected exit changed the member: %s", got.Status)
	}
	if _, err := f.svc.ApproveExit(f.opsA, e.ID, ""); !errors.Is(err, ErrExitTransition) {
		t.Errorf("approve a rejected exit: %v", err)
	}
	e, err = f.svc.ApplyExit(f.deskA, m.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if e, err = f.svc.WithdrawExit(f.deskA, e.ID); err != nil || e.Status != ExitWithdrawn {
		t.Fatalf("withdraw: %+v %v", e, err)
	}
	// Restore window: 2 days in this group.
	if err := f.svc.SetExitPolicy(f.opsA, f.groupA, 2); err != nil {
		t.Fatal(err)
	}
	e, _ = f.svc.ApplyExit(f.deskA, m.ID, "")
	if e, err = f.svc.ApproveExit(f.opsA, e.ID, ""); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(3 * 24 * time.Hour)
	if _, err := f.svc.RestoreExit(f.opsA, e.ID, ""); !errors.Is(err, ErrRestoreWindow) {
		t.Errorf("restore after the window: %v", err)
	}
}

func TestMemberExitAccess(t *testing.T) {
	f := setup(t)
	m := f.member()
	other := f.member()
	otherShopper := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindShopper, ID: other.ID})
	opsB := f.staff(grantOps(f.groupB))
	e, err := f.svc.ApplyExit(f.deskA, m.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	denied := map[string]context.Context{"another member": otherShopper, "another group's ops": opsB,
		"another mall's desk": f.deskB, "merchant staff": f.merchantStaffA, "anonymous": f.anonymous}
	for who, ctx := range denied {
		t.Run(who, func(t *testing.T) {
			ops := map[string]error{}
			_, ops["apply"] = f.svc.ApplyExit(ctx, m.ID, "")
			_, ops["approve"] = f.svc.ApproveExit(ctx, e.ID, "")
			_, ops["reject"] = f.svc.RejectExit(ctx, e.ID, "")
			_, ops["withdraw"] = f.svc.WithdrawExit(ctx, e.ID)
			_, ops["restore"] = f.svc.RestoreExit(ctx, e.ID, "")
			_, ops["read"] = f.svc.ExitByID(ctx, e.ID)
			_, ops["list"] = f.svc.Exits(ctx, f.groupA, "", 10)
			ops["policy"] = f.svc.SetExitPolicy(ctx, f.groupA, 5)
			for op, err := range ops {
				if !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) && !errors.Is(err, errs.ErrUnauthenticated) {
					t.Errorf("%s: %v", op, err)
				}
			}
		})
	}
	if got, _ := f.svc.ExitByID(f.deskA, e.ID); got.Status != ExitApplied {
		t.Errorf("refused callers changed the exit: %+v", got)
	}
}
