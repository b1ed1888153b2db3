package resolvers_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/arrivals"
)

const (
	grantConsent  = `mutation { grantFaceConsent(noticeVersion: "2026-11") { consent { grantedAt revokedAt active noticeVersion } userErrors { code } } }`
	revokeConsent = `mutation { revokeFaceConsent { consent { grantedAt revokedAt active } userErrors { code } } }`
	myConsent     = `{ myFaceConsent { grantedAt revokedAt active } }`
	enrolFace     = `mutation($in: EnrolMemberFaceInput!) { enrolMemberFace(input: $in) { face { faceId memberId consentGrantedAt }
		userErrors { code field } } }`
)

func TestFaceConsentGraphQL(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	ctx, arr := context.Background(), a.Arrivals
	member, other := uuid.New(), uuid.New()
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO members (id, group_id) VALUES ($1, $3), ($2, $3)`, member, other, a.group); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('c1', $1, 'face-camera', 'x')`, a.mall); err != nil {
		t.Fatal(err)
	}
	recognize := func(face string) *arrivals.Arrival {
		t.Helper()
		var got *arrivals.Arrival
		if err := a.DB.InTx(ctx, func(tx pgx.Tx) error {
			var err error
			got, _, err = arr.RecognizeTx(ctx, tx, arrivals.Recognition{MallID: a.mall, DeviceID: "c1", Entrance: "North",
				EventID: uuid.NewString(), FaceID: face, At: time.Now()})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	me := servicetest.Context(servicetest.Shopper(member))
	desk, m := a.as(auth.RoleServiceDesk, a.mall), relay.ID("Mall", a.mall)
	enrol := func(member, face string) map[string]any {
		return map[string]any{"in": map[string]any{"mallId": m, "memberId": member, "faceId": face}}
	}
	mem := relay.ID("Member", member)

	// Without consent: FACE_CONSENT_REQUIRED, nothing enrolled.
	out := a.Do(desk, enrolFace, enrol(mem, "F1"))
	if got := userError(out, "enrolMemberFace"); got != "FACE_CONSENT_REQUIRED input.memberId" {
		t.Fatalf("enrol without consent: %s", got)
	}
	out = a.Do(me, myConsent, nil)
	if field(out, "data", "myFaceConsent", "active") != false || field(out, "data", "myFaceConsent", "grantedAt") != nil {
		t.Fatalf("myFaceConsent before granting: %v", out)
	}

	// Grant → enrol → recognised.
	out = a.Do(me, grantConsent, nil)
	if field(out, "data", "grantFaceConsent", "consent", "active") != true {
		t.Fatalf("grantFaceConsent: %v", out)
	}
	granted := field(out, "data", "grantFaceConsent", "consent", "grantedAt")
	out = a.Do(desk, enrolFace, enrol(mem, "F1"))
	if field(out, "data", "enrolMemberFace", "face", "memberId") != mem ||
		field(out, "data", "enrolMemberFace", "face", "consentGrantedAt") != granted {
		t.Fatalf("enrolMemberFace: %v", out)
	}
	out = a.Do(a.as(auth.RoleSecurity, a.mall), enrolFace, enrol(mem, "F1"))
	if field(out, "data", "enrolMemberFace", "face", "faceId") != "F1" {
		t.Fatalf("enrolling the same pair again: %v", out)
	}
	if got := recognize("F1"); got == nil || got.MemberID != member {
		t.Fatalf("recognition under consent: %+v", got)
	}

	// Typed userErrors.
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO face_consents (id, member_id, granted_at) VALUES ($1, $2, now())`, uuid.New(), other); err != nil {
		t.Fatal(err)
	}
	for want, vars := range map[string]map[string]any{
		"FACE_ENROLLED_TO_OTHER_MEMBER input.faceId": enrol(relay.ID("Member", other), "F1"),
		"INVALID_INPUT input.faceId":                 enrol(mem, "F 1"),
		"INVALID_INPUT input.memberId":               enrol("nope", "F2"),
		"INVALID_INPUT input.mallId":                 {"in": map[string]any{"mallId": "nope", "memberId": mem, "faceId": "F2"}},
	} {
		if got := userError(a.Do(desk, enrolFace, vars), "enrolMemberFace"); got != want {
			t.Errorf("want %s, got %s", want, got)
		}
	}

	// FORBIDDEN: a wrong role, another mall's desk, a shopper enrolling, staff consenting.
	for name, c := range map[string]struct {
		ctx   context.Context
		query string
		vars  map[string]any
	}{
		"maintenance enrolling":    {a.as(auth.RoleMaintenance, a.mall), enrolFace, enrol(mem, "F3")},
		"other mall's desk":        {a.as(auth.RoleServiceDesk, a.other), enrolFace, enrol(mem, "F3")},
		"shopper enrolling":        {me, enrolFace, enrol(mem, "F3")},
		"staff granting a consent": {desk, grantConsent, nil},
		"staff revoking a consent": {desk, revokeConsent, nil},
		"staff reading a consent":  {desk, myConsent, nil},
	} {
		if out := a.Do(c.ctx, c.query, c.vars); errorCode(out) != "FORBIDDEN" || field(out, "data") != nil {
			t.Errorf("%s: %v", name, out)
		}
	}
	var faces int
	if err := a.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM member_faces`).Scan(&faces); err != nil || faces != 1 {
		t.Fatalf("faces after refused enrolments: %d, %v", faces, err)
	}

	// Revoke → recognition stops at once; the consent shows when it was revoked.
	out = a.Do(me, revokeConsent, nil)
	if field(out, "data", "revokeFaceConsent", "consent", "active") != false ||
		field(out, "data", "revokeFaceConsent", "consent", "revokedAt") == nil {
		t.Fatalf("revokeFaceConsent: %v", out)
	}
	if got := recognize("F1"); got != nil {
		t.Fatalf("recognised after revoking: %+v", got)
	}
	out = a.Do(me, myConsent, nil)
	if field(out, "data", "myFaceConsent", "grantedAt") != granted || field(out, "data", "myFaceConsent", "revokedAt") == nil {
		t.Fatalf("myFaceConsent after revoking: %v", out)
	}
	out = a.Do(desk, enrolFace, enrol(mem, "F1"))
	if got := userError(out, "enrolMemberFace"); got != "FACE_CONSENT_REQUIRED input.memberId" {
		t.Fatalf("enrol after revoking: %s", got)
	}
}

func TestVipArrivalsSubscription(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	ctx, mall, member := context.Background(), a.mall, uuid.New()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('c1', $1, 'face-camera', 'x')`, []any{mall}},
		{`INSERT INTO members (id, group_id, tags) VALUES ($1, $2, '{vip}')`, []any{member, a.group}},
		{`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ('F', $1, now())`, []any{member}},
	} {
		if _, err := a.DB.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	arr, cfg := a.Arrivals, resolvers.Config(a.Services)
	sctx, cancel := context.WithCancel(a.as(auth.RoleSecurity, mall))
	defer cancel()
	ch, err := cfg.Resolvers.Subscription().VipArrivals(sctx, relay.ID("Mall", mall))
	if err != nil {
		t.Fatal(err)
	}
	var after func(context.Context)
	err = a.DB.InTx(ctx, func(tx pgx.Tx) error {
		_, after, err = arr.RecognizeTx(ctx, tx, arrivals.Recognition{MallID: mall, DeviceID: "c1", Entrance: "North",
			EventID: "e1", FaceID: "F", At: time.Now()})
		return err
	})
	if err != nil || after == nil {
		t.Fatalf("recognize: %v", err)
	}
	after(ctx)
	select {
	case a := <-ch:
		if a.MemberID != relay.ID("Member", member) || a.Entrance != "North" {
			t.Fatalf("arrival = %+v", a)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no VIP arrival")
	}
}
