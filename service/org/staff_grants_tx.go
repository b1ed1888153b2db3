package org

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/org/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// ServesAt reports whether staff id holds one of roles with a grant on merchant
// itself (not above it), read through q (the caller's transaction). Commissions check
// a purchase's server with it. No access check: the caller has authorized the
// operation.
func (s *Service) ServesAt(ctx context.Context, q storage.Querier, id, merchant uuid.UUID, roles ...auth.Role) (bool, error) {
	rows, err := queries.New(q).StaffGrants(ctx, id)
	if err != nil {
		return false, err
	}
	for _, r := range rows {
		if auth.Level(r.ScopeLevel) != auth.LevelMerchant || r.ScopeID != merchant {
			continue
		}
		for _, role := range roles {
			if auth.Role(r.Role) == role {
				return true, nil
			}
		}
	}
	return false, nil
}
