package arrivals_test

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

type fixture struct {
	t        *testing.T
	db       *storage.DB
	svc      *arrivals.Service
	redis    storage.Redis
	objects  storage.Objects
	orgs     *org.Service
	group    uuid.UUID
	mall     uuid.UUID
	cardType uuid.UUID
}

// setup builds the test's fixture; the test runs in parallel.
func setup(t *testing.T, withS3 bool) *fixture {
	t.Helper()
	t.Parallel()
	f := &fixture{t: t, db: storetest.DB(t), redis: storetest.Redis(t), cardType: uuid.New()}
	f.objects = localObjects(t)
	if withS3 {
		f.objects = storetest.S3(t)
	}
	f.orgs = orgtest.Service(f.db)
	f.group, f.mall = orgtest.Mall(t, f.db, "M1")
	f.exec(`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'std', 'Std', 'points')`, f.cardType, f.group)
	f.exec(`INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('r1', $1, 'card-reader', 'x'), ('c1', $1, 'face-camera', 'x')`, f.mall)
	f.svc = f.build(arrivals.DefaultConfig(), f.bookings(time.Now))
	return f
}

// build returns the arrivals service of the fixture with cfg, redeeming lounge
// bookings through bks.
func (f *fixture) build(cfg arrivals.Config, bks *bookings.Service) *arrivals.Service {
	return arrivals.New(arrivals.Deps{DB: f.db, Objects: f.objects, Redis: &f.redis, Ledger: ledger.New(ledger.Deps{DB: f.db, Now: time.Now}),
		Bookings: bks, Org: f.orgs, Config: cfg})
}

// bookings returns a bookings context of the fixture's database on clock now.
func (f *fixture) bookings(now func() time.Time) *bookings.Service {
	codes := redemption.New(redemption.Deps{DB: f.db, Redis: f.redis, Org: f.orgs, Config: redemption.Config{}, Now: now})
	return bookings.New(bookings.Deps{DB: f.db, Org: f.orgs, Codes: codes, Ledger: ledger.New(ledger.Deps{DB: f.db, Now: time.Now}), Now: now})
}

// localObjects is an object store in a temporary directory.
func localObjects(t *testing.T) storage.Objects {
	t.Helper()
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://localhost/objects", []byte("test-key-test-key-test-key-32byt"))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

// member creates a member with tags and a card with uid and status.
func (f *fixture) member(uid, status string, tags ...string) (uuid.UUID, uuid.UUID) {
	m, c := uuid.New(), uuid.New()
	if tags == nil {
		tags = []string{}
	}
	f.exec(`INSERT INTO members (id, group_id, tags) VALUES ($1, $2, $3)`, m, f.group, tags)
	f.exec(`INSERT INTO cards (id, group_id, member_id, card_type_id, number, uid, status) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c, f.group, m, f.cardType, storetest.RandomName("n"), uid, status)
	return m, c
}

// vipFace registers an active VIP member (card uid U1) whose consented face is face.
func (f *fixture) vipFace(face string) uuid.UUID {
	f.t.Helper()
	vip, _ := f.member("U1", "active", "vip")
	f.exec(`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ($1, $2, now())`, face, vip)
	return vip
}

func (f *fixture) swipe(uid string, at time.Time) arrivals.Visit {
	f.t.Helper()
	var v arrivals.Visit
	err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		v, err = f.svc.SwipeTx(context.Background(), tx, arrivals.Swipe{MallID: f.mall, DeviceID: "r1", UID: uid, At: at})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// Shanghai business days: 2026-05-01 15:59 UTC is 23:59 local; 16:01 UTC is the next day.
var day1 = time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC)

func TestSwipe(t *testing.T) {
	f := setup(t, false)
	m, card := f.member("UID-OK", "active")
	f.member("UID-FROZEN", "frozen")
	f.member("UID-LOST", "lost")
	tests := []struct {
		name    string
		uid     string
		at      time.Time
		result  arrivals.VisitResult
		reason  string
		awarded bool
	}{
		{"first visit of the day", "UID-OK", day1, arrivals.VisitOK, "", true},
		{"second visit", "UID-OK", day1.Add(time.Hour), arrivals.VisitOK, "", false},
		{"last minute of the local day", "UID-OK", time.Date(2026, 5, 1, 15, 59, 0, 0, time.UTC), arrivals.VisitOK, "", false},
		{"next local day", "UID-OK", time.Date(2026, 5, 1, 16, 1, 0, 0, time.UTC), arrivals.VisitOK, "", true},
		{"frozen card", "UID-FROZEN", day1, arrivals.VisitRefused, "frozen", false},
		{"lost card", "UID-LOST", day1, arrivals.VisitRefused, "lost", false},
		{"unknown card", "UID-NONE", day1, arrivals.VisitRefused, "unknown_card", false},
	}
	for _, tt := range tests { // in order: the award depends on the visits before
		t.Run(tt.name, func(t *testing.T) {
			v := f.swipe(tt.uid, tt.at)
			if v.Result != tt.result || v.Reason != tt.reason || v.Awarded != tt.awarded {
				t.Errorf("%s at %v: %+v, want %s %s awarded=%v", tt.uid, tt.at, v, tt.result, tt.reason, tt.awarded)
			}
		})
	}
	var visits, awards int
	var points decimal.Decimal
	_ = f.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM visits`).Scan(&visits)
	_ = f.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM visit_awards WHERE member_id = $1 AND posting_id IS NOT NULL`, m).Scan(&awards)
	if visits != 7 || awards != 2 {
		t.Fatalf("visits %d awards %d", visits, awards)
	}
	b, err := ledger.New(ledger.Deps{DB: f.db, Now: time.Now}).CardBalances(context.Background(), card)
	if err != nil {
		t.Fatal(err)
	}
	points = b.Points
	if !points.Equal(decimal.NewFromInt(20)) {
		t.Fatalf("card points = %s, want 20", points)
	}
}

// TestSwipeRefusals: every card Card.Usable refuses, and cards of no or another group,
// are recorded with today's reasons.
func TestSwipeRefusals(t *testing.T) {
	f := setup(t, false)
	for _, status := range []string{"frozen", "lost", "cancelled", "replaced"} {
		f.member("UID-"+status, status)
	}
	f.member("UID-EXPIRED", "active")
	f.exec(`UPDATE cards SET expires_at = $1 WHERE uid = 'UID-EXPIRED'`, day1.Add(-time.Minute))
	f.member("UID-EXPIRING", "active")
	f.exec(`UPDATE cards SET expires_at = $1 WHERE uid = 'UID-EXPIRING'`, day1.Add(time.Minute))
	other := uuid.New()
	f.exec(`INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G2')`, other, storetest.RandomName("g"))
	f.exec(`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'std', 'Std', 'points')`, uuid.New(), other)
	f.exec(`INSERT INTO members (id, group_id) VALUES ($1, $2)`, uuid.New(), other)
	f.exec(`INSERT INTO cards (id, group_id, member_id, card_type_id, number, uid) SELECT $1, $2, m.id, t.id, $3, 'UID-OTHER'
		FROM members m, card_types t WHERE m.group_id = $2 AND t.group_id = $2`, uuid.New(), other, storetest.RandomName("n"))
	tests := []struct {
		name, uid, reason string
	}{
		{"frozen", "UID-frozen", "frozen"},
		{"lost", "UID-lost", "lost"},
		{"cancelled", "UID-cancelled", "cancelled"},
		{"replaced", "UID-replaced", "replaced"},
		{"expired", "UID-EXPIRED", "expired"},
		{"expiring later", "UID-EXPIRING", ""},
		{"other group", "UID-OTHER", "other_group"},
		{"unknown", "UID-NONE", "unknown_card"},
		{"empty uid", "", "unknown_card"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := arrivals.VisitRefused
			if tt.reason == "" {
				want = arrivals.VisitOK
			}
			if v := f.swipe(tt.uid, day1); v.Result != want || v.Reason != tt.reason {
				t.Errorf("%+v, want %s %q", v, want, tt.reason)
			}
		})
	}
}

// TestSwipeAwardOnceConcurrently: many readers at once, one award per member and day.
func TestSwipeAwardOnceConcurrently(t *testing.T) {
	f := setup(t, false)
	m, _ := f.member("UID-1", "active")
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.swipe("UID-1", day1.Add(time.Duration(i)*time.Minute))
		}()
	}
	wg.Wait()
	var n int
	_ = f.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM visit_awards WHERE member_id = $1`, m).Scan(&n)
	if n != 1 {
		t.Fatalf("%d awards", n)
	}
}

func (f *fixture) recognize(face string, at time.Time, snapshot []byte) (*arrivals.Arrival, func(context.Context)) {
	f.t.Helper()
	var a *arrivals.Arrival
	var after func(context.Context)
	err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		a, after, err = f.svc.RecognizeTx(context.Background(), tx, arrivals.Recognition{MallID: f.mall, DeviceID: "c1",
			Entrance: "North", EventID: storetest.RandomName("e"), FaceID: face, At: at, Snapshot: snapshot})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return a, after
}

func TestRecognition(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	vip, _ := f.member("U1", "active", "vip")
	plain, _ := f.member("U2", "active")
	noConsent, _ := f.member("U3", "active", "vip")
	f.exec(`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ('F-VIP', $1, now()), ('F-PLAIN', $2, now()),
		('F-REVOKED', $3, now())`, vip, plain, noConsent)
	f.exec(`UPDATE member_faces SET revoked_at = now() WHERE face_id = 'F-REVOKED'`)
	sub := f.redis.Subscribe(ctx, arrivals.VIPChannel(f.redis, f.mall.String()))
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	// A member of another group, enrolled by the camera vendor's shared face ids, is never
	// recognised at this group's mall.
	otherGroup, stranger := uuid.New(), uuid.New()
	f.exec(`INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G2')`, otherGroup, storetest.RandomName("g"))
	f.exec(`INSERT INTO members (id, group_id, tags) VALUES ($1, $2, '{vip}')`, stranger, otherGroup)
	f.exec(`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ('F-OTHER-GROUP', $1, now())`, stranger)
	for _, face := range []string{"", "F-UNKNOWN", "F-REVOKED", "F-OTHER-GROUP"} {
		if a, _ := f.recognize(face, day1, []byte("jpeg")); a != nil {
			t.Fatalf("face %q recorded", face)
		}
	}
	a, after := f.recognize("F-VIP", day1, []byte("\xff\xd8\xff snapshot"))
	if a == nil || !a.VIP || !a.Notified || after == nil || a.SnapshotKey == "" {
		t.Fatalf("vip arrival = %+v", a)
	}
	after(ctx)
	msg, err := sub.ReceiveMessage(ctx)
	if err != nil || msg.Payload == "" {
		t.Fatalf("no notification: %v", err)
	}
	r, err := f.objects.Get(ctx, a.SnapshotKey)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	_ = r.Close()
	if string(b) != "\xff\xd8\xff snapshot" {
		t.Fatalf("snapshot = %q", b)
	}
	if a, after := f.recognize("F-VIP", day1.Add(10*time.Minute), nil); a == nil || a.Notified || after != nil {
		t.Fatalf("second arrival within the interval notified: %+v", a)
	}
	if a, _ := f.recognize("F-VIP", day1.Add(31*time.Minute), nil); a == nil || !a.Notified {
		t.Fatalf("arrival after the interval not notified: %+v", a)
	}
	if a, after := f.recognize("F-PLAIN", day1, nil); a == nil || a.VIP || after != nil {
		t.Fatalf("plain arrival = %+v", a)
	}
}

// TestVIPNoticeOnceConcurrently: cameras racing on one member notify once.
func TestVIPNoticeOnceConcurrently(t *testing.T) {
	f := setup(t, false)
	f.vipFace("F")
	var mu sync.Mutex
	notified := 0
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, _ := f.recognize("F", day1.Add(time.Duration(i)*time.Second), nil)
			if a.Notified {
				mu.Lock()
				notified++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if notified != 1 {
		t.Fatalf("%d notifications", notified)
	}
}

func TestSubscribeVIP(t *testing.T) {
	f := setup(t, false)
	vip := f.vipFace("F")
	ctx, cancel := context.WithCancel(staffCtx(f.mall, auth.RoleSecurity))
	defer cancel()
	ch, err := f.svc.SubscribeVIP(ctx, f.mall)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubscribeVIP(staffCtx(uuid.New(), auth.RoleSecurity), f.mall); err == nil {
		t.Fatal("another mall's staff subscribed")
	}
	_, after := f.recognize("F", day1, nil)
	after(context.Background())
	select {
	case a := <-ch:
		if a.MemberID != vip || !a.VIP {
			t.Fatalf("arrival = %+v", a)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no VIP arrival")
	}
}

func staffCtx(mall uuid.UUID, role auth.Role) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: mall}}})
}
