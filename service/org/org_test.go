package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// world is two groups: group A with a region, a mall in it (zone Europe/Paris) and a
// merchant of that mall, and group B with a mall of its own.
type world struct {
	svc                    *Service
	ctx                    context.Context
	groupA, groupB, region uuid.UUID
	mallA, mallB, merchant uuid.UUID
}

func setup(t *testing.T) world {
	t.Helper()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	svc := New(Deps{DB: storetest.DB(t), Passwords: auth.NewPasswords(bcrypt.MinCost), Zones: calendar.NewZones(shanghai)})
	w := world{svc: svc, ctx: context.Background()}
	w.groupA, w.region, w.mallA = w.group(t, "GA", "Europe/Paris", true)
	w.groupB, _, w.mallB = w.group(t, "GB", "", false)
	admin := auth.WithViewer(w.ctx, SystemViewer(Group{ID: w.groupA}))
	m, err := svc.CreateMerchant(admin, CreateMerchantInput{MallID: w.mallA, Code: "shop1", Name: "Shop 1", Category: "food"})
	if err != nil {
		t.Fatal(err)
	}
	w.merchant = m.ID
	return w
}

// group bootstraps a group with a mall (in a region when withRegion).
func (w world) group(t *testing.T, code, zone string, withRegion bool) (group, region, mall uuid.UUID) {
	t.Helper()
	g, err := w.svc.Bootstrap(w.ctx, code, "Group "+code)
	if err != nil {
		t.Fatal(err)
	}
	admin := auth.WithViewer(w.ctx, SystemViewer(g))
	if withRegion {
		r, err := w.svc.CreateRegion(admin, g.ID, "East")
		if err != nil {
			t.Fatal(err)
		}
		region = r.ID
	}
	m, err := w.svc.CreateMall(admin, CreateMallInput{GroupID: g.ID, RegionID: region, Code: code + "M", Name: "Mall " + code,
		TimeZone: zone})
	if err != nil {
		t.Fatal(err)
	}
	return g.ID, region, m.ID
}

func TestGroupsOf(t *testing.T) {
	t.Parallel()
	w := setup(t)
	cases := []struct {
		name   string
		grants []auth.Grant
		want   []uuid.UUID
	}{
		{"no grants", nil, nil},
		{"a group grant", []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: w.groupB}}, []uuid.UUID{w.groupB}},
		{"a region grant", []auth.Grant{{Role: auth.RoleFinance, Level: auth.LevelRegion, ScopeID: w.region}}, []uuid.UUID{w.groupA}},
		{"a mall grant", []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: w.mallB}}, []uuid.UUID{w.groupB}},
		{"a merchant grant", []auth.Grant{{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: w.merchant}},
			[]uuid.UUID{w.groupA}},
		{"grants in one group count once", []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: w.mallA},
			{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: w.merchant}}, []uuid.UUID{w.groupA}},
		{"a unit that does not exist covers nothing", []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: uuid.New()}},
			nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.svc.GroupsOf(w.ctx, nil, tc.grants)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) || len(got) > 0 && !slices.Equal(got, tc.want) {
				t.Fatalf("GroupsOf = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("both groups, in id order", func(t *testing.T) {
		got, err := w.svc.GroupsOf(w.ctx, nil, []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: w.mallB},
			{Role: auth.RoleAdmin, Level: auth.LevelRegion, ScopeID: w.region}})
		if err != nil || len(got) != 2 || !slices.IsSortedFunc(got, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }) {
			t.Fatalf("GroupsOf = %v, %v", got, err)
		}
	})
}

func TestPlaces(t *testing.T) {
	t.Parallel()
	w := setup(t)
	t.Run("a mall keeps its own zone", func(t *testing.T) {
		p, err := w.svc.MallPlace(w.ctx, nil, w.mallA)
		if err != nil || p.Loc.String() != "Europe/Paris" || p.Ref() != (auth.OrgRef{GroupID: w.groupA, RegionID: w.region, MallID: w.mallA}) ||
			p.Status != "active" || p.Name != "Mall GA" || p.MallCode != "GAM" {
			t.Fatalf("MallPlace = %+v, %v", p, err)
		}
	})
	t.Run("a mall created without a zone takes the deployment's", func(t *testing.T) {
		loc, err := w.svc.Zone(w.ctx, w.mallB)
		if err != nil || loc.String() != "Asia/Shanghai" {
			t.Fatalf("Zone = %v, %v", loc, err)
		}
	})
	t.Run("a merchant with its mall", func(t *testing.T) {
		p, err := w.svc.MerchantPlace(w.ctx, nil, w.merchant)
		want := auth.OrgRef{GroupID: w.groupA, RegionID: w.region, MallID: w.mallA, MerchantID: w.merchant}
		if err != nil || p.Ref() != want || p.Name != "Shop 1" || p.MallName != "Mall GA" || p.Category != "food" ||
			p.Kind != "tenant" || p.Status != string(MerchantActive) || p.Loc.String() != "Europe/Paris" {
			t.Fatalf("MerchantPlace = %+v, %v", p, err)
		}
	})
	t.Run("unknown places are not found", func(t *testing.T) {
		if _, err := w.svc.MallPlace(w.ctx, nil, uuid.New()); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("mall: %v", err)
		}
		if _, err := w.svc.MerchantPlace(w.ctx, nil, uuid.New()); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("merchant: %v", err)
		}
	})
}

func TestReadAccess(t *testing.T) {
	t.Parallel()
	w := setup(t)
	staff := func(g auth.Grant) *auth.Viewer {
		return &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(), Grants: []auth.Grant{g}}
	}
	cases := []struct {
		name    string
		viewer  *auth.Viewer
		read    func(ctx context.Context) error
		wantErr error
	}{
		{"anonymous reads a mall", nil, w.readMall, errs.ErrUnauthenticated},
		{"a shopper reads the directory", &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()}, w.readMall, nil},
		{"merchant staff read their merchant's mall",
			staff(auth.Grant{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: w.merchant}), w.readMall, nil},
		{"another group's staff", staff(auth.Grant{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: w.mallB}),
			w.readMall, errs.ErrForbidden},
		{"region staff read their group", staff(auth.Grant{Role: auth.RoleFinance, Level: auth.LevelRegion, ScopeID: w.region}),
			w.readGroup, nil},
		{"another group's staff read the group", staff(auth.Grant{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: w.mallB}),
			w.readGroup, errs.ErrForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := w.ctx
			if tc.viewer != nil {
				ctx = auth.WithViewer(ctx, tc.viewer)
			}
			if err := tc.read(ctx); tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func (w world) readMall(ctx context.Context) error { _, err := w.svc.Mall(ctx, w.mallA); return err }

func (w world) readGroup(ctx context.Context) error { _, err := w.svc.Group(ctx, w.groupA); return err }

func TestNewRequiresZones(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New without Zones did not panic")
		}
	}()
	New(Deps{DB: &storage.DB{}, Passwords: auth.NewPasswords(bcrypt.MinCost)})
}

// TestMerchantScopedRoles: merchant staff and tenant admins are granted over one
// merchant, and no other role is; the database agrees (staff_roles checks).
func TestMerchantScopedRoles(t *testing.T) {
	t.Parallel()
	w := setup(t)
	admin := auth.WithViewer(w.ctx, SystemViewer(Group{ID: w.groupA}))
	cases := []struct {
		name  string
		grant auth.Grant
		ok    bool
	}{
		{"tenant admin over a merchant", auth.Grant{Role: auth.RoleTenantAdmin, Level: auth.LevelMerchant, ScopeID: w.merchant}, true},
		{"merchant staff over a merchant", auth.Grant{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: w.merchant}, true},
		{"tenant admin over a mall", auth.Grant{Role: auth.RoleTenantAdmin, Level: auth.LevelMall, ScopeID: w.mallA}, false},
		{"leasing over a merchant", auth.Grant{Role: auth.RoleLeasing, Level: auth.LevelMerchant, ScopeID: w.merchant}, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.CreateStaff(admin, CreateStaffInput{Username: fmt.Sprintf("role.%d", i),
				Password: "a-long-password", Grants: []auth.Grant{tc.grant}})
			if ok := err == nil; ok != tc.ok {
				t.Fatalf("CreateStaff(%v) = %v, want ok=%v", tc.grant, err, tc.ok)
			}
			if !tc.ok && !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("CreateStaff(%v) = %v, want an invalid-input error", tc.grant, err)
			}
		})
	}
}
