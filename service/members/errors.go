package members

import (
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/tabular"
)

// Business outcomes of the members context, shown to clients as userErrors.
var (
	ErrPhoneTaken        = errs.New(errs.KindUser, "PHONE_TAKEN", "a member of this group already has that phone number")
	ErrAlreadyRegistered = errs.New(errs.KindUser, "ALREADY_REGISTERED", "this member has already registered")
	ErrReferrerNotFound  = errs.New(errs.KindUser, "REFERRER_NOT_FOUND", "no member of this group matches the referrer")
	ErrWeChatPhone       = errs.New(errs.KindUser, "WECHAT_PHONE_FAILED", "WeChat did not confirm the phone number")
	ErrMemberCodeExpired = errs.New(errs.KindUser, "MEMBER_CODE_EXPIRED", "the member code has expired; ask the member to refresh it")
	ErrMemberCodeInvalid = errs.New(errs.KindUser, "MEMBER_CODE_INVALID", "the member code is not valid")
	ErrMemberInactive    = errs.New(errs.KindUser, "MEMBER_INACTIVE", "this membership is not active")
	ErrImportFormat      = tabular.ErrFormat
	ErrDuplicatePhone    = errs.New(errs.KindUser, "DUPLICATE_PHONE", "the phone number appears twice or already belongs to a member")
	ErrCardTypeCodeTaken = errs.New(errs.KindUser, "CARD_TYPE_CODE_TAKEN", "the group already has a card type with that code")
	// ErrRegistrationTypeTaken: another card type of the group is issued on registration.
	ErrRegistrationTypeTaken = errs.New(errs.KindUser, "REGISTRATION_CARD_TYPE_TAKEN",
		"another card type of the group is already issued on registration")
	ErrCardUIDTaken       = errs.New(errs.KindUser, "CARD_UID_TAKEN", "a card with that UID already exists")
	ErrCardNotFound       = errs.New(errs.KindUser, "CARD_NOT_FOUND", "no such card")
	ErrCardLost           = errs.New(errs.KindUser, "CARD_LOST", "the card is reported lost")
	ErrCardFrozen         = errs.New(errs.KindUser, "CARD_FROZEN", "the card is frozen")
	ErrCardCancelled      = errs.New(errs.KindUser, "CARD_CANCELLED", "the card is cancelled")
	ErrCardReplaced       = errs.New(errs.KindUser, "CARD_REPLACED", "the card was replaced by a reissued card")
	ErrCardExpired        = errs.New(errs.KindUser, "CARD_EXPIRED", "the card has expired")
	ErrCardTransition     = errs.New(errs.KindUser, "CARD_INVALID_TRANSITION", "the card's status does not allow this operation")
	ErrBadPrimaryCard     = errs.New(errs.KindUser, "BAD_PRIMARY_CARD", "the primary card cannot take a supplementary card")
	ErrHasSupplementaries = errs.New(errs.KindUser, "CARD_HAS_SUPPLEMENTARIES", "cancel the supplementary cards first")
	ErrSameMember         = errs.New(errs.KindUser, "TRANSFER_SAME_MEMBER", "the card already belongs to that member")
	// ErrCardTypeRequired: issueCard names no card type and no primary card. A group offers
	// several kinds of card (stored value, count, discount, …), so none is guessed.
	ErrCardTypeRequired = errs.New(errs.KindUser, "CARD_TYPE_REQUIRED",
		"cardTypeId is required unless primaryCardId is given; list the group's card types with "+
			"cardTypes(groupId: …) { id code name kind }")
)
