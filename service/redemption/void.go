package redemption

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Redemption returns one redemption with its code.
func (s *Service) redemption(ctx context.Context, id uuid.UUID) (Redemption, Code, error) {
	var (
		r        Redemption
		merchant *uuid.UUID
		staff    *uuid.UUID
	)
	row := s.db.Pool.QueryRow(ctx, `SELECT r.id, r.code_id, r.staff_id, r.merchant_id, r.redeemed_at, r.offline,
		r.voided_at, coalesce(r.void_reason, '') FROM redemptions r WHERE r.id = $1`, id)
	err := row.Scan(&r.ID, &r.CodeID, &staff, &merchant, &r.RedeemedAt, &r.Offline, &r.VoidedAt, &r.VoidReason)
	if err != nil {
		return r, Code{}, notFound(err)
	}
	if merchant != nil {
		r.MerchantID = *merchant
	}
	if staff != nil {
		r.StaffID = *staff
	}
	c, err := scanCode(s.db.Pool.QueryRow(ctx, `SELECT `+codeCols+` FROM redemption_codes WHERE id = $1`, r.CodeID))
	r.Kind, r.SubjectID, r.MemberID = c.Kind, c.SubjectID, c.MemberID
	return r, c, err
}

// VoidRedemption cancels a redemption within the configured window: the code is
// usable again and the coupon or booking gets its quota back. The reason goes to the
// audit log.
func (s *Service) VoidRedemption(ctx context.Context, redemptionID uuid.UUID, reason, idempotencyKey string) (Redemption, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsStaff() {
		return Redemption{}, errs.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Redemption{}, ErrReasonRequired.At("input", "reason")
	}
	r, c, err := s.redemption(ctx, redemptionID)
	if err != nil {
		return r, err
	}
	if _, err := s.scope(ctx, v, c); err != nil {
		return r, err
	}
	now := s.now()
	if now.Sub(r.RedeemedAt) > s.cfg.VoidWindow {
		return r, ErrVoidWindow
	}
	var replayed bool
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		r, replayed, err = storage.Idempotent(ctx, tx, "redemption.void:"+v.ID.String(), idempotencyKey,
			[]string{redemptionID.String(), reason}, func() (Redemption, error) {
				return s.voidTx(ctx, tx, r, c, v.ID, reason, now)
			})
		return err
	})
	if err != nil {
		return r, idemErr(err)
	}
	if !replayed {
		s.publish(ctx, eventOf("voided", r))
	}
	return r, nil
}

func (s *Service) voidTx(ctx context.Context, tx pgx.Tx, r Redemption, c Code, staffID uuid.UUID, reason string, now time.Time) (Redemption, error) {
	tag, err := tx.Exec(ctx, `UPDATE redemptions SET voided_at = $2, void_reason = $3
		WHERE id = $1 AND voided_at IS NULL`, r.ID, now, reason)
	if err != nil {
		return r, err
	}
	if tag.RowsAffected() == 0 {
		return r, ErrAlreadyVoided
	}
	_, err = tx.Exec(ctx, `UPDATE redemption_codes SET status = 'issued',
		change_seq = -1 WHERE id = $1 AND status = 'redeemed'`, c.ID)
	if err != nil {
		return r, err
	}
	if sub := s.subject(c.Kind); sub != nil {
		if err := sub.RestoreTx(ctx, tx, c.SubjectID); err != nil {
			return r, err
		}
	}
	details, _ := json.Marshal(map[string]any{"code_id": c.ID, "kind": c.Kind, "subject_id": c.SubjectID})
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (id, actor_kind, actor_id, action, entity_type, entity_id, mall_id,
		reason, details) VALUES ($1, 'staff', $2, 'redemption.void', 'redemption', $3, $4, $5, $6)`,
		service.NewID(), staffID, r.ID, c.MallID, reason, details)
	r.VoidedAt, r.VoidReason = &now, reason
	return r, err
}

func notFound(err error) error {
	if err = storage.MapError(err); err == storage.ErrNotFound {
		return errs.ErrNotFound
	}
	return err
}
