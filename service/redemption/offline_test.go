package redemption

import (
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

func TestOfflineVerifyAndUpload(t *testing.T) {
	f := setup(t)
	c := f.issue(t, issueOpt{})
	ctx := f.staff()

	// A device holding the public keys verifies the token without the server.
	keys, err := f.svc.PublicKeys(f.ctx)
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys: %v %v", keys, err)
	}
	if cl, err := Verify(c.Token, ed25519.PublicKey(keys[0].Key)); err != nil || cl.CodeID != c.ID {
		t.Fatalf("offline verify: %+v %v", cl, err)
	}

	scan := OfflineScan{ScanNonce: "device1-0001", DeviceID: "device1", Code: c.Token, ScannedAt: f.clock.Now()}
	res, err := f.svc.UploadOfflineRedemptions(ctx, []OfflineScan{scan, scan})
	if err != nil || res.Redeemed != 1 || res.Duplicates != 1 {
		t.Fatalf("upload: %+v %v", res, err)
	}
	if _, err := f.svc.UploadOfflineRedemptions(ctx, slices.Repeat([]OfflineScan{scan}, MaxOfflineScans+1)); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("upload of %d scans: %v, want invalid input (the batch is capped)", MaxOfflineScans+1, err)
	}
	res, err = f.svc.UploadOfflineRedemptions(ctx, []OfflineScan{scan})
	if err != nil || res.Redeemed != 0 || res.Duplicates != 1 || len(res.Conflicts) != 0 {
		t.Fatalf("re-upload: %+v %v", res, err)
	}
	second := OfflineScan{ScanNonce: "device2-0001", DeviceID: "device2", Code: c.Numeric, ScannedAt: f.clock.Now()}
	res, err = f.svc.UploadOfflineRedemptions(ctx, []OfflineScan{second})
	if err != nil || len(res.Conflicts) != 1 || res.Conflicts[0].CodeID != c.ID || res.Conflicts[0].Code != "CODE_ALREADY_USED" {
		t.Fatalf("conflict: %+v %v", res, err)
	}
	var conflicts int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM offline_scans WHERE code_id = $1 AND outcome = 'conflict'`,
		c.ID).Scan(&conflicts)
	if conflicts != 1 || f.rec.count(c.SubjectID) != 1 {
		t.Fatalf("conflicts stored %d, subject %d", conflicts, f.rec.count(c.SubjectID))
	}

	// The change feed tells devices the code is used.
	if _, err := f.svc.ChangesSince(redemptiontest.MerchantStaff(f.ctx, f.world.OtherMerchant), f.world.MallID, 0, 100); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("other mall's staff reads changes: %v", err)
	}
	changes, err := f.svc.ChangesSince(redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA), f.world.MallID, 0, 100)
	if err != nil || len(changes) != 1 || changes[0].CodeID != c.ID || changes[0].Status != "redeemed" {
		t.Fatalf("changes: %+v %v", changes, err)
	}
	if more, _ := f.svc.ChangesSince(ctx, f.world.MallID, changes[0].Seq, 100); len(more) != 0 {
		t.Fatalf("changes after cursor: %+v", more)
	}
}

func TestOfflineScanUsesScanTime(t *testing.T) {
	f := setup(t)
	c := f.issue(t, issueOpt{validFor: time.Hour})
	scannedAt := f.clock.Now().Add(30 * time.Minute)
	f.clock.Add(3 * time.Hour) // uploaded after the code expired
	res, err := f.svc.UploadOfflineRedemptions(f.staff(), []OfflineScan{
		{ScanNonce: "late-upload-1", DeviceID: "d", Code: c.Token, ScannedAt: scannedAt},
		{ScanNonce: "bad-token-01", DeviceID: "d", Code: "not-a-code"},
	})
	if err != nil || res.Redeemed != 1 || len(res.Rejected) != 1 || res.Rejected[0].Code != "CODE_INVALID" {
		t.Fatalf("upload: %+v %v", res, err)
	}
}

func TestSubscribersGetOnlyTheirOwnEvents(t *testing.T) {
	f := setup(t)
	alice, bob := f.world.Member(t, f.db), f.world.Member(t, f.db)
	ctx, cancel := context.WithTimeout(f.ctx, 10*time.Second)
	defer cancel()
	aliceEvents, err := f.svc.Subscribe(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	bobEvents, err := f.svc.Subscribe(ctx, bob)
	if err != nil {
		t.Fatal(err)
	}
	ca := f.issue(t, issueOpt{member: alice})
	cb := f.issue(t, issueOpt{member: bob})
	ra := f.redeem(t, f.staff(), ca.Token, "a")
	f.redeem(t, f.staff(), cb.Token, "b")
	if _, err := f.svc.VoidRedemption(f.staff(), ra.ID, "mistake", "va"); err != nil {
		t.Fatal(err)
	}
	expect := func(ch <-chan Event, member, code uuid.UUID, typ string) {
		t.Helper()
		select {
		case e := <-ch:
			if e.MemberID != member || e.CodeID != code || e.Type != typ {
				t.Fatalf("event %+v, want %s of %s for %s", e, typ, code, member)
			}
		case <-ctx.Done():
			t.Fatalf("no %s event for %s", typ, member)
		}
	}
	expect(aliceEvents, alice, ca.ID, "redeemed")
	expect(aliceEvents, alice, ca.ID, "voided")
	expect(bobEvents, bob, cb.ID, "redeemed")
	select {
	case e := <-bobEvents:
		t.Fatalf("bob got a foreign event %+v", e)
	case <-time.After(100 * time.Millisecond): // only to notice a stray event; no logic waits on it
	}
}

// A change whose transaction commits after a later one was already read is still seen
// by a device that follows its cursor: numbers are given after commit.
func TestChangeFeedNeverSkipsALateCommit(t *testing.T) {
	f := setup(t)
	slow, fast := f.issue(t, issueOpt{}), f.issue(t, issueOpt{})
	ctx := f.world.MallStaff(f.ctx)

	tx, err := f.db.Pool.Begin(f.ctx) // the slow change starts first and stays open
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(f.ctx)
	if err := f.svc.SetStatusTx(f.ctx, tx, KindCoupon, slow.SubjectID, "revoked"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.InTx(f.ctx, func(tx pgx.Tx) error {
		return f.svc.SetStatusTx(f.ctx, tx, KindCoupon, fast.SubjectID, "revoked")
	}); err != nil {
		t.Fatal(err)
	}
	first, err := f.svc.ChangesSince(ctx, f.world.MallID, 0, 100)
	if err != nil || len(first) != 1 || first[0].CodeID != fast.ID {
		t.Fatalf("first read: %+v %v, want the committed change only", first, err)
	}
	if err := tx.Commit(f.ctx); err != nil {
		t.Fatal(err)
	}
	next, err := f.svc.ChangesSince(ctx, f.world.MallID, first[0].Seq, 100)
	if err != nil || len(next) != 1 || next[0].CodeID != slow.ID || next[0].Status != "revoked" {
		t.Fatalf("after the cursor: %+v %v, want the late commit", next, err)
	}
}
