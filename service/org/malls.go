package org

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

const mallCols = `id, group_id, coalesce(region_id, '00000000-0000-0000-0000-000000000000'), code, name, time_zone, created_at`

func scanMall(row pgx.Row) (Mall, error) {
	var m Mall
	err := row.Scan(&m.ID, &m.GroupID, &m.RegionID, &m.Code, &m.Name, &m.TimeZone, &m.CreatedAt)
	return m, storage.MapError(err)
}

// canRead reports whether the viewer may see a unit at ref: shoppers see the public
// directory of malls and merchants; staff see what a grant of theirs covers.
func canRead(v *auth.Viewer, ref auth.OrgRef) error {
	switch {
	case v == nil:
		return errs.ErrUnauthenticated
	case v.IsShopper(), v.Can(ref):
		return nil
	}
	return errs.ErrForbidden
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
	v := auth.ViewerFrom(ctx)
	err := canRead(v, m.Ref())
	if !errors.Is(err, errs.ErrForbidden) {
		return err
	}
	merchants := scopesOf(v)[auth.LevelMerchant]
	if len(merchants) == 0 {
		return err
	}
	var ok bool
	qerr := s.db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM merchants WHERE mall_id = $1 AND id = ANY($2))`,
		m.ID, merchants).Scan(&ok)
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
	m, err := scanMall(s.db.Pool.QueryRow(ctx, `SELECT `+mallCols+` FROM malls WHERE code = $1`, strings.ToUpper(code)))
	if errors.Is(err, storage.ErrNotFound) {
		return m, errs.ErrNotFound.Msgf("no mall with code %q", code)
	}
	if err != nil {
		return m, err
	}
	return m, s.canReadMall(ctx, m)
}

// mall loads a mall without an access check (for other services' scope checks).
func (s *Service) mall(ctx context.Context, id uuid.UUID) (Mall, error) {
	m, err := scanMall(s.db.Pool.QueryRow(ctx, `SELECT `+mallCols+` FROM malls WHERE id = $1`, id))
	if errors.Is(err, storage.ErrNotFound) {
		return m, errs.ErrNotFound.Msgf("mall not found")
	}
	return m, err
}

// MallRef returns where mall id sits in the organisation, for scope checks.
func (s *Service) MallRef(ctx context.Context, id uuid.UUID) (auth.OrgRef, error) {
	m, err := s.mall(ctx, id)
	return m.Ref(), err
}

// MallsByID loads malls for a dataloader; each result is checked like Mall.
func (s *Service) MallsByID(ctx context.Context, ids []uuid.UUID) ([]Mall, []error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+mallCols+` FROM malls WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Mall, error) { return scanMall(r) })
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	byID := make(map[uuid.UUID]Mall, len(found))
	for _, m := range found {
		byID[m.ID] = m
	}
	out, errsOut := make([]Mall, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		m, ok := byID[id]
		if !ok {
			errsOut[i] = errs.ErrNotFound
			continue
		}
		out[i], errsOut[i] = m, s.canReadMall(ctx, m)
	}
	return out, errsOut
}

// Malls lists the malls the viewer may see, oldest first.
func (s *Service) Malls(ctx context.Context, p page.Request) (page.Result[Mall], error) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return page.Result[Mall]{}, errs.ErrUnauthenticated
	}
	sc := scopesOf(v)
	rows, err := s.db.Pool.Query(ctx, `SELECT `+mallCols+` FROM malls
		WHERE id > $1 AND ($2 OR group_id = ANY($3) OR region_id = ANY($4) OR id = ANY($5)
		   OR id IN (SELECT mall_id FROM merchants WHERE id = ANY($6)))
		ORDER BY id LIMIT $7`,
		p.After, v.IsShopper(), sc[auth.LevelGroup], sc[auth.LevelRegion], sc[auth.LevelMall], sc[auth.LevelMerchant], p.Limit())
	if err != nil {
		return page.Result[Mall]{}, err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Mall, error) { return scanMall(r) })
	return page.Cut(p, all), err
}

// scopesOf groups the viewer's scope ids by level (any role).
func scopesOf(v *auth.Viewer) map[auth.Level][]uuid.UUID {
	out := map[auth.Level][]uuid.UUID{}
	for _, g := range v.Grants {
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
	TimeZone string
}

// CreateMall adds a mall to a group; group admins only.
func (s *Service) CreateMall(ctx context.Context, in CreateMallInput) (Mall, error) {
	v := auth.ViewerFrom(ctx)
	if !v.Can(auth.OrgRef{GroupID: in.GroupID, RegionID: in.RegionID}, auth.RoleAdmin) {
		return Mall{}, errs.ErrForbidden
	}
	if in.TimeZone == "" {
		in.TimeZone = "Asia/Shanghai"
	}
	if err := validCode("code", in.Code); err != nil {
		return Mall{}, err
	}
	if err := validName("name", in.Name); err != nil {
		return Mall{}, err
	}
	m, err := scanMall(s.db.Pool.QueryRow(ctx, `INSERT INTO malls (id, group_id, region_id, code, name, time_zone)
		VALUES ($1, $2, nullif($3, '00000000-0000-0000-0000-000000000000'::uuid), $4, $5, $6) RETURNING `+mallCols,
		service.NewID(), in.GroupID, in.RegionID, strings.ToUpper(in.Code), in.Name, in.TimeZone))
	if errors.Is(err, storage.ErrConflict) {
		return m, ErrCodeTaken.At("input", "code")
	}
	return m, err
}
