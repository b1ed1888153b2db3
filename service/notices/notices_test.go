package notices_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

type fixture struct {
	db          *storage.DB
	orgs        *org.Service
	svc         *notices.Service
	group, mall uuid.UUID
	other       uuid.UUID // another mall of the same group
	admin       context.Context
}

func setup(t *testing.T) fixture {
	t.Parallel()
	db := storetest.DB(t)
	orgs := org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(bcrypt.MinCost), Zones: calendar.NewZones(nil)})
	group, mall := orgtest.Mall(t, db, storetest.RandomName("M")[:12])
	admin := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: group}))
	other, err := orgs.CreateMall(admin, org.CreateMallInput{GroupID: group, Code: storetest.RandomName("O")[:12], Name: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	return fixture{db: db, orgs: orgs, svc: notices.New(notices.Deps{DB: db, Org: orgs, Now: func() time.Time { return now }}),
		group: group, mall: mall, other: other.ID, admin: admin}
}

// staff creates a staff account with one grant and returns its viewer's context.
func (f fixture) staff(t *testing.T, role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	t.Helper()
	st, err := f.orgs.CreateStaff(f.admin, org.CreateStaffInput{Username: storetest.RandomName("s"), DisplayName: "S",
		Password: "correct-horse-battery", Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
	if err != nil {
		t.Fatal(err)
	}
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: st.ID,
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func (f fixture) notify(t *testing.T, mall uuid.UUID, key string) bool {
	t.Helper()
	ok, err := f.svc.Notify(context.Background(), nil, notices.Notice{MallID: mall, Audience: auth.RoleLeasing,
		Kind: "sales_unreported", SubjectID: uuid.New(), Text: "Shop 1 has not reported", DedupeKey: key})
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func mine(t *testing.T, svc *notices.Service, ctx context.Context, unread bool) []notices.Notice {
	t.Helper()
	res, err := svc.Mine(ctx, page.Request{First: 50}, unread)
	if err != nil {
		t.Fatal(err)
	}
	return res.Items
}

// TestNotifyIsIdempotentUnderConcurrency: twenty concurrent notifications with one
// key record one notice; a rerun records nothing.
func TestNotifyIsIdempotentUnderConcurrency(t *testing.T) {
	f := setup(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	recorded := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if f.notify(t, f.mall, "k1") {
				mu.Lock()
				recorded++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if recorded != 1 || f.notify(t, f.mall, "k1") {
		t.Fatalf("recorded %d times (want 1), and again on a rerun", recorded)
	}
	if n := len(mine(t, f.svc, f.staff(t, auth.RoleLeasing, auth.LevelMall, f.mall), false)); n != 1 {
		t.Fatalf("leasing sees %d notices, want 1", n)
	}
}

// TestNotifyInTheCallersTransaction: a notice made in a transaction that rolls back
// is gone with it.
func TestNotifyInTheCallersTransaction(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	tx, err := f.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Notify(ctx, tx, notices.Notice{MallID: f.mall, Audience: auth.RoleLeasing, Kind: "k",
		Text: "t", DedupeKey: "rolled-back"}); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)
	if !f.notify(t, f.mall, "rolled-back") {
		t.Fatal("the rolled-back notice was kept")
	}
	if _, err := f.svc.Notify(ctx, nil, notices.Notice{MallID: f.mall}); !errors.Is(err, notices.ErrInvalidNotice) {
		t.Fatalf("an incomplete notice: %v", err)
	}
}

// TestWhoSeesNotices: staff holding the audience role over the notice's mall (by a
// mall, region or group grant) see it; other roles, other malls' staff and tenants
// see nothing; shoppers and anonymous callers are refused.
func TestWhoSeesNotices(t *testing.T) {
	f := setup(t)
	f.notify(t, f.mall, "here")
	cases := []struct {
		name string
		ctx  context.Context
		want int
		err  error
	}{
		{"leasing of the mall", f.staff(t, auth.RoleLeasing, auth.LevelMall, f.mall), 1, nil},
		{"leasing of the group", f.staff(t, auth.RoleLeasing, auth.LevelGroup, f.group), 1, nil},
		{"finance of the mall", f.staff(t, auth.RoleFinance, auth.LevelMall, f.mall), 0, nil},
		{"admin of the mall (not the audience)", f.staff(t, auth.RoleAdmin, auth.LevelMall, f.mall), 0, nil},
		{"leasing of the other mall", f.staff(t, auth.RoleLeasing, auth.LevelMall, f.other), 0, nil},
		{"leasing of another group", auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff,
			ID: uuid.New(), Grants: []auth.Grant{{Role: auth.RoleLeasing, Level: auth.LevelGroup, ScopeID: uuid.New()}}}), 0, nil},
		{"shopper", auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()}), 0, errs.ErrForbidden},
		{"anonymous", context.Background(), 0, errs.ErrUnauthenticated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := f.svc.Mine(tc.ctx, page.Request{First: 10}, false)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || len(res.Items) != tc.want {
				t.Fatalf("sees %d (%v), want %d", len(res.Items), err, tc.want)
			}
		})
	}
}

// TestReadStateIsPerStaffMember: marking read hides a notice from one member's unread
// list only; marking a notice the caller does not see is NOT_FOUND and marks nothing.
func TestReadStateIsPerStaffMember(t *testing.T) {
	f := setup(t)
	f.notify(t, f.mall, "a")
	f.notify(t, f.mall, "b")
	f.notify(t, f.other, "elsewhere")
	one, two := f.staff(t, auth.RoleLeasing, auth.LevelMall, f.mall), f.staff(t, auth.RoleLeasing, auth.LevelMall, f.mall)
	far := f.staff(t, auth.RoleLeasing, auth.LevelMall, f.other)
	list := mine(t, f.svc, one, true)
	if len(list) != 2 || !list[0].CreatedAt.Equal(list[1].CreatedAt) || list[0].DedupeKey != "b" {
		t.Fatalf("unread %+v, want two, newest first", list)
	}
	if n, err := f.svc.MarkRead(one, []uuid.UUID{list[0].ID}); n != 1 || err != nil {
		t.Fatalf("mark: %d %v", n, err)
	}
	if n, _ := f.svc.MarkRead(one, []uuid.UUID{list[0].ID}); n != 0 {
		t.Fatal("marked twice")
	}
	if got := mine(t, f.svc, one, true); len(got) != 1 || got[0].ID != list[1].ID {
		t.Fatalf("one's unread: %+v", got)
	}
	if got := mine(t, f.svc, one, false); len(got) != 2 || !got[0].Read || got[1].Read {
		t.Fatalf("one's all: %+v", got)
	}
	if got := mine(t, f.svc, two, true); len(got) != 2 {
		t.Fatalf("two's unread: %+v", got)
	}
	if _, err := f.svc.MarkRead(far, []uuid.UUID{list[1].ID}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("marking another mall's notice: %v", err)
	}
	if got := mine(t, f.svc, two, true); len(got) != 2 {
		t.Fatal("a refused mark changed something")
	}
}

// TestPaging: notices come in pages, newest first, without repeats.
func TestPaging(t *testing.T) {
	f := setup(t)
	for _, k := range []string{"1", "2", "3", "4", "5"} {
		f.notify(t, f.mall, k)
	}
	ctx := f.staff(t, auth.RoleLeasing, auth.LevelMall, f.mall)
	seen := map[uuid.UUID]bool{}
	p := page.Request{First: 2}
	for range 3 {
		res, err := f.svc.Mine(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range res.Items {
			seen[n.ID] = true
		}
		if !res.HasNext {
			break
		}
		p.After = res.Items[len(res.Items)-1].ID
	}
	if len(seen) != 5 {
		t.Fatalf("saw %d notices over the pages, want 5", len(seen))
	}
}
