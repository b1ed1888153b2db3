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

const merchantCols = `m.id, m.mall_id, m.code, m.name, m.category, m.kind, m.status, m.created_at,
	ml.group_id, coalesce(ml.region_id, '00000000-0000-0000-0000-000000000000')`

const merchantFrom = ` FROM merchants m JOIN malls ml ON ml.id = m.mall_id `

func scanMerchant(row pgx.Row) (Merchant, error) {
	var m Merchant
	err := row.Scan(&m.ID, &m.MallID, &m.Code, &m.Name, &m.Category, &m.Kind, &m.Status, &m.CreatedAt,
		&m.ref.GroupID, &m.ref.RegionID)
	m.ref.MallID, m.ref.MerchantID = m.MallID, m.ID
	return m, storage.MapError(err)
}

// Merchant returns a merchant the viewer may see.
func (s *Service) Merchant(ctx context.Context, id uuid.UUID) (Merchant, error) {
	m, err := s.merchant(ctx, id)
	if err != nil {
		return m, err
	}
	return m, canRead(auth.ViewerFrom(ctx), m.Ref())
}

func (s *Service) merchant(ctx context.Context, id uuid.UUID) (Merchant, error) {
	m, err := scanMerchant(s.db.Pool.QueryRow(ctx, `SELECT `+merchantCols+merchantFrom+`WHERE m.id = $1`, id))
	if errors.Is(err, storage.ErrNotFound) {
		return m, errs.ErrNotFound.Msgf("merchant not found")
	}
	return m, err
}

// MerchantRef returns where merchant id sits in the organisation, for scope checks.
func (s *Service) MerchantRef(ctx context.Context, id uuid.UUID) (auth.OrgRef, error) {
	m, err := s.merchant(ctx, id)
	return m.Ref(), err
}

// Merchants lists a mall's merchants, oldest first.
func (s *Service) Merchants(ctx context.Context, mallID uuid.UUID, p page.Request) (page.Result[Merchant], error) {
	if _, err := s.Mall(ctx, mallID); err != nil {
		return page.Result[Merchant]{}, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT `+merchantCols+merchantFrom+`
		WHERE m.mall_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3`, mallID, p.After, p.Limit())
	if err != nil {
		return page.Result[Merchant]{}, err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Merchant, error) { return scanMerchant(r) })
	return page.Cut(p, all), err
}

// CreateMerchantInput is a new merchant.
type CreateMerchantInput struct {
	MallID   uuid.UUID
	Code     string
	Name     string
	Category string
	Kind     string
}

// CreateMerchant adds a merchant to a mall; admins and leasing staff of the mall.
func (s *Service) CreateMerchant(ctx context.Context, in CreateMerchantInput) (Merchant, error) {
	ref, err := s.MallRef(ctx, in.MallID)
	if err != nil {
		return Merchant{}, err
	}
	if !auth.ViewerFrom(ctx).Can(ref, auth.RoleAdmin, auth.RoleLeasing) {
		return Merchant{}, errs.ErrForbidden
	}
	if err := validCode("code", in.Code); err != nil {
		return Merchant{}, err
	}
	if err := validName("name", in.Name); err != nil {
		return Merchant{}, err
	}
	if in.Kind == "" {
		in.Kind = "tenant"
	}
	if in.Kind != "tenant" && in.Kind != "alliance" {
		return Merchant{}, errs.Invalid("input.kind", "kind must be tenant or alliance")
	}
	id := service.NewID()
	_, err = s.db.Pool.Exec(ctx, `INSERT INTO merchants (id, mall_id, code, name, category, kind)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, in.MallID, strings.ToUpper(in.Code), in.Name, in.Category, in.Kind)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return Merchant{}, ErrCodeTaken.At("input", "code")
	}
	if err != nil {
		return Merchant{}, err
	}
	return s.merchant(ctx, id)
}

// MerchantByCode returns the merchant with code in a mall.
func (s *Service) MerchantByCode(ctx context.Context, mallID uuid.UUID, code string) (Merchant, error) {
	m, err := scanMerchant(s.db.Pool.QueryRow(ctx, `SELECT `+merchantCols+merchantFrom+`WHERE m.mall_id = $1 AND m.code = $2`,
		mallID, strings.ToUpper(code)))
	if errors.Is(err, storage.ErrNotFound) {
		return m, errs.ErrNotFound.Msgf("no merchant with code %q", code)
	}
	if err != nil {
		return m, err
	}
	return m, canRead(auth.ViewerFrom(ctx), m.Ref())
}
