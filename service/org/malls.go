package org

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org/internal/queries"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// mallOf converts a stored mall.
func mallOf(m queries.Mall) Mall {
	return Mall{ID: m.ID, GroupID: m.GroupID, RegionID: orNil(m.RegionID), Code: m.Code, Name: m.Name,
		TimeZone: m.TimeZone, CreatedAt: m.CreatedAt}
}

// orNil is id, or uuid.Nil for a NULL.
func orNil(id *uuid.UUID) uuid.UUID {
	if id == nil {
		return uuid.Nil
	}
	return *id
}

// canRead reports whether the viewer may see a unit at ref: shoppers see the public
// directory of malls and merchants (org's own rule); staff see what a grant of theirs
// covers.
func canRead(ctx context.Context, ref auth.OrgRef) error {
	return access.ShopperOr(ctx, func() error { return access.At(ctx, ref) })
}

// Mall returns a mall the viewer may see.
func (s *Service) Mall(ctx context.Context, id uuid.UUID) (Mall, error) {
	m, err := s.mall(ctx, id)
	if err != nil {
		return m, err
	}
	return m, s.canReadMall(ctx, m)
}

// canReadMall is canRead, plus: merchant staff see the mall their merchant is in.
func (s *Service) canReadMall(ctx context.Context, m Mall) error {
	err := canRead(ctx, m.Ref())
	if !errors.Is(err, errs.ErrForbidden) {
		return err
	}
	merchants := scopesOf(auth.ViewerFrom(ctx).Grants)[auth.LevelMerchant]
	if len(merchants) == 0 {
		return err
	}
	ok, qerr := queries.New(s.db.Pool).MallHasMerchant(ctx, m.ID, merchants)
	if qerr != nil {
		return qerr
	}
	if ok {
		return nil
	}
	return err
}

// MallByCode returns a mall by its code.
func (s *Service) MallByCode(ctx context.Context, code string) (Mall, error) {
	row, err := queries.New(s.db.Pool).MallByCode(ctx, strings.ToUpper(code))
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Mall{}, errs.ErrNotFound.Msgf("no mall with code %q", code)
	}
	if err != nil {
		return Mall{}, err
	}
	m := mallOf(row)
	return m, s.canReadMall(ctx, m)
}

// mall loads a mall without an access check (for other services' scope checks).
func (s *Service) mall(ctx context.Context, id uuid.UUID) (Mall, error) {
	row, err := queries.New(s.db.Pool).MallByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Mall{}, errs.ErrNotFound.Msgf("mall not found")
	}
	return mallOf(row), err
}

// MallRef returns where mall id sits in the organisation, for scope checks.
func (s *Service) MallRef(ctx context.Context, id uuid.UUID) (auth.OrgRef, error) {
	m, err := s.mall(ctx, id)
	return m.Ref(), err
}

// MallsByID loads malls for a dataloader; each result is checked like Mall.
func (s *Service) MallsByID(ctx context.Context, ids []uuid.UUID) ([]Mall, []error) {
	rows, err := queries.New(s.db.Pool).MallsByID(ctx, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	malls := make([]Mall, len(rows))
	for i, r := range rows {
		malls[i] = mallOf(r)
	}
	return service.InOrder(ids, malls, func(m Mall) uuid.UUID { return m.ID },
		func(m Mall) error { return s.canReadMall(ctx, m) }, errs.ErrNotFound)
}

// Malls lists the malls the viewer may see, oldest first.
func (s *Service) Malls(ctx context.Context, p page.Request) (page.Result[Mall], error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return page.Result[Mall]{}, err
	}
	sc := scopesOf(v.Grants)
	rows, err := queries.New(s.db.Pool).VisibleMalls(ctx, queries.VisibleMallsParams{After: p.After,
		Everyone: v.IsShopper(), GroupIds: sc[auth.LevelGroup], RegionIds: sc[auth.LevelRegion],
		MallIds: sc[auth.LevelMall], MerchantIds: sc[auth.LevelMerchant], Max: int32(p.Limit())})
	if err != nil {
		return page.Result[Mall]{}, err
	}
	all := make([]Mall, len(rows))
	for i, r := range rows {
		all[i] = mallOf(r)
	}
	return page.Cut(p, all), nil
}

// scopesOf groups the grants' scope ids by level (any role).
func scopesOf(grants []auth.Grant) map[auth.Level][]uuid.UUID {
	out := map[auth.Level][]uuid.UUID{}
	for _, g := range grants {
		out[g.Level] = append(out[g.Level], g.ScopeID)
	}
	return out
}

// CreateMallInput is a new mall.
type CreateMallInput struct {
	GroupID  uuid.UUID
	RegionID uuid.UUID
	Code     string
	Name     string
	TimeZone string // empty: the deployment's zone (ATRIUM_TIMEZONE)
}

// CreateMall adds a mall to a group; group admins only.
func (s *Service) CreateMall(ctx context.Context, in CreateMallInput) (Mall, error) {
	if err := access.At(ctx, auth.OrgRef{GroupID: in.GroupID, RegionID: in.RegionID}, auth.RoleAdmin); err != nil {
		return Mall{}, err
	}
	if in.TimeZone == "" {
		in.TimeZone = s.zones.Of("").String()
	}
	if err := validCode("code", in.Code); err != nil {
		return Mall{}, err
	}
	if err := validName("name", in.Name); err != nil {
		return Mall{}, err
	}
	row, err := queries.New(s.db.Pool).InsertMall(ctx, queries.InsertMallParams{ID: service.NewID(), GroupID: in.GroupID,
		RegionID: nilIfZero(in.RegionID), Code: strings.ToUpper(in.Code), Name: in.Name, TimeZone: in.TimeZone})
	if err = storage.MapError(err); errors.Is(err, storage.ErrConflict) {
		return Mall{}, ErrCodeTaken.At("input", "code")
	}
	return mallOf(row), err
}

// nilIfZero is id, or NULL for uuid.Nil.
func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
