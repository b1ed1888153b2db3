package access

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

func TestDecisions(t *testing.T) {
	mall, other := uuid.New(), uuid.New()
	group := uuid.New()
	ref := auth.OrgRef{GroupID: group, MallID: mall}
	shopper := &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()}
	desk := &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: mall}}}
	elsewhere := &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: other}}}

	cases := []struct {
		name    string
		viewer  *auth.Viewer
		check   func(context.Context) error
		wantErr error
	}{
		{"anonymous shopper call", nil, func(c context.Context) error { _, err := Shopper(c); return err }, errs.ErrUnauthenticated},
		{"staff calling a shopper operation", desk, func(c context.Context) error { _, err := Shopper(c); return err }, errs.ErrForbidden},
		{"shopper calling a shopper operation", shopper, func(c context.Context) error { _, err := Shopper(c); return err }, nil},
		{"anonymous staff call", nil, func(c context.Context) error { _, err := Staff(c); return err }, errs.ErrUnauthenticated},
		{"shopper calling a staff operation", shopper, func(c context.Context) error { _, err := Staff(c); return err }, errs.ErrForbidden},
		{"staff without the role anywhere", desk, func(c context.Context) error { _, err := Staff(c, auth.RoleFinance); return err }, errs.ErrForbidden},
		{"staff with the role", desk, func(c context.Context) error { _, err := Staff(c, auth.RoleServiceDesk); return err }, nil},
		{"anonymous at a mall", nil, func(c context.Context) error { return At(c, ref, auth.RoleServiceDesk) }, errs.ErrUnauthenticated},
		{"shopper at a mall", shopper, func(c context.Context) error { return At(c, ref, auth.RoleServiceDesk) }, errs.ErrForbidden},
		{"desk of another mall", elsewhere, func(c context.Context) error { return At(c, ref, auth.RoleServiceDesk) }, errs.ErrForbidden},
		{"desk of this mall, other role asked", desk, func(c context.Context) error { return At(c, ref, auth.RoleAdmin) }, errs.ErrForbidden},
		{"desk of this mall", desk, func(c context.Context) error { return At(c, ref, auth.RoleServiceDesk) }, nil},
		{"anonymous public read", nil, func(c context.Context) error { return ShopperOr(c, func() error { return At(c, ref) }) }, errs.ErrUnauthenticated},
		{"shopper public read", shopper, func(c context.Context) error { return ShopperOr(c, func() error { return errs.ErrForbidden }) }, nil},
		{"staff public read elsewhere", elsewhere, func(c context.Context) error { return ShopperOr(c, func() error { return At(c, ref) }) }, errs.ErrForbidden},
		{"staff public read here", desk, func(c context.Context) error { return ShopperOr(c, func() error { return At(c, ref) }) }, nil},
		{"neither shopper nor staff", &auth.Viewer{Kind: "device"}, func(c context.Context) error { return ShopperOr(c, func() error { return nil }) }, errs.ErrForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.viewer != nil {
				ctx = auth.WithViewer(ctx, tc.viewer)
			}
			err := tc.check(ctx)
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestActor(t *testing.T) {
	id := uuid.New()
	cases := []struct {
		name   string
		viewer *auth.Viewer
		want   string
	}{
		{"job or device", nil, "system"},
		{"shopper", &auth.Viewer{Kind: auth.KindShopper, ID: id}, "shopper:" + id.String()},
		{"staff", &auth.Viewer{Kind: auth.KindStaff, ID: id}, "staff:" + id.String()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.viewer != nil {
				ctx = auth.WithViewer(ctx, tc.viewer)
			}
			if got := Actor(ctx); got != tc.want {
				t.Fatalf("Actor = %q, want %q", got, tc.want)
			}
		})
	}
}
