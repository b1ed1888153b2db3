package redemption

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// redemption returns one redemption with its code.
func (s *Service) redemption(ctx context.Context, id uuid.UUID) (Redemption, Code, error) {
	q := queries.New(s.db.Pool)
	row, err := q.Redemption(ctx, id)
	if err != nil {
		return Redemption{}, Code{}, notFound(err)
	}
	r := Redemption{ID: row.ID, CodeID: row.CodeID, StaffID: deref(row.StaffID), MerchantID: deref(row.MerchantID),
		RedeemedAt: row.RedeemedAt, Offline: row.Offline, VoidedAt: row.VoidedAt, VoidReason: row.VoidReason}
	c, err := scanCode(q.CodeByID(ctx, r.CodeID))
	r.Kind, r.SubjectID, r.MemberID = c.Kind, c.SubjectID, c.MemberID
	return r, c, err
}

// VoidRedemption cancels a redemption within the configured window: the code is
// usable again and the coupon or booking gets its quota back. The reason goes to the
// audit log. A repeat with the same idempotency key (per staff account) returns the
// first result.
func (s *Service) VoidRedemption(ctx context.Context, redemptionID uuid.UUID, reason, idempotencyKey string) (Redemption, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return Redemption{}, err
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
	out, replayed, err := once.Do(ctx, s.db, once.Op[Redemption]{Name: "redemption.void", Key: idempotencyKey,
		Args: []string{redemptionID.String(), reason}, Run: func(ctx context.Context, tx pgx.Tx) (Redemption, error) {
			return s.voidTx(ctx, tx, r, c, reason, now)
		}})
	if err != nil {
		return r, err
	}
	if !replayed {
		s.publish(ctx, eventOf("voided", out))
	}
	return out, nil
}

// voidTx voids r (its conditional UPDATE is the guard against a concurrent void),
// makes its code usable again, gives the subject back its quota and audits the void.
func (s *Service) voidTx(ctx context.Context, tx pgx.Tx, r Redemption, c Code, reason string, now time.Time) (Redemption, error) {
	if _, err := redemptionStates.Next(RedemptionVoid, r.Status()); err != nil {
		return r, err
	}
	n, err := queries.New(tx).VoidRedemption(ctx, queries.VoidRedemptionParams{ID: r.ID, VoidedAt: now, VoidReason: reason})
	if err != nil {
		return r, err
	}
	if n == 0 {
		return r, ErrAlreadyVoided
	}
	if _, err := moveCode(ctx, tx, c.ID, CodeVoid, CodeRedeemed); err != nil {
		return r, err
	}
	if sub := s.subject(c.Kind); sub != nil {
		if err := sub.RestoreTx(ctx, tx, c.SubjectID); err != nil {
			return r, err
		}
	}
	err = audit.Record(ctx, tx, audit.Entry{Action: "redemption.void", Entity: "redemption", EntityID: r.ID,
		MallID: c.MallID, Reason: reason, Details: map[string]any{"code_id": c.ID, "kind": c.Kind, "subject_id": c.SubjectID}})
	r.VoidedAt, r.VoidReason = &now, reason
	return r, err
}

func notFound(err error) error {
	if err = storage.MapError(err); err == storage.ErrNotFound {
		return errs.ErrNotFound
	}
	return err
}

func deref(id *uuid.UUID) uuid.UUID {
	if id == nil {
		return uuid.Nil
	}
	return *id
}
