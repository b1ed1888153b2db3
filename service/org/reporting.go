package org

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/org/internal/queries"
)

// Reads for jobs and for contexts that have authorized the caller already (tenant
// sales): no access check of their own.

// MerchantBrief is a merchant's code, name and status.
type MerchantBrief struct {
	ID     uuid.UUID
	Code   string
	Name   string
	Status MerchantStatus
}

// MallIDs lists every mall (jobs that run per mall).
func (s *Service) MallIDs(ctx context.Context) ([]uuid.UUID, error) {
	ids, err := queries.New(s.db.Pool).AllMallIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("org: malls: %w", err)
	}
	return ids, nil
}

// MallMerchants lists a mall's merchants by code, without an access check.
func (s *Service) MallMerchants(ctx context.Context, mallID uuid.UUID) ([]MerchantBrief, error) {
	rows, err := queries.New(s.db.Pool).MallMerchantsBrief(ctx, mallID)
	if err != nil {
		return nil, fmt.Errorf("org: merchants of mall: %w", err)
	}
	out := make([]MerchantBrief, len(rows))
	for i, r := range rows {
		out[i] = MerchantBrief{ID: r.ID, Code: r.Code, Name: r.Name, Status: MerchantStatus(r.Status)}
	}
	return out, nil
}

// MerchantsWithRole lists the merchants of a mall over which some staff account holds
// the merchant-scoped role (e.g. the tenants that have a tenant admin).
func (s *Service) MerchantsWithRole(ctx context.Context, mallID uuid.UUID, role auth.Role) ([]uuid.UUID, error) {
	ids, err := queries.New(s.db.Pool).MerchantsWithRole(ctx, string(role), mallID)
	if err != nil {
		return nil, fmt.Errorf("org: merchants with %s: %w", role, err)
	}
	return ids, nil
}
