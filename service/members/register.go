package members

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// ShopperRegistration completes a WeChat shopper's profile. PhoneCode is the code the
// mini-program's getPhoneNumber button returned; the number comes from WeChat, not the
// client. Profile.Phone and Profile.SourceChannel are ignored.
type ShopperRegistration struct {
	MallID    uuid.UUID
	PhoneCode string
	Profile   Profile
}

// RegisterShopper registers the shopper viewer (who logged in with WeChat) as a member
// of the group of the mall where they registered, binding the WeChat phone number, and
// issues the group's electronic card when it has one (issueRegistrationCardTx).
func (s *Service) RegisterShopper(ctx context.Context, in ShopperRegistration) (Member, error) {
	id, err := shopper(ctx)
	if err != nil {
		return Member{}, err
	}
	if in.PhoneCode == "" || len(in.PhoneCode) > 128 {
		return Member{}, errs.Invalid("input.phoneCode", "phoneCode must be 1 to 128 characters")
	}
	ref, err := s.mallRef(ctx, in.MallID)
	if err != nil {
		return Member{}, err
	}
	phone, err := s.wechat.PhoneNumber(ctx, in.PhoneCode)
	if err != nil {
		return Member{}, ErrWeChatPhone.Msgf("WeChat did not confirm the phone number: %v", err)
	}
	in.Profile.Phone, in.Profile.SourceChannel = phone.PurePhoneNumber, ChannelMiniProgram
	p, err := normalize(in.Profile, "input.", false, s.now())
	if err != nil {
		return Member{}, err
	}
	var m Member
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		m, err = s.completeShopper(ctx, tx, id, ref, p)
		return err
	})
	return m, err
}

func (s *Service) completeShopper(ctx context.Context, tx pgx.Tx, id uuid.UUID, ref auth.OrgRef, p Profile) (Member, error) {
	var registered bool
	err := tx.QueryRow(ctx, `SELECT registered_at IS NOT NULL FROM members WHERE id = $1 FOR UPDATE`, id).Scan(&registered)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Member{}, errs.ErrNotFound.Msgf("member not found")
	}
	if err != nil {
		return Member{}, err
	}
	if registered {
		return Member{}, ErrAlreadyRegistered
	}
	if existing, ok, err := s.bindExisting(ctx, tx, id, ref, p.Phone); err != nil || ok {
		if err == nil {
			err = s.issueRegistrationCardTx(ctx, tx, ref.GroupID, existing.ID)
		}
		return existing, err
	}
	referrer, err := resolveReferrer(ctx, tx, ref.GroupID, p.Referrer, id)
	if err != nil {
		return Member{}, err
	}
	_, err = tx.Exec(ctx, `UPDATE members SET group_id = $2, registered_mall_id = $3, name = $4, phone = $5, gender = $6,
		birthday = $7, anniversary = $8, tags = $9, source_channel = $10, referrer_id = $11, registered_at = $12
		WHERE id = $1`, id, ref.GroupID, ref.MallID, p.Name, p.Phone, p.Gender, p.Birthday, p.Anniversary, p.Tags,
		p.SourceChannel, referrer, s.now())
	if err := phoneConflict(err, "input.phone"); err != nil {
		return Member{}, err
	}
	if err := s.issueRegistrationCardTx(ctx, tx, ref.GroupID, id); err != nil {
		return Member{}, err
	}
	return loadMember(ctx, tx, id)
}

// DeskRegistration registers a member at a mall's service desk (or call centre).
type DeskRegistration struct {
	MallID  uuid.UUID
	Profile Profile
}

// RegisterAtDesk creates a member; service desk, member operations and admin staff of
// the mall only. The source channel defaults to service_desk.
func (s *Service) RegisterAtDesk(ctx context.Context, in DeskRegistration) (Member, error) {
	group, err := s.requireMall(ctx, in.MallID, memberRoles)
	if err != nil {
		return Member{}, err
	}
	if in.Profile.SourceChannel == "" {
		in.Profile.SourceChannel = ChannelServiceDesk
	}
	p, err := normalize(in.Profile, "input.", true, s.now())
	if err != nil {
		return Member{}, err
	}
	var m Member
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		m, err = s.insertMember(ctx, tx, group, in.MallID, p, "input.")
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "member.register", Entity: "member", EntityID: m.ID, MallID: in.MallID})
	})
	return m, err
}

// insertMember adds a registered member without a WeChat identity.
func (s *Service) insertMember(ctx context.Context, tx pgx.Tx, group, mall uuid.UUID, p Profile, prefix string) (Member, error) {
	id := service.NewID()
	referrer, err := resolveReferrer(ctx, tx, group, p.Referrer, id)
	if err != nil {
		return Member{}, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO members (id, group_id, registered_mall_id, name, phone, gender, birthday,
		anniversary, tags, source_channel, referrer_id, registered_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
		id, group, mall, p.Name, p.Phone, p.Gender, p.Birthday, p.Anniversary, p.Tags, p.SourceChannel, referrer, s.now())
	if err := phoneConflict(err, prefix+"phone"); err != nil {
		return Member{}, err
	}
	if err := s.issueRegistrationCardTx(ctx, tx, group, id); err != nil {
		return Member{}, err
	}
	return loadMember(ctx, tx, id)
}

func phoneConflict(err error, field string) error {
	if storage.IsConstraint(err, "members_group_phone_idx") {
		return ErrPhoneTaken.At(splitField(field)...)
	}
	return err
}

// resolveReferrer finds the referrer (a phone number or a member id) in group.
func resolveReferrer(ctx context.Context, q storage.Querier, group uuid.UUID, ref string, self uuid.UUID) (*uuid.UUID, error) {
	if ref == "" {
		return nil, nil
	}
	var id uuid.UUID
	var err error
	if phone, ok := NormalizePhone(ref); ok {
		err = q.QueryRow(ctx, `SELECT id FROM members WHERE group_id = $1 AND phone = $2`, group, phone).Scan(&id)
	} else if uid, perr := uuid.Parse(ref); perr == nil {
		err = q.QueryRow(ctx, `SELECT id FROM members WHERE group_id = $1 AND id = $2`, group, uid).Scan(&id)
	} else {
		return nil, ErrReferrerNotFound.At("referrer")
	}
	if errors.Is(storage.MapError(err), storage.ErrNotFound) || id == self {
		return nil, ErrReferrerNotFound.At("referrer")
	}
	return &id, err
}
