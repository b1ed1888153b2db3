package org

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
)

// MaxUnlockReason is the longest reason an unlock keeps.
const MaxUnlockReason = 500

// UnlockLogin lets an admin lift a staff account's login back-off: the caller must hold
// ADMIN over a scope covering one of the account's grants (its group, region, mall or
// merchant; an account does not unlock itself through this). The unlock is audited
// (staff.login_unlock) in the same transaction that runs clear; clear does the unlock
// (identity clears the back-off counters) and its failure rolls the entry back.
func (s *Service) UnlockLogin(ctx context.Context, id uuid.UUID, reason string,
	clear func(ctx context.Context, username string) error) (Staff, error) {
	if _, err := access.Staff(ctx, auth.RoleAdmin); err != nil {
		return Staff{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > MaxUnlockReason {
		return Staff{}, errs.Invalid("input.reason", "say why, in 1 to %d characters", MaxUnlockReason)
	}
	st, err := s.staff(ctx, id)
	if err != nil {
		return Staff{}, err
	}
	if !s.administers(ctx, st) {
		return Staff{}, errs.ErrForbidden
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := audit.Record(ctx, tx, audit.Entry{Action: "staff.login_unlock", Entity: "staff", EntityID: st.ID,
			Reason: reason, Details: map[string]any{"username": st.Username}}); err != nil {
			return err
		}
		return clear(ctx, st.Username)
	})
	return st, err
}

// administers reports whether the caller holds ADMIN over a scope covering one of st's grants.
func (s *Service) administers(ctx context.Context, st Staff) bool {
	for _, g := range st.Grants {
		ref, err := s.refOf(ctx, g.Level, g.ScopeID)
		if err == nil && access.At(ctx, ref, auth.RoleAdmin) == nil {
			return true
		}
	}
	return false
}
