// Package redemptiontest builds test worlds for the coupons, bookings and redemption
// tests: real rows in a storetest database (a group, a mall with merchants, members,
// staff viewers) and a settable clock.
package redemptiontest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/storage"
)

// Clock is an injected, settable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// World is a group with one mall, two merchants of different categories, and a second
// mall with a merchant of its own.
type World struct {
	GroupID, MallID, OtherMallID        uuid.UUID
	MerchantA, MerchantB, OtherMerchant uuid.UUID
}

// NewWorld inserts the world's rows.
func NewWorld(t testing.TB, db *storage.DB) World {
	t.Helper()
	w := World{GroupID: service.NewID(), MallID: service.NewID(), OtherMallID: service.NewID(),
		MerchantA: service.NewID(), MerchantB: service.NewID(), OtherMerchant: service.NewID()}
	code := uuid.NewString()[:8]
	exec(t, db, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G')`, w.GroupID, "g"+code)
	exec(t, db, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, $3, 'M1'), ($4, $2, $5, 'M2')`,
		w.MallID, w.GroupID, "m1"+code, w.OtherMallID, "m2"+code)
	exec(t, db, `INSERT INTO merchants (id, mall_id, code, name, category) VALUES
		($1, $2, 'a', 'Shop A', 'food'), ($3, $2, 'b', 'Shop B', 'fashion'), ($4, $5, 'c', 'Shop C', 'food')`,
		w.MerchantA, w.MallID, w.MerchantB, w.OtherMerchant, w.OtherMallID)
	return w
}

// Member inserts a member of the world's group.
func (w World) Member(t testing.TB, db *storage.DB) uuid.UUID {
	t.Helper()
	id := service.NewID()
	exec(t, db, `INSERT INTO members (id, group_id) VALUES ($1, $2)`, id, w.GroupID)
	return id
}

// Members inserts n members.
func (w World) Members(t testing.TB, db *storage.DB, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = service.NewID()
	}
	exec(t, db, `INSERT INTO members (id, group_id) SELECT unnest($1::uuid[]), $2`, ids, w.GroupID)
	return ids
}

// MallStaff is a context of a service-desk staff member of the world's mall.
func (w World) MallStaff(ctx context.Context) context.Context {
	return auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: w.MallID}}})
}

// MallStaffAs is a context of a staff member of the world's mall with role.
func (w World) MallStaffAs(ctx context.Context, role auth.Role) context.Context {
	return auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: w.MallID}}})
}

// MerchantStaff is a context of a staff member of merchant.
func MerchantStaff(ctx context.Context, merchant uuid.UUID) context.Context {
	return auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: merchant}}})
}

// Shopper is a context of member.
func Shopper(ctx context.Context, member uuid.UUID) context.Context {
	return auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindShopper, ID: member})
}

func exec(t testing.TB, db *storage.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
