package members

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
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
	q := queries.New(tx)
	holder, err := q.PhoneHolderForUpdate(ctx, ref.GroupID, phone)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Member{}, false, nil
	}
	if err != nil {
		return Member{}, false, fmt.Errorf("member holding the phone: %w", err)
	}
	if holder.HasWechat || holder.ID == shopper {
		return Member{}, false, ErrPhoneTaken.At("input", "phone")
	}
	if err := s.moveWeChat(ctx, q, shopper, holder.ID); err != nil {
		return Member{}, false, err
	}
	err = s.audit(ctx, tx, audit.Entry{Action: "member.bind_wechat", Entity: "member", EntityID: holder.ID,
		MallID: ref.MallID, Details: map[string]any{"retired_identity": shopper}})
	if err != nil {
		return Member{}, false, err
	}
	m, err := loadMember(ctx, tx, holder.ID)
	return m, true, err
}

// moveWeChat retires the shopper's identity row (memberMachine: active → merged) and
// binds its WeChat openid and unionid to target.
func (s *Service) moveWeChat(ctx context.Context, q *queries.Queries, shopper, target uuid.UUID) error {
	id, err := q.WeChatIdentity(ctx, shopper)
	if err != nil {
		return fmt.Errorf("WeChat identity: %w", err)
	}
	status, err := memberMachine.Next(OpMerge, MemberStatus(id.Status))
	if err != nil {
		return err
	}
	if err := q.RetireIdentity(ctx, string(status), shopper); err != nil {
		return fmt.Errorf("retire identity: %w", err)
	}
	err = q.BindWeChat(ctx, queries.BindWeChatParams{Openid: id.Openid, Unionid: id.Unionid, LastLoginAt: s.now(), ID: target})
	if err != nil {
		return fmt.Errorf("bind WeChat: %w", err)
	}
	return nil
}
