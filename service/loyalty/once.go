package loyalty

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/storage"
)

// Who may move value: the service desk of a mall, the cashiers of a merchant (admins too).
var (
	deskRoles    = []auth.Role{auth.RoleServiceDesk, auth.RoleAdmin}
	cashierRoles = []auth.Role{auth.RoleMerchantStaff, auth.RoleAdmin}
)

// at is where a value operation happens (a mall or a merchant) and who may do it there.
type at struct {
	load  func(context.Context, pgx.Tx, uuid.UUID) (place, error)
	id    uuid.UUID
	roles []auth.Role
}

// onceAt runs fn at a place, once per idempotency key: in a transaction retried when
// PostgreSQL picks it as a deadlock victim, it loads the place, checks the viewer holds
// one of the roles there, and returns the stored result of an earlier run with the same
// key and request (replayed true) instead of running fn again. Records are scoped by
// scope and the place's id.
func onceAt[T any](ctx context.Context, s *Service, scope string, where at, key string, in any,
	fn func(pgx.Tx, place) (T, error)) (out T, replayed bool, err error) {
	err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		pl, err := where.load(ctx, tx, where.id)
		if err != nil {
			return err
		}
		if err := can(ctx, pl, where.roles...); err != nil {
			return err
		}
		out, replayed, err = storage.Idempotent(ctx, tx, scope+":"+where.id.String(), key, in,
			func() (T, error) { return fn(tx, pl) })
		return idemErr(err)
	})
	return out, replayed, err
}
