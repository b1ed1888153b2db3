package members

import "github.com/atrium-mall/atrium/service/state"

// CardStatus is where a card is in its life cycle.
type CardStatus string

// Card statuses.
const (
	StatusActive    CardStatus = "active"
	StatusLost      CardStatus = "lost"
	StatusFrozen    CardStatus = "frozen"
	StatusCancelled CardStatus = "cancelled"
	StatusReplaced  CardStatus = "replaced"
)

// Op is a card operation, recorded in card_events and audit_log.
type Op string

// The card operations.
const (
	OpIssue      Op = "issue"
	OpReportLoss Op = "report_loss"
	OpCancelLoss Op = "cancel_loss"
	OpFreeze     Op = "freeze"
	OpUnfreeze   Op = "unfreeze"
	OpReissue    Op = "reissue"
	OpTransfer   Op = "transfer"
	OpCancel     Op = "cancel"
)

// cardMachine is the card state machine: for each operation, the statuses it starts
// from and the status it leaves. A frozen card must be unfrozen before it is reported
// lost, reissued or transferred; a replaced or cancelled card is final. An operation
// not allowed from a card's status is ErrCardTransition.
var cardMachine = state.New("card", ErrCardTransition, map[Op]map[CardStatus]CardStatus{
	OpReportLoss: {StatusActive: StatusLost},
	OpCancelLoss: {StatusLost: StatusActive},
	OpFreeze:     {StatusActive: StatusFrozen},
	OpUnfreeze:   {StatusFrozen: StatusActive},
	OpReissue:    {StatusActive: StatusReplaced, StatusLost: StatusReplaced},
	OpTransfer:   {StatusActive: StatusActive},
	OpCancel:     {StatusActive: StatusCancelled, StatusLost: StatusCancelled, StatusFrozen: StatusCancelled},
})

// MemberStatus is the status of a member's row.
type MemberStatus string

// Member statuses. A merged row is a WeChat identity retired when its WeChat account
// moved onto an existing member (bindExisting).
const (
	MemberActive MemberStatus = "active"
	MemberMerged MemberStatus = "merged"
)

// MemberOp changes a member's status.
type MemberOp string

// OpMerge retires a fresh WeChat identity into an existing member.
const OpMerge MemberOp = "merge"

// memberMachine: only an active identity is merged; a member not allowed the change is
// ErrMemberInactive.
var memberMachine = state.New("member", ErrMemberInactive, map[MemberOp]map[MemberStatus]MemberStatus{
	OpMerge: {MemberActive: MemberMerged},
})
