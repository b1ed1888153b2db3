package coupons

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// errStaleGate: the claim was admitted by a gate that has since been rebuilt.
var errStaleGate = errors.New("coupons: claim gate was rebuilt")

// Claim claims one coupon of a template for the shopper viewer (领券), through the
// flash-sale gate (see gate.go). A repeat with the same idempotency key returns the
// first coupon.
func (s *Service) Claim(ctx context.Context, templateID uuid.UUID, idempotencyKey string) (Coupon, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return Coupon{}, errs.ErrForbidden
	}
	member := v.ID
	for range 8 {
		outcome, epoch, err := s.reserve(ctx, templateID, member)
		if err != nil {
			return Coupon{}, err
		}
		switch outcome {
		case gateRebuild:
			if err := s.rebuildGate(ctx, templateID, -1, false); err != nil {
				return Coupon{}, notFound(err)
			}
			continue
		case gateLimit:
			return s.replayOr(ctx, member, templateID, idempotencyKey, ErrLimitReached)
		case gateSoldOut:
			return Coupon{}, ErrSoldOut
		case gateClosed:
			return Coupon{}, ErrNotActive
		}
		c, replayed, err := s.claimPG(ctx, templateID, member, epoch, idempotencyKey)
		if errors.Is(err, errStaleGate) {
			if err := s.rebuildGate(ctx, templateID, epoch, false); err != nil {
				return Coupon{}, err
			}
			continue
		}
		if err != nil || replayed {
			s.release(ctx, templateID, member, epoch)
		}
		return c, err
	}
	return Coupon{}, ErrBusy
}

func (s *Service) claimPG(ctx context.Context, templateID, member uuid.UUID, epoch int64, key string) (c Coupon, replayed bool, err error) {
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		c, replayed, err = storage.Idempotent(ctx, tx, "coupons.claim:"+member.String(), key, templateID,
			func() (Coupon, error) { return s.claimTx(ctx, tx, templateID, member, &epoch, "claim") })
		return err
	})
	return c, replayed, idemErr(err)
}

// replayOr returns the stored result of an earlier claim with key, or err.
func (s *Service) replayOr(ctx context.Context, member, templateID uuid.UUID, key string, err error) (Coupon, error) {
	var c Coupon
	txErr := s.db.InTx(ctx, func(tx pgx.Tx) (e error) {
		c, _, e = storage.Idempotent(ctx, tx, "coupons.claim:"+member.String(), key, templateID,
			func() (Coupon, error) { return Coupon{}, err })
		return e
	})
	return c, idemErr(txErr)
}

// IssueTx issues a coupon of a template to a member outside the gate (campaign rewards,
// points purchases, segment issues) in the caller's transaction. It takes stock like a
// claim and marks the gate stale, so the next claim rebuilds it.
func (s *Service) IssueTx(ctx context.Context, tx pgx.Tx, templateID, memberID uuid.UUID, source string) (Coupon, error) {
	return s.claimTx(ctx, tx, templateID, memberID, nil, source)
}

// claimTx takes one unit of stock and of the member's limit and issues the coupon and
// its redemption code. epoch is the gate epoch the claim was admitted under; nil
// (outside the gate) bumps the epoch instead.
func (s *Service) claimTx(ctx context.Context, tx pgx.Tx, templateID, member uuid.UUID, epoch *int64, source string) (Coupon, error) {
	now := s.now()
	t, err := scanTemplate(tx.QueryRow(ctx, `UPDATE coupon_templates SET claimed_count = claimed_count + 1,
		budget_used = budget_used + face_value,
		gate_epoch = CASE WHEN $2::bigint IS NULL THEN gate_epoch + 1 ELSE gate_epoch END
		WHERE id = $1 AND status = 'active' AND claimed_count < total_stock
		AND (budget_cap IS NULL OR budget_used + face_value <= budget_cap)
		AND (valid_until IS NULL OR valid_until > $3) AND ($2::bigint IS NULL OR gate_epoch = $2)
		RETURNING `+templateCols, templateID, epoch, now))
	if errors.Is(err, storage.ErrNotFound) {
		return Coupon{}, whyNot(ctx, tx, templateID, epoch, now)
	}
	if err != nil {
		return Coupon{}, err
	}
	var seq int
	err = tx.QueryRow(ctx, `INSERT INTO coupon_member_claims (template_id, member_id, claimed) VALUES ($1, $2, 1)
		ON CONFLICT (template_id, member_id) DO UPDATE SET claimed = coupon_member_claims.claimed + 1
		WHERE coupon_member_claims.claimed < $3 RETURNING claimed`, templateID, member, t.PerMember).Scan(&seq)
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return Coupon{}, ErrLimitReached
	} else if err != nil {
		return Coupon{}, err
	}
	return s.insertCoupon(ctx, tx, t, member, seq, source, now)
}

// whyNot explains why a template's conditional UPDATE took nothing.
func whyNot(ctx context.Context, tx pgx.Tx, templateID uuid.UUID, epoch *int64, now time.Time) error {
	var (
		t     Template
		gate  int64
		until *time.Time
	)
	err := tx.QueryRow(ctx, `SELECT status, claimed_count, total_stock, gate_epoch, valid_until
		FROM coupon_templates WHERE id = $1`, templateID).Scan(&t.Status, &t.ClaimedCount, &t.TotalStock, &gate, &until)
	switch {
	case err != nil:
		return notFound(storage.MapError(err))
	case t.Status != "active" || until != nil && !until.After(now):
		return ErrNotActive
	case t.ClaimedCount >= t.TotalStock:
		return ErrSoldOut
	case epoch != nil && *epoch != gate:
		return errStaleGate
	}
	return ErrBudgetExhausted
}

func notFound(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return errs.ErrNotFound.Msgf("coupon template not found")
	}
	return err
}

func idemErr(err error) error {
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return errs.ErrIdempotencyKey
	}
	return err
}
