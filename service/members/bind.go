package members

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/storage"
)

// bindExisting handles a WeChat registration whose phone number already belongs to a
// member of the group. If that member has no WeChat account yet (registered at a
// service desk, by call centre or import), the shopper's WeChat identity moves onto
// that membership: the fresh, unregistered identity row is retired (status "merged")
// and the existing member is returned — with a different id than the viewer's, so the
// client logs in again. A member already bound to another WeChat account is
// ErrPhoneTaken. ok is false when no member has the phone.
func (s *Service) bindExisting(ctx context.Context, tx pgx.Tx, shopper uuid.UUID, ref auth.OrgRef, phone string) (Member, bool, error) {
	var target uuid.UUID
	var hasWeChat bool
	err := tx.QueryRow(ctx, `SELECT id, openid IS NOT NULL FROM members WHERE group_id = $1 AND phone = $2 FOR UPDATE`,
		ref.GroupID, phone).Scan(&target, &hasWeChat)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Member{}, false, nil
	}
	if err != nil {
		return Member{}, false, err
	}
	if hasWeChat || target == shopper {
		return Member{}, false, ErrPhoneTaken.At("input", "phone")
	}
	var openid, unionid *string
	if err := tx.QueryRow(ctx, `SELECT openid, unionid FROM members WHERE id = $1`, shopper).Scan(&openid, &unionid); err != nil {
		return Member{}, false, err
	}
	if _, err := tx.Exec(ctx, `UPDATE members SET openid = NULL, unionid = NULL, status = 'merged' WHERE id = $1`, shopper); err != nil {
		return Member{}, false, err
	}
	if _, err := tx.Exec(ctx, `UPDATE members SET openid = $2, unionid = coalesce(unionid, $3), last_login_at = $4
		WHERE id = $1`, target, openid, unionid, s.now()); err != nil {
		return Member{}, false, err
	}
	err = s.audit(ctx, tx, auditEntry{Action: "member.bind_wechat", Entity: "member", EntityID: target, MallID: ref.MallID,
		Details: map[string]any{"retired_identity": shopper}})
	if err != nil {
		return Member{}, false, err
	}
	m, err := loadMember(ctx, tx, target)
	return m, true, err
}
