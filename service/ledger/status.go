package ledger

import "github.com/atrium-mall/atrium/service/state"

// PostingKind says what a posting did; it is stored with the posting and shown in a
// card's history. Each context names the postings it makes.
type PostingKind string

// The posting kinds.
const (
	// made by the ledger itself
	PostingMove       PostingKind = "move"        // a reissue moves every balance to the new card
	PostingCardRefund PostingKind = "card_refund" // a cancelled card's stored value paid out
	PostingClawback   PostingKind = "clawback"    // points of a refunded purchase taken back
	PostingRelease    PostingKind = "release"     // pending points whose return window ended
	PostingExpire     PostingKind = "expire"      // points past their expiry
	PostingTransfer   PostingKind = "transfer"    // points given to another card
	// made by the value contexts (loyalty, bookings, campaigns, arrivals)
	PostingRecharge      PostingKind = "recharge"
	PostingPurchase      PostingKind = "purchase"
	PostingRefund        PostingKind = "refund"
	PostingEarn          PostingKind = "earn"
	PostingReferral      PostingKind = "referral"
	PostingUsesAdd       PostingKind = "uses_add"
	PostingUsesRedeem    PostingKind = "uses_redeem"
	PostingBooking       PostingKind = "booking"
	PostingBookingRefund PostingKind = "booking_refund"
	PostingSignin        PostingKind = "signin"
	PostingLottery       PostingKind = "lottery"
	PostingLotteryPrize  PostingKind = "lottery_prize"
	PostingGift          PostingKind = "gift"
	// made by billing
	PostingBillIssue PostingKind = "bill_issue" // an issued bill: receivable against revenue, VAT and deposits
	// PostingTenantPayment is a tenant's payment: the money received against its
	// receivable (what was allocated) and its tenant credit (the rest).
	PostingTenantPayment PostingKind = "tenant_payment"
	// PostingTenantPaymentReversal undoes a tenant payment exactly.
	PostingTenantPaymentReversal PostingKind = "tenant_payment_reversal"
	// PostingCreditApply applies tenant credit to a tenant's receivable.
	PostingCreditApply PostingKind = "tenant_credit_apply"
)

// LotStatus is where a points lot stands.
type LotStatus string

// The lot statuses.
const (
	LotPending   LotStatus = "pending"   // in the card's pending account until its return window ends
	LotAvailable LotStatus = "available" // spendable, until it expires
	LotExpired   LotStatus = "expired"   // past its expiry (emptied by an expire posting)
	LotMoved     LotStatus = "moved"     // emptied by a reissue: its points live on in a lot of the new card
)

// LotEvent is what changes a lot's status.
type LotEvent string

// The lot events.
const (
	LotRelease LotEvent = "release" // the return window ended (ReleasePending)
	LotExpire  LotEvent = "expire"  // the expiry passed (ExpireLots)
	LotMove    LotEvent = "move"    // the card was reissued and the lot emptied (MoveCardTx)
)

// lotMachine is the points lot's transition table: expired and moved lots are final.
var lotMachine = state.New("points lot", ErrLotTransition, map[LotEvent]map[LotStatus]LotStatus{
	LotRelease: {LotPending: LotAvailable},
	LotExpire:  {LotAvailable: LotExpired},
	LotMove:    {LotAvailable: LotMoved, LotPending: LotMoved},
})

// LotTransition returns the status event leaves a lot in from status from, or
// ErrLotTransition when event may not fire from there.
func LotTransition(event LotEvent, from LotStatus) (LotStatus, error) {
	return lotMachine.Next(event, from)
}
