package members

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// fakeLedger records the calls card operations make; fail makes them fail.
type fakeLedger struct {
	mu      sync.Mutex
	moves   [][2]uuid.UUID
	refunds []uuid.UUID
	fail    error
	balance decimal.Decimal
}

func (l *fakeLedger) MoveCardTx(_ context.Context, _ pgx.Tx, from, to uuid.UUID, _ string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return l.fail
	}
	l.moves = append(l.moves, [2]uuid.UUID{from, to})
	return nil
}

func (l *fakeLedger) RefundCardTx(_ context.Context, _ pgx.Tx, card uuid.UUID, _ string) (decimal.Decimal, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return decimal.Zero, l.fail
	}
	l.refunds = append(l.refunds, card)
	return l.balance, nil
}

// fixture is a test's world: a group with a mall, a second group, staff of each.
type fixture struct {
	t              *testing.T
	ctx            context.Context
	db             *storage.DB
	svc            *Service
	deps           Deps // svc's; a test may build a variant
	clock          *calendartest.Clock
	wechat         *wechattest.Fake
	ledger         *fakeLedger
	groupA, groupB uuid.UUID
	mallA, mallB   uuid.UUID
	deskA, deskB   context.Context // service desk staff of mall A / mall B
	opsA           context.Context // member operations of group A
	merchantStaffA context.Context
	merchantA      uuid.UUID
	anonymous      context.Context
	stdTime        time.Time
	cardTypeA      uuid.UUID
	objects        storage.Objects
}

func setup(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	f := &fixture{t: t, ctx: context.Background(), db: storetest.DB(t), ledger: &fakeLedger{balance: decimal.RequireFromString("12.50")}}
	f.stdTime = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	f.clock = calendartest.NewClock(f.stdTime)
	f.wechat = wechattest.New("wxapp", "wxsecret")
	srv := httptest.NewServer(f.wechat)
	t.Cleanup(srv.Close)
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1/objects", []byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	f.objects = objs
	f.deps = Deps{DB: f.db, Objects: objs, WeChat: auth.NewWeChat(srv.URL, "wxapp", "wxsecret", srv.Client()),
		Org: orgtest.Service(f.db), Ledger: f.ledger, Now: f.clock.Now,
		Config: Config{CodeKey: []byte("0123456789abcdef0123456789abcdef")}}
	f.svc = New(f.deps)
	f.groupA, f.mallA = f.org("GA", "MA")
	f.groupB, f.mallB = f.org("GB", "MB")
	f.merchantA = service.NewID()
	f.exec(`INSERT INTO merchants (id, mall_id, code, name) VALUES ($1, $2, 'SHOP1', 'Shop')`, f.merchantA, f.mallA)
	f.deskA = f.staff(auth.Grant{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: f.mallA})
	f.deskB = f.staff(auth.Grant{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: f.mallB})
	f.opsA = f.staff(auth.Grant{Role: auth.RoleMemberOps, Level: auth.LevelGroup, ScopeID: f.groupA})
	f.merchantStaffA = f.staff(auth.Grant{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: f.merchantA})
	f.anonymous = context.Background()
	ct, err := f.svc.CreateCardType(f.opsA, CardTypeInput{GroupID: f.groupA, Code: "SV", Name: "Stored value", Kind: KindStoredValue})
	if err != nil {
		t.Fatal(err)
	}
	f.cardTypeA = ct.ID
	return f
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Pool.Exec(f.ctx, sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *fixture) org(groupCode, mallCode string) (uuid.UUID, uuid.UUID) {
	g, m := service.NewID(), service.NewID()
	f.exec(`INSERT INTO org_groups (id, code, name) VALUES ($1, $2, $2)`, g, groupCode)
	f.exec(`INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, $3, $3)`, m, g, mallCode)
	return g, m
}

func (f *fixture) staff(grants ...auth.Grant) context.Context {
	return auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(), Grants: grants})
}

// shopper creates a WeChat identity (as loginWeChat does) and returns its context.
func (f *fixture) shopper() (context.Context, uuid.UUID) {
	id := service.NewID()
	f.exec(`INSERT INTO members (id, openid) VALUES ($1, $2)`, id, "o"+id.String())
	return auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindShopper, ID: id}), id
}

var phoneSeq struct {
	sync.Mutex
	n int
}

func nextPhone() string {
	phoneSeq.Lock()
	defer phoneSeq.Unlock()
	phoneSeq.n++
	return "1380000" + decimal.NewFromInt(int64(10000 + phoneSeq.n)).String()[1:]
}

// member registers a member of group A at the desk.
func (f *fixture) member(opts ...func(*Profile)) Member {
	f.t.Helper()
	p := Profile{Name: "张三", Phone: nextPhone()}
	for _, o := range opts {
		o(&p)
	}
	m, err := f.svc.RegisterAtDesk(f.deskA, DeskRegistration{MallID: f.mallA, Profile: p})
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	return m
}

// card issues a stored-value card of group A to m.
func (f *fixture) card(m Member, uid string) Card {
	f.t.Helper()
	c, err := f.svc.IssueCard(f.deskA, IssueCardInput{MemberID: m.ID, CardTypeID: f.cardTypeA, UID: uid, Reason: "new member"})
	if err != nil {
		f.t.Fatalf("issue: %v", err)
	}
	return c
}

func (f *fixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.Pool.QueryRow(f.ctx, sql, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func ctxOf(v any) context.Context { return v.(context.Context) }

var importNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func grantOps(group uuid.UUID) auth.Grant {
	return auth.Grant{Role: auth.RoleMemberOps, Level: auth.LevelGroup, ScopeID: group}
}

func newID() uuid.UUID { return service.NewID() }
