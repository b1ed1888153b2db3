// Package redemptiontest builds test worlds for the coupons, bookings and redemption
// tests: a group, a mall with merchants and members made through their owners' services
// (org, members) in a storetest database, staff viewers, and a settable clock.
package redemptiontest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/members/memberstest"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
)

// Clock is an injected, settable clock (calendartest's).
type Clock = calendartest.Clock

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return calendartest.NewClock(t) }

// World is a group with one mall, two merchants of different categories, a second
// mall with a merchant of its own, and a stored-value card type.
type World struct {
	GroupID, MallID, OtherMallID        uuid.UUID
	MerchantA, MerchantB, OtherMerchant uuid.UUID
	CardType                            uuid.UUID
	admin                               context.Context // the group's system viewer
	members                             *members.Service
	phones                              *atomic.Int64 // members get distinct phone numbers
}

// NewWorld creates the world through org: the group (Bootstrap), its malls and merchants
// (as the group's system viewer); and its card type through members.
func NewWorld(t testing.TB, db *storage.DB) World {
	t.Helper()
	ctx, orgs, code := context.Background(), orgtest.Service(db), uuid.NewString()[:8]
	g, err := orgs.Bootstrap(ctx, "g"+code, "G")
	must(t, "group", err)
	w := World{GroupID: g.ID, admin: auth.WithViewer(ctx, org.SystemViewer(g)),
		members: memberstest.Service(t, db, orgs), phones: new(atomic.Int64)}
	w.MallID = w.mall(t, orgs, "m1"+code, "M1")
	w.OtherMallID = w.mall(t, orgs, "m2"+code, "M2")
	w.MerchantA = w.merchant(t, orgs, w.MallID, "a", "Shop A", "food")
	w.MerchantB = w.merchant(t, orgs, w.MallID, "b", "Shop B", "fashion")
	w.OtherMerchant = w.merchant(t, orgs, w.OtherMallID, "c", "Shop C", "food")
	ct, err := w.members.CreateCardType(w.admin, members.CardTypeInput{GroupID: g.ID, Code: "sv", Name: "Stored value",
		Kind: members.KindStoredValue})
	must(t, "card type", err)
	w.CardType = ct.ID
	return w
}

func (w World) mall(t testing.TB, orgs *org.Service, code, name string) uuid.UUID {
	t.Helper()
	m, err := orgs.CreateMall(w.admin, org.CreateMallInput{GroupID: w.GroupID, Code: code, Name: name})
	must(t, "mall "+code, err)
	return m.ID
}

func (w World) merchant(t testing.TB, orgs *org.Service, mall uuid.UUID, code, name, category string) uuid.UUID {
	t.Helper()
	m, err := orgs.CreateMerchant(w.admin, org.CreateMerchantInput{MallID: mall, Code: code, Name: name, Category: category})
	must(t, "merchant "+code, err)
	return m.ID
}

// Member registers a member of the world's group (at its mall's service desk, through
// members). db is the world's database.
func (w World) Member(t testing.TB, db *storage.DB) uuid.UUID {
	t.Helper()
	n := w.phones.Add(1)
	m, err := w.members.RegisterAtDesk(w.admin, members.DeskRegistration{MallID: w.MallID,
		Profile: members.Profile{Name: fmt.Sprintf("Member %d", n), Phone: fmt.Sprintf("139%08d", n)}})
	must(t, "member", err)
	return m.ID
}

// Card issues member an active card of the world's card type (through members) and
// returns its id.
func (w World) Card(t testing.TB, member uuid.UUID) uuid.UUID {
	t.Helper()
	c, err := w.members.IssueCard(w.admin, members.IssueCardInput{MemberID: member, CardTypeID: w.CardType})
	must(t, "card", err)
	return c.ID
}

// Members registers n members.
func (w World) Members(t testing.TB, db *storage.DB, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = w.Member(t, db)
	}
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

func must(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("redemptiontest: %s: %v", what, err)
	}
}
