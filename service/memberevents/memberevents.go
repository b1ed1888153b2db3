// Package memberevents is member events (会员活动) of a mall: staff (ADMIN, MEMBER_OPS)
// create an event with a sign-up window and a capacity; members of the mall's group
// sign up (confirmed while places remain, else wait-listed in order), cancel (a freed
// place goes to the first wait-listed member, told through the notify outbox), are
// checked in by a scan of their signed member code (online or uploaded later from an
// offline device: each device scan id counts once), sign in (签到) as the event's rule
// allows (signinrule), and draw the event's lottery or take its gift through campaigns
// once checked in.
//
// Deposit: an event may ask a points deposit. It is taken at sign-up (confirmed or
// wait-listed) from the member's points into the ledger account event_deposit of the
// event (SpendTx, the lots' pieces kept on the sign-up), and given back with the same
// lots (RestoreTx) at check-in, when a member cancels, or when the event is closed for a
// wait-listed member never promoted. Closing the event (an explicit staff mutation,
// allowed once the event has ended) forfeits the deposits of confirmed members who never
// checked in (to the redeemed account). Each move is a ledger posting with a key of the
// sign-up (mev:hold|return|forfeit:<sign-up id>) and a deposit_state transition under
// the sign-up's row lock, so each happens at most once; Verify checks the ledger's
// event_deposit balances against the deposits held.
package memberevents

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Business outcomes of member events.
var (
	ErrSignupNotOpen     = errs.New(errs.KindUser, "SIGNUP_NOT_OPEN", "sign-up for this event is not open")
	ErrAlreadySignedUp   = errs.New(errs.KindUser, "ALREADY_SIGNED_UP", "you have already signed up for this event")
	ErrNotEligible       = errs.New(errs.KindUser, "EVENT_NOT_FOR_YOU", "this event is for other members")
	ErrNoCard            = errs.New(errs.KindUser, "NO_MEMBER_CARD", "a member card is needed to hold the deposit")
	ErrNotSignedUp       = errs.New(errs.KindUser, "NOT_SIGNED_UP", "you have not signed up for this event")
	ErrSignupTransition  = errs.New(errs.KindUser, "SIGNUP_STATE", "the sign-up cannot do that now")
	ErrDepositTransition = errs.New(errs.KindInternal, "DEPOSIT_STATE", "illegal deposit transition")
	ErrEventClosed       = errs.New(errs.KindUser, "EVENT_CLOSED", "the event is closed")
	ErrEventNotOver      = errs.New(errs.KindUser, "EVENT_NOT_OVER", "an event can be closed once it has ended")
	ErrNotCheckedIn      = errs.New(errs.KindUser, "NOT_CHECKED_IN", "only members checked in at the event may do that")
	ErrNoPrize           = errs.New(errs.KindUser, "EVENT_HAS_NO_PRIZE", "the event has no lottery or gift of that kind")
	ErrSignInRefused     = errs.New(errs.KindUser, "SIGNIN_REFUSED", "sign-in is not allowed now")
)

// manageRoles set events up, read sign-ups and close events; scanRoles check members in.
var (
	manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}
	scanRoles   = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk}
)

// KindEventDeposit is the ledger account kind holding events' points deposits (owner =
// the event id, asset points).
const KindEventDeposit = "event_deposit"

// Deps is what the member events context is built from; every field is required.
type Deps struct {
	DB        *storage.DB
	Org       *org.Service
	Members   *members.Service // the shopper's group, tier and tags; member codes
	Ledger    *ledger.Service
	Campaigns *campaigns.Service // the lottery and gift linked to an event
	Now       func() time.Time
}

// Service is the member events context.
type Service struct {
	db        *storage.DB
	org       *org.Service
	members   *members.Service
	ledger    *ledger.Service
	campaigns *campaigns.Service
	now       func() time.Time
}

// New returns the member events service built from d.
func New(d Deps) *Service {
	service.MustDeps("memberevents", d)
	return &Service{db: d.DB, org: d.Org, members: d.Members, ledger: d.Ledger, campaigns: d.Campaigns, now: d.Now}
}

// depositAccount is the ledger account holding event's deposits.
func depositAccount(event uuid.UUID) ledger.Account {
	return ledger.Account{Kind: KindEventDeposit, Owner: event, Asset: ledger.Points}
}

var _ = context.Background

type (
	campaignsLottery = campaigns.Lottery
	campaignsGift    = campaigns.Gift
)
