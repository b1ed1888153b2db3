package shifts

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/shifts/internal/queries"
)

// Policy says where a mall's till operations must belong to an open shift. Off by
// default: an operation by a cashier with no open shift is then not recorded in any;
// where it is on, the operation is refused (SHIFT_NOT_OPEN) and nothing is written.
type Policy struct {
	RequireAtDesk  bool // the mall's service desk
	RequireAtTills bool // its merchants' tills
}

// policyReaders may read a mall's shift policy; its ADMIN and FINANCE set it.
var policyReaders = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleServiceDesk}

// Policy reads a mall's shift policy.
func (s *Service) Policy(ctx context.Context, mall uuid.UUID) (Policy, error) {
	p, err := s.place(ctx, nil, mall, uuid.Nil)
	if err != nil {
		return Policy{}, err
	}
	if err := access.At(ctx, p.Ref(), policyReaders...); err != nil {
		return Policy{}, err
	}
	r, err := queries.New(s.db.Pool).PolicyOf(ctx, p.GroupID, p.MallID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Policy{}, nil
	}
	return Policy{RequireAtDesk: r.RequireAtDesk, RequireAtTills: r.RequireAtTills}, err
}

// SetPolicy sets a mall's shift policy (its ADMIN or FINANCE).
func (s *Service) SetPolicy(ctx context.Context, mall uuid.UUID, pol Policy) (Policy, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return Policy{}, err
	}
	p, err := s.place(ctx, nil, mall, uuid.Nil)
	if err != nil {
		return Policy{}, err
	}
	if err := access.At(ctx, p.Ref(), overseerRoles...); err != nil {
		return Policy{}, err
	}
	err = queries.New(s.db.Pool).UpsertPolicy(ctx, queries.UpsertPolicyParams{GroupID: p.GroupID, MallID: p.MallID,
		RequireAtDesk: pol.RequireAtDesk, RequireAtTills: pol.RequireAtTills, UpdatedAt: s.now(), UpdatedBy: v.ID})
	return pol, err
}

// requiredTx is SHIFT_NOT_OPEN when the place's mall requires an open shift there (an
// operation without one then rolls back), nil when it does not.
func (s *Service) requiredTx(ctx context.Context, q *queries.Queries, p org.Place) error {
	r, err := q.PolicyOf(ctx, p.GroupID, p.MallID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return err
	case p.MerchantID == uuid.Nil && r.RequireAtDesk, p.MerchantID != uuid.Nil && r.RequireAtTills:
		return ErrNotOpen
	}
	return nil
}
