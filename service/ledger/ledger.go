// Package ledger is the double-entry ledger for points, stored value (CNY) and
// count-card uses.
//
// Every movement of value is a Posting: two or more entries whose amounts sum to zero
// per asset, with a unique key, never updated (a database trigger refuses UPDATE and
// DELETE); corrections are reversing postings.
//
// Balances. Card accounts ("card" for spendable value, "card_pending" for points still
// in their return window) keep a cached balance that the posting changes in the same
// transaction with a conditional UPDATE (`balance + $d >= 0`), so they never go
// negative — except the points account of a card under a claw-back (ClawbackTx), the
// one place a negative balance (a points debt) is allowed: a refund takes back points
// that were already spent, and later earnings pay the debt off first. System accounts
// (issuance, redeemed, expired, funding, coupon_subsidy, outside, merchant) are derived: their balance
// is the sum of their entries, so concurrent purchases do not queue on them.
//
// Locking. A transaction that touches cards first locks all their accounts in id
// order (LockCardsTx), which makes every later update and lot change on them
// deadlock-free and serial per card.
//
// Points lots. Every earning is a lot with an expiry; spending consumes the
// earliest-expiring lots first. Invariants (checked by Verify): the remaining points
// of a card's available lots equal max(balance, 0) of its points account, those of its
// pending lots equal its pending balance, and every lot's remaining equals the sum of
// its moves.
package ledger

import (
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of the ledger context.
var (
	ErrInsufficient      = errs.New(errs.KindUser, "INSUFFICIENT_BALANCE", "the balance is not enough")
	ErrInsufficientPoint = errs.New(errs.KindUser, "INSUFFICIENT_POINTS", "not enough points")
	ErrUnbalanced        = errs.New(errs.KindInternal, "POSTING_UNBALANCED", "the posting does not balance")
	ErrDuplicatePosting  = errs.New(errs.KindUser, "DUPLICATE_POSTING", "a posting with this key exists")
	ErrCardNotFound      = errs.New(errs.KindUser, "CARD_NOT_FOUND", "no such card")
	// ErrLotTransition is a points lot asked to change status where its transition
	// table (lotMachine) does not allow it: a bug, never a user's doing.
	ErrLotTransition = errs.New(errs.KindInternal, "LOT_TRANSITION", "illegal points lot transition")
)

// Asset is what an account holds.
type Asset string

// The assets.
const (
	Points Asset = "points"
	CNY    Asset = "cny"
	Uses   Asset = "uses"
)

// Assets lists every asset.
var Assets = []Asset{Points, CNY, Uses}

// Account kinds.
const (
	KindCard        = "card"         // a card's spendable value (cached)
	KindCardPending = "card_pending" // a card's points in their return window (cached)
	KindIssuance    = "issuance"     // where earned points come from
	KindRedeemed    = "redeemed"     // where points spent on purchases go
	KindExpired     = "expired"      // where expired points go
	KindFunding     = "funding"      // the mall's money: points offsets, recharge bonuses
	KindOutside     = "outside"      // the outside world: cash paid in and refunded
	KindMerchant    = "merchant"     // a merchant's receivable (owner = merchant id)
	// KindCouponSubsidy is the mall's spending on mall-funded coupons: the discount a
	// shopper did not pay, owed by the mall to the merchant that gave it.
	KindCouponSubsidy = "coupon_subsidy"
	// Receivables (billing, derived). Balances read debit-positive: a tenant's
	// receivable is what it owes; revenue, VAT payable and deposits held are credits
	// (negative balances).
	KindTenantReceivable = "tenant_receivable" // what a tenant owes (owner = merchant id)
	KindRevenuePrefix    = "revenue."          // revenue.<CHARGE CODE> of a mall (owner = mall id)
	KindVATPayable       = "vat_payable"       // output VAT a mall owes the tax bureau (owner = mall id)
	KindDepositHeld      = "deposit_held"      // deposits (保证金) a mall holds for a tenant (owner = merchant id)
	KindTenantCredit     = "tenant_credit"     // what a tenant paid beyond its bills (owner = merchant id; a credit)
	// Money a mall received from tenants, per channel (owner = mall id, debit-positive):
	// its bank account, its cash till, and WeChat Pay's clearing (settled to the bank by WeChat Pay).
	KindBank      = "bank"
	KindCash      = "cash"
	KindWeChatPay = "wechatpay_clearing"
)

// Account names an account of a group.
type Account struct {
	Kind  string
	Owner uuid.UUID
	Asset Asset
}

// Card is a card's account for asset.
func Card(cardID uuid.UUID, asset Asset) Account {
	return Account{Kind: KindCard, Owner: cardID, Asset: asset}
}

// CardPending is a card's pending points account.
func CardPending(cardID uuid.UUID) Account {
	return Account{Kind: KindCardPending, Owner: cardID, Asset: Points}
}

// System is a group-level account.
func System(kind string, asset Asset) Account { return Account{Kind: kind, Asset: asset} }

// Merchant is a merchant's CNY account.
func Merchant(merchantID uuid.UUID) Account {
	return Account{Kind: KindMerchant, Owner: merchantID, Asset: CNY}
}

// TenantReceivable is what a tenant (merchant) owes its mall, in CNY.
func TenantReceivable(merchantID uuid.UUID) Account {
	return Account{Kind: KindTenantReceivable, Owner: merchantID, Asset: CNY}
}

// Revenue is a mall's revenue of a charge code, in CNY.
func Revenue(mallID uuid.UUID, code string) Account {
	return Account{Kind: KindRevenuePrefix + code, Owner: mallID, Asset: CNY}
}

// VATPayable is a mall's output VAT, in CNY.
func VATPayable(mallID uuid.UUID) Account {
	return Account{Kind: KindVATPayable, Owner: mallID, Asset: CNY}
}

// DepositHeld is the deposit a mall holds for a tenant (merchant), in CNY.
func DepositHeld(merchantID uuid.UUID) Account {
	return Account{Kind: KindDepositHeld, Owner: merchantID, Asset: CNY}
}

// TenantCredit is what a tenant (merchant) paid beyond what it owed, not yet applied
// to a bill, in CNY (a credit: negative balance).
func TenantCredit(merchantID uuid.UUID) Account {
	return Account{Kind: KindTenantCredit, Owner: merchantID, Asset: CNY}
}

// Received is a mall's account of money received through a channel (KindBank,
// KindCash, KindWeChatPay), in CNY.
func Received(kind string, mallID uuid.UUID) Account {
	return Account{Kind: kind, Owner: mallID, Asset: CNY}
}

func (a Account) cached() bool { return a.Kind == KindCard || a.Kind == KindCardPending }

// Service is the ledger context.
type Service struct {
	db  *storage.DB
	now func() time.Time
}

// Deps are the ledger's dependencies, all required.
type Deps struct {
	DB  *storage.DB
	Now func() time.Time // the clock: posting times, lot creation, pending vs available
}

// New returns the ledger service.
func New(d Deps) *Service {
	service.MustDeps("ledger", d)
	return &Service{db: d.DB, now: d.Now}
}
