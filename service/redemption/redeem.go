package redemption

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Redemption is one redemption of a code.
type Redemption struct {
	ID         uuid.UUID
	CodeID     uuid.UUID
	Kind       Kind
	SubjectID  uuid.UUID
	MemberID   uuid.UUID
	MerchantID uuid.UUID // uuid.Nil when redeemed by mall-level staff
	StaffID    uuid.UUID
	RedeemedAt time.Time
	Offline    bool
	VoidedAt   *time.Time
	VoidReason string
}

// Redeem redeems a scanned token or a typed numeric code for the staff viewer, exactly
// once: concurrent scans race on a conditional UPDATE … WHERE status = 'issued', and only
// one wins. A repeat with the same idempotency key returns the first result.
func (s *Service) Redeem(ctx context.Context, code, idempotencyKey string) (Redemption, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsStaff() {
		return Redemption{}, errs.ErrForbidden
	}
	c, err := s.lookup(ctx, s.db.Pool, code)
	if err != nil {
		return Redemption{}, err
	}
	merchantID, err := s.scope(ctx, v, c)
	if err != nil {
		return Redemption{}, err
	}
	var (
		out      Redemption
		replayed bool
	)
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		out, replayed, err = storage.Idempotent(ctx, tx, "redemption.redeem:"+v.ID.String(), idempotencyKey,
			c.ID, func() (Redemption, error) { return s.redeemTx(ctx, tx, c, v.ID, merchantID, s.now(), false) })
		return err
	})
	if err != nil {
		return Redemption{}, idemErr(err)
	}
	if !replayed {
		s.publish(ctx, eventOf("redeemed", out))
	}
	return out, nil
}

// redeemTx redeems code c at time at; it leaves tx usable when it returns a business error.
func (s *Service) redeemTx(ctx context.Context, tx pgx.Tx, c Code, staffID, merchantID uuid.UUID, at time.Time, offline bool) (Redemption, error) {
	var status string
	if err := tx.QueryRow(ctx, `SELECT status FROM redemption_codes WHERE id = $1`, c.ID).Scan(&status); err != nil {
		return Redemption{}, storage.MapError(err)
	}
	if err := usable(status, c, at); err != nil {
		return Redemption{}, err
	}
	tag, err := tx.Exec(ctx, `UPDATE redemption_codes SET status = 'redeemed',
		change_seq = -1 WHERE id = $1 AND status = 'issued'`, c.ID)
	if err != nil {
		return Redemption{}, err
	}
	if tag.RowsAffected() == 0 {
		return Redemption{}, ErrCodeUsed
	}
	r := Redemption{ID: service.NewID(), CodeID: c.ID, Kind: c.Kind, SubjectID: c.SubjectID, MemberID: c.MemberID,
		MerchantID: merchantID, StaffID: staffID, RedeemedAt: at, Offline: offline}
	_, err = tx.Exec(ctx, `INSERT INTO redemptions (id, code_id, staff_id, merchant_id, redeemed_at, offline)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, r.CodeID, nilIfZero(r.StaffID), nilIfZero(merchantID), at, offline)
	if err != nil {
		return r, err
	}
	if sub := s.subject(c.Kind); sub != nil {
		err = sub.RedeemTx(ctx, tx, c.SubjectID, at)
	}
	return r, err
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

func idemErr(err error) error {
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return errs.ErrIdempotencyKey
	}
	return err
}
