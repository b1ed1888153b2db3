package redemption

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// recorder is a Subject that counts what redemption asks of it.
type recorder struct {
	mu       sync.Mutex
	redeemed map[uuid.UUID]int
}

func (r *recorder) RedeemTx(_ context.Context, _ pgx.Tx, id uuid.UUID, _ time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.redeemed[id]++
	return nil
}

func (r *recorder) RestoreTx(_ context.Context, _ pgx.Tx, id uuid.UUID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.redeemed[id]--
	return nil
}

func (r *recorder) count(id uuid.UUID) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.redeemed[id]
}

type fixture struct {
	ctx   context.Context
	db    *storage.DB
	svc   *Service
	clock *redemptiontest.Clock
	world redemptiontest.World
	rec   *recorder
}

// setup builds the test's fixture; the test runs in parallel.
func setup(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	db := storetest.DB(t)
	f := fixture{ctx: context.Background(), db: db, world: redemptiontest.NewWorld(t, db),
		clock: redemptiontest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)),
		rec:   &recorder{redeemed: map[uuid.UUID]int{}}}
	f.svc = newService(t, db, Config{}, f.clock.Now)
	f.svc.Handle(KindCoupon, f.rec)
	return f
}

// newService is a redemption service over db with cfg, on the clock now.
func newService(t testing.TB, db *storage.DB, cfg Config, now func() time.Time) *Service {
	return New(Deps{DB: db, Redis: storetest.Redis(t), Org: orgtest.Service(db), Config: cfg, Now: now})
}

type issueOpt struct {
	member    uuid.UUID
	merchants []uuid.UUID
	validFor  time.Duration
}

// issue issues a coupon code for a fresh subject.
func (f fixture) issue(t *testing.T, o issueOpt) Code {
	t.Helper()
	if o.member == uuid.Nil {
		o.member = f.world.Member(t, f.db)
	}
	if o.validFor == 0 {
		o.validFor = 24 * time.Hour
	}
	var c Code
	err := f.db.InTx(f.ctx, func(tx pgx.Tx) (err error) {
		c, err = f.svc.IssueTx(f.ctx, tx, IssueInput{Kind: KindCoupon, SubjectID: service.NewID(), MemberID: o.member,
			MallID: f.world.MallID, MerchantIDs: o.merchants, ValidFrom: f.clock.Now().Add(-time.Hour),
			ValidUntil: f.clock.Now().Add(o.validFor)})
		return err
	})
	if err != nil {
		t.Fatalf("issue: %v", err)
	}
	return c
}

func (f fixture) staff() context.Context { return f.world.MallStaff(f.ctx) }

// redeem redeems code as ctx's staff with key; it must succeed.
func (f fixture) redeem(t *testing.T, ctx context.Context, code, key string) Redemption {
	t.Helper()
	r, err := f.svc.Redeem(ctx, code, key)
	if err != nil {
		t.Fatalf("redeem %s: %v", code, err)
	}
	return r
}
