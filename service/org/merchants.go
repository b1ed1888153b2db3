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

// merchantOf converts a stored merchant with its mall's group and region (every
// merchant query returns this shape; their row types convert to MerchantByIDRow).
func merchantOf(r queries.MerchantByIDRow) Merchant {
	m := r.Merchant
	return Merchant{ID: m.ID, MallID: m.MallID, Code: m.Code, Name: m.Name, Category: m.Category, Kind: m.Kind,
		Status: MerchantStatus(m.Status), CreatedAt: m.CreatedAt,
		ref: auth.OrgRef{GroupID: r.GroupID, RegionID: orNil(r.RegionID), MallID: m.MallID, MerchantID: m.ID}}
}

// Merchant returns a merchant the viewer may see.
func (s *Service) Merchant(ctx context.Context, id uuid.UUID) (Merchant, error) {
	m, err := s.merchant(ctx, id)
	if err != nil {
		return m, err
	}
	return m, canRead(ctx, m.Ref())
}

func (s *Service) merchant(ctx context.Context, id uuid.UUID) (Merchant, error) {
	return s.merchantVia(ctx, s.db.Pool, id)
}

// merchantVia reads a merchant through q.
func (s *Service) merchantVia(ctx context.Context, q storage.Querier, id uuid.UUID) (Merchant, error) {
	row, err := queries.New(q).MerchantByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Merchant{}, errs.ErrNotFound.Msgf("merchant not found")
	}
	return merchantOf(row), err
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
	rows, err := queries.New(s.db.Pool).MerchantsOfMall(ctx, queries.MerchantsOfMallParams{MallID: mallID,
		After: p.After, Max: int32(p.Limit())})
	if err != nil {
		return page.Result[Merchant]{}, err
	}
	all := make([]Merchant, len(rows))
	for i, r := range rows {
		all[i] = merchantOf(queries.MerchantByIDRow(r))
	}
	return page.Cut(p, all), nil
}

// CreateMerchantInput is a new merchant.
type CreateMerchantInput struct {
	MallID   uuid.UUID
	Code     string
	Name     string
	Category string
	Kind     string
}

// merchantRoles may add merchants to a mall.
var merchantRoles = []auth.Role{auth.RoleAdmin, auth.RoleLeasing}

// CreateMerchant adds a merchant to a mall; admins and leasing staff of the mall.
func (s *Service) CreateMerchant(ctx context.Context, in CreateMerchantInput) (Merchant, error) {
	return s.CreateMerchantTx(ctx, s.db.Pool, in)
}

// CreateMerchantTx is CreateMerchant in the caller's transaction q (a contract that
// creates its tenant: both are written, or neither).
func (s *Service) CreateMerchantTx(ctx context.Context, q storage.Querier, in CreateMerchantInput) (Merchant, error) {
	ref, err := s.MallRef(ctx, in.MallID)
	if err != nil {
		return Merchant{}, err
	}
	if err := access.At(ctx, ref, merchantRoles...); err != nil {
		return Merchant{}, err
	}
	if err := validMerchant(&in); err != nil {
		return Merchant{}, err
	}
	id := service.NewID()
	err = queries.New(q).InsertMerchant(ctx, queries.InsertMerchantParams{ID: id, MallID: in.MallID,
		Code: strings.ToUpper(in.Code), Name: in.Name, Category: in.Category, Kind: in.Kind})
	if err = storage.MapError(err); errors.Is(err, storage.ErrConflict) {
		return Merchant{}, ErrCodeTaken.At("input", "code")
	}
	if err != nil {
		return Merchant{}, err
	}
	return s.merchantVia(ctx, q, id)
}

// validMerchant checks a new merchant's fields, defaulting its kind to tenant.
func validMerchant(in *CreateMerchantInput) error {
	if err := validCode("code", in.Code); err != nil {
		return err
	}
	if err := validName("name", in.Name); err != nil {
		return err
	}
	if in.Kind == "" {
		in.Kind = "tenant"
	}
	if in.Kind != "tenant" && in.Kind != "alliance" {
		return errs.Invalid("input.kind", "kind must be tenant or alliance")
	}
	return nil
}

// MerchantByCode returns the merchant with code in a mall.
func (s *Service) MerchantByCode(ctx context.Context, mallID uuid.UUID, code string) (Merchant, error) {
	row, err := queries.New(s.db.Pool).MerchantByCode(ctx, mallID, strings.ToUpper(code))
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Merchant{}, errs.ErrNotFound.Msgf("no merchant with code %q", code)
	}
	if err != nil {
		return Merchant{}, err
	}
	m := merchantOf(queries.MerchantByIDRow(row))
	return m, canRead(ctx, m.Ref())
}
