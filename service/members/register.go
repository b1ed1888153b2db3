package members

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
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
	id, err := access.Shopper(ctx)
	if err != nil {
		return Member{}, err
	}
	if in.PhoneCode == "" || len(in.PhoneCode) > 128 {
		return Member{}, errs.Invalid("input.phoneCode", "phoneCode must be 1 to 128 characters")
	}
	mall, err := s.org.MallPlace(ctx, nil, in.MallID)
	if err != nil {
		return Member{}, fmt.Errorf("registration mall: %w", err)
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
		m, err = s.completeShopper(ctx, tx, id, mall.Ref(), p)
		return err
	})
	return m, err
}

func (s *Service) completeShopper(ctx context.Context, tx pgx.Tx, id uuid.UUID, ref auth.OrgRef, p Profile) (Member, error) {
	registered, err := queries.New(tx).RegisteredForUpdate(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Member{}, errs.ErrNotFound.Msgf("member not found")
	}
	if err != nil {
		return Member{}, fmt.Errorf("lock shopper: %w", err)
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
	err = queries.New(tx).CompleteShopper(ctx, queries.CompleteShopperParams{GroupID: ref.GroupID,
		RegisteredMallID: ref.MallID, Name: p.Name, Phone: p.Phone, Gender: p.Gender, Birthday: p.Birthday,
		Anniversary: p.Anniversary, Tags: p.Tags, SourceChannel: p.SourceChannel, ReferrerID: referrer,
		RegisteredAt: s.now(), ID: id})
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
	mall, err := s.requireMall(ctx, in.MallID, memberRoles)
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
		m, err = s.insertMember(ctx, tx, mall.GroupID, in.MallID, p, "input.")
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, audit.Entry{Action: "member.register", Entity: "member", EntityID: m.ID, MallID: in.MallID})
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
	err = queries.New(tx).InsertMember(ctx, queries.InsertMemberParams{ID: id, GroupID: group, RegisteredMallID: mall,
		Name: p.Name, Phone: p.Phone, Gender: p.Gender, Birthday: p.Birthday, Anniversary: p.Anniversary, Tags: p.Tags,
		SourceChannel: p.SourceChannel, ReferrerID: referrer, RegisteredAt: s.now()})
	if err := phoneConflict(err, prefix+"phone"); err != nil {
		return Member{}, err
	}
	if err := s.issueRegistrationCardTx(ctx, tx, group, id); err != nil {
		return Member{}, err
	}
	return loadMember(ctx, tx, id)
}

// phoneConflict maps a write's error: the phone number of another member of the
// group is ErrPhoneTaken at field.
func phoneConflict(err error, field string) error {
	if storage.IsConstraint(err, "members_group_phone_idx") {
		return ErrPhoneTaken.At(strings.Split(field, ".")...)
	}
	if err != nil {
		return fmt.Errorf("write member: %w", err)
	}
	return nil
}

// resolveReferrer finds the referrer (a phone number or a member id) in group.
func resolveReferrer(ctx context.Context, q storage.Querier, group uuid.UUID, ref string, self uuid.UUID) (*uuid.UUID, error) {
	if ref == "" {
		return nil, nil
	}
	var id uuid.UUID
	var err error
	if phone, ok := NormalizePhone(ref); ok {
		id, err = queries.New(q).MemberIDByPhone(ctx, group, phone)
	} else if uid, perr := uuid.Parse(ref); perr == nil {
		id, err = queries.New(q).MemberIDInGroup(ctx, group, uid)
	} else {
		return nil, ErrReferrerNotFound.At("referrer")
	}
	if errors.Is(storage.MapError(err), storage.ErrNotFound) || id == self {
		return nil, ErrReferrerNotFound.At("referrer")
	}
	return &id, err
}
