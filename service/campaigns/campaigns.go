// Package campaigns is marketing campaigns: daily sign-in with streak rewards, lotteries
// with prize stock and odds, and gifts exchanged for points. Points move through the
// ledger (EarnTx / SpendTx on the member's primary card); coupons are issued through
// the coupons context, gifts stocked in a warehouse are issued through the warehouse context, so stock and limits hold on every path. Draws and exchanges,
// which take stock and points, run through service/once: once per idempotency key of
// the shopper.
package campaigns

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/warehouse"
	"github.com/atrium-mall/atrium/storage"
)

// Business outcomes of campaigns.
var (
	ErrAlreadySignedIn = errs.New(errs.KindUser, "ALREADY_SIGNED_IN", "you already signed in today")
	ErrNoCard          = errs.New(errs.KindUser, "NO_MEMBER_CARD", "a member card is needed to hold points")
	ErrGiftSoldOut     = errs.New(errs.KindUser, "GIFT_SOLD_OUT", "the gift is out of stock")
	ErrCampaignClosed  = errs.New(errs.KindUser, "CAMPAIGN_CLOSED", "the campaign is not running")
)

// Deps is what the campaigns context is built from; every field is required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service // malls: scope checks and business days
	Coupons *coupons.Service
	Ledger  *ledger.Service
	// Stock is the gift warehouse: a gift linked to an item in a warehouse takes one
	// unit from there per exchange (IssueTx, in the exchange's transaction).
	Stock *warehouse.Service
	// Now is the clock (time.Now in production).
	Now func() time.Time
	// Random draws lotteries: uniform in [0, 1) (CryptoRandom in production).
	Random func() float64
}

// Service is the campaigns context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	coupons *coupons.Service
	ledger  *ledger.Service
	stock   *warehouse.Service
	now     func() time.Time
	random  func() float64
}

// New returns the campaigns service built from d.
func New(d Deps) *Service {
	service.MustDeps("campaigns", d)
	return &Service{db: d.DB, org: d.Org, coupons: d.Coupons, ledger: d.Ledger, stock: d.Stock, now: d.Now, random: d.Random}
}

// CryptoRandom is a uniform draw in [0, 1) from crypto/rand: the lottery's dice.
func CryptoRandom() float64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return float64(binary.BigEndian.Uint64(b[:])>>11) / (1 << 53)
}

// manageRoles may set campaigns up.
var manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// asShopperOnce runs run for the calling shopper, once per idempotency key of theirs
// (service/once, the operation named name, with id as its arguments).
func asShopperOnce[T any](ctx context.Context, s *Service, name, key string, id uuid.UUID,
	run func(ctx context.Context, tx pgx.Tx, id, member uuid.UUID) (T, error)) (T, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	v, _, err := once.Do(ctx, s.db, once.Op[T]{Name: name, Key: key, Args: id,
		Run: func(ctx context.Context, tx pgx.Tx) (T, error) { return run(ctx, tx, id, member) }})
	return v, err
}

// card returns the member's card for points (ledger.MemberCardTx: one holding need
// points, or the one holding the most) and its group, locked for the ledger.
func (s *Service) card(ctx context.Context, tx pgx.Tx, member uuid.UUID, need int) (uuid.UUID, uuid.UUID, error) {
	card, group, err := s.ledger.MemberCardTx(ctx, tx, member, ledger.Points, decimal.NewFromInt(int64(need)))
	if errors.Is(err, ledger.ErrCardNotFound) {
		return card, group, ErrNoCard
	}
	return card, group, err
}

// awardPointsTx credits points to the member's card (key makes it once only).
func (s *Service) awardPointsTx(ctx context.Context, tx pgx.Tx, member uuid.UUID, points int, kind, key string) error {
	if points <= 0 {
		return nil
	}
	cardID, group, err := s.card(ctx, tx, member, 0)
	if err != nil {
		return err
	}
	now := s.now()
	_, err = s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: cardID, Points: decimal.NewFromInt(int64(points)),
		From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: now, ExpiresAt: now.AddDate(1, 0, 0),
		Kind: ledger.PostingKind(kind), Key: key})
	return err
}

// spendPointsTx takes points from the member's card.
func (s *Service) spendPointsTx(ctx context.Context, tx pgx.Tx, member uuid.UUID, points int, kind, key string) error {
	if points <= 0 {
		return nil
	}
	cardID, group, err := s.card(ctx, tx, member, points)
	if err != nil {
		return err
	}
	pts := decimal.NewFromInt(int64(points))
	_, _, err = s.ledger.SpendTx(ctx, tx, ledger.Posting{GroupID: group, Kind: ledger.PostingKind(kind), Key: key,
		Legs: []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: pts}}}, cardID, pts)
	return err
}

// mallDay is the business day of t at the mall (its time zone, from org).
func (s *Service) mallDay(ctx context.Context, tx pgx.Tx, mallID uuid.UUID, t time.Time) (time.Time, error) {
	mall, err := s.org.MallPlace(ctx, tx, mallID)
	if err != nil {
		return t, err
	}
	return calendar.Day(t, mall.Loc), nil
}
