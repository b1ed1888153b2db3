package arrivals_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/state/statetest"
)

func shopperCtx(member uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: member})
}

func (f *fixture) staffCtx(role auth.Role, mall uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: mall}}})
}

func TestFaceConsent(t *testing.T) {
	f := setup(t, false)
	member, _ := f.member("U1", "active", "vip")
	other, _ := f.member("U2", "active")
	me, desk := shopperCtx(member), f.staffCtx(auth.RoleServiceDesk, f.mall)

	if c, err := f.svc.MyFaceConsent(me); err != nil || c.GrantedAt != nil || c.Active() {
		t.Fatalf("consent before granting: %+v, %v", c, err)
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, member, "F1"); !errors.Is(err, arrivals.ErrConsentRequired) {
		t.Fatalf("enrol without consent: %v", err)
	}
	c, err := f.svc.GrantFaceConsent(me, "v1")
	if err != nil || !c.Active() {
		t.Fatalf("grant: %+v, %v", c, err)
	}
	if again, err := f.svc.GrantFaceConsent(me, "v1"); err != nil || !again.GrantedAt.Equal(*c.GrantedAt) {
		t.Fatalf("grant again: %+v, %v", again, err)
	}
	face, err := f.svc.EnrolFace(desk, f.mall, member, "F1")
	if err != nil || face.MemberID != member {
		t.Fatalf("enrol: %+v, %v", face, err)
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, member, "F1"); err != nil {
		t.Fatalf("enrol the same pair again: %v", err)
	}
	if _, err := f.svc.GrantFaceConsent(shopperCtx(other), "v1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, other, "F1"); !errors.Is(err, arrivals.ErrFaceTaken) {
		t.Fatalf("another member's face: %v", err)
	}
	for _, bad := range []string{"", "a b", "x\x00"} {
		if _, err := f.svc.EnrolFace(desk, f.mall, member, bad); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("face id %q: %v", bad, err)
		}
	}
	if _, err := f.svc.EnrolFace(f.staffCtx(auth.RoleMaintenance, f.mall), f.mall, member, "F2"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("maintenance staff enrolling: %v", err)
	}
	if _, err := f.svc.GrantFaceConsent(desk, "v1"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("staff granting a consent: %v", err)
	}

	if a, _ := f.recognize("F1", day1, nil); a == nil || a.MemberID != member {
		t.Fatalf("recognition under consent: %+v", a)
	}
	c, err = f.svc.RevokeFaceConsent(me)
	if err != nil || c.Active() || c.RevokedAt == nil {
		t.Fatalf("revoke: %+v, %v", c, err)
	}
	if a, _ := f.recognize("F1", day1.Add(40*time.Minute), nil); a != nil {
		t.Fatalf("recognised after revoking: %+v", a)
	}
	var revoked bool
	if err := f.db.Pool.QueryRow(context.Background(), `SELECT revoked_at IS NOT NULL FROM member_faces WHERE face_id = 'F1'`).
		Scan(&revoked); err != nil || !revoked {
		t.Fatalf("face revoked: %v, %v", revoked, err)
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, member, "F1"); !errors.Is(err, arrivals.ErrConsentRequired) {
		t.Fatalf("enrol after revoking: %v", err)
	}
	// A new consent does not bring faces back by itself; enrolling again does.
	if c, err = f.svc.GrantFaceConsent(me, "v1"); err != nil || !c.Active() {
		t.Fatalf("grant again: %+v, %v", c, err)
	}
	if a, _ := f.recognize("F1", day1.Add(80*time.Minute), nil); a != nil {
		t.Fatalf("recognised before re-enrolment: %+v", a)
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, member, "F1"); err != nil {
		t.Fatal(err)
	}
	if a, _ := f.recognize("F1", day1.Add(120*time.Minute), nil); a == nil {
		t.Fatal("not recognised after re-enrolment")
	}
	var consents int
	if err := f.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM face_consents WHERE member_id = $1`, member).
		Scan(&consents); err != nil || consents != 2 {
		t.Fatalf("consent history: %d, %v", consents, err)
	}
}

// TestRevokeRacesEnrol: a revocation racing an enrolment never leaves a recognisable
// face without an active consent.
func TestRevokeRacesEnrol(t *testing.T) {
	f := setup(t, false)
	desk := f.staffCtx(auth.RoleSecurity, f.mall)
	for i := range 10 {
		member, _ := f.member(uuid.NewString(), "active")
		me := shopperCtx(member)
		if _, err := f.svc.GrantFaceConsent(me, "v1"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := f.svc.EnrolFace(desk, f.mall, member, "RACE-"+uuid.NewString()); err != nil &&
				!errors.Is(err, arrivals.ErrConsentRequired) {
				t.Errorf("enrol %d: %v", i, err)
			}
		})
		wg.Go(func() {
			if _, err := f.svc.RevokeFaceConsent(me); err != nil {
				t.Errorf("revoke %d: %v", i, err)
			}
		})
		wg.Wait()
	}
	var active int
	if err := f.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM member_faces WHERE revoked_at IS NULL`).
		Scan(&active); err != nil || active != 0 {
		t.Fatalf("%d faces active after every consent was revoked (%v)", active, err)
	}
}

// Consent is given to a version of the privacy notice; consenting to a newer one
// replaces the consent (the old one ends, the history stays) and keeps enrolled faces.
func TestFaceConsentNoticeVersions(t *testing.T) {
	f := setup(t, false)
	member, _ := f.member("U1", "active")
	me, desk := shopperCtx(member), f.staffCtx(auth.RoleServiceDesk, f.mall)
	if _, err := f.svc.GrantFaceConsent(me, "  "); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("no notice version: %v", err)
	}
	if _, err := f.svc.GrantFaceConsent(me, "2026-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, member, "F1"); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.GrantFaceConsent(me, "2026-11")
	if err != nil || !c.Active() || c.NoticeVersion != "2026-11" {
		t.Fatalf("consent to the new notice: %+v, %v", c, err)
	}
	var consents, ended, activeFaces int
	if err := f.db.Pool.QueryRow(context.Background(), `SELECT count(*), count(revoked_at),
		(SELECT count(*) FROM member_faces WHERE member_id = $1 AND revoked_at IS NULL)
		FROM face_consents WHERE member_id = $1`, member).Scan(&consents, &ended, &activeFaces); err != nil {
		t.Fatal(err)
	}
	if consents != 2 || ended != 1 || activeFaces != 1 {
		t.Errorf("%d consents (%d ended), %d active faces; want 2 (1), 1", consents, ended, activeFaces)
	}
	if a, _ := f.recognize("F1", day1, nil); a == nil {
		t.Error("not recognised under the new consent")
	}
}

// A face id whose member withdrew consent can be enrolled for another consenting member
// (camera systems reuse ids); an active one cannot.
func TestRevokedFaceCanBeTakenOver(t *testing.T) {
	f := setup(t, false)
	first, _ := f.member("U1", "active")
	second, _ := f.member("U2", "active")
	desk := f.staffCtx(auth.RoleServiceDesk, f.mall)
	for _, m := range []uuid.UUID{first, second} {
		if _, err := f.svc.GrantFaceConsent(shopperCtx(m), "v1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, first, "F-SHARED"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.EnrolFace(desk, f.mall, second, "F-SHARED"); !errors.Is(err, arrivals.ErrFaceTaken) {
		t.Fatalf("an active face of another member: %v", err)
	}
	if _, err := f.svc.RevokeFaceConsent(shopperCtx(first)); err != nil {
		t.Fatal(err)
	}
	face, err := f.svc.EnrolFace(desk, f.mall, second, "F-SHARED")
	if err != nil || face.MemberID != second {
		t.Fatalf("taking over a revoked face: %+v, %v", face, err)
	}
	if a, _ := f.recognize("F-SHARED", day1, nil); a == nil || a.MemberID != second {
		t.Errorf("recognised as %+v, want the second member", a)
	}
}

// With the current notice configured, consent to another version is refused.
func TestFaceConsentOnlyToTheCurrentNotice(t *testing.T) {
	f := setup(t, false)
	cfg := arrivals.DefaultConfig()
	cfg.FaceNoticeVersion = "2026-11"
	svc := f.build(cfg, f.bookings(time.Now))
	member, _ := f.member("U1", "active")
	me := shopperCtx(member)
	if _, err := svc.GrantFaceConsent(me, "2026-01"); !errors.Is(err, arrivals.ErrNoticeOutdated) {
		t.Fatalf("stale notice: %v", err)
	}
	if c, err := svc.GrantFaceConsent(me, "2026-11"); err != nil || c.NoticeVersion != "2026-11" {
		t.Fatalf("current notice: %+v, %v", c, err)
	}
}

// TestConsentTransitions: the consent machine's legal and illegal transitions.
func TestConsentTransitions(t *testing.T) {
	t.Parallel()
	statetest.Check(t, arrivals.ConsentTransition, arrivals.ErrConsentTransition,
		statetest.Legal("first grant", arrivals.ConsentGrant, arrivals.ConsentNone, arrivals.ConsentActive),
		statetest.Legal("grant again or to a newer notice", arrivals.ConsentGrant, arrivals.ConsentActive, arrivals.ConsentActive),
		statetest.Legal("grant after a revocation", arrivals.ConsentGrant, arrivals.ConsentRevoked, arrivals.ConsentActive),
		statetest.Legal("revoke", arrivals.ConsentRevoke, arrivals.ConsentActive, arrivals.ConsentRevoked),
		statetest.Refused("revoke twice or without consent", arrivals.ConsentRevoke, arrivals.ConsentRevoked, arrivals.ConsentNone),
	)
}
