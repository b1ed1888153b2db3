// Package campaigns is marketing campaigns: daily sign-in with streak rewards, lotteries
// with prize stock and odds, and gifts exchanged for points. Points move through the
// ledger (EarnTx / SpendTx on the member's primary card); coupons are issued through
// the coupons context, so stock and limits hold on every path.
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
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Business outcomes of campaigns.
var (
	ErrAlreadySignedIn = errs.New(errs.KindUser, "ALREADY_SIGNED_IN", "you already signed in today")
	ErrNoCard          = errs.New(errs.KindUser, "NO_MEMBER_CARD", "a member card is needed to hold points")
	ErrGiftSoldOut     = errs.New(errs.KindUser, "GIFT_SOLD_OUT", "the gift is out of stock")
	ErrCampaignClosed  = errs.New(errs.KindUser, "CAMPAIGN_CLOSED", "the campaign is not running")
)

// Service is the campaigns context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	coupons *coupons.Service
	ledger  *ledger.Service
	now     func() time.Time
	random  func() float64 // uniform in [0, 1)
}

// New returns the campaigns service; random nil means crypto/rand.
func New(db *storage.DB, orgs *org.Service, cp *coupons.Service, ldg *ledger.Service, now func() time.Time, random func() float64) *Service {
	if random == nil {
		random = cryptoFloat
	}
	return &Service{db: db, org: orgs, coupons: cp, ledger: ldg, now: now, random: random}
}

func cryptoFloat() float64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return float64(binary.BigEndian.Uint64(b[:])>>11) / (1 << 53)
}

var manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

func (s *Service) canManage(ctx context.Context, mallID uuid.UUID) error {
	ref, err := s.org.MallRef(ctx, mallID)
	if err != nil {
		return err
	}
	if !auth.ViewerFrom(ctx).Can(ref, manageRoles...) {
		return errs.ErrForbidden
	}
	return nil
}

func shopper(ctx context.Context) (uuid.UUID, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return uuid.Nil, errs.ErrForbidden
	}
	return v.ID, nil
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

// mallDay is the business day of t in the mall's time zone.
func mallDay(ctx context.Context, q storage.Querier, mallID uuid.UUID, t time.Time) (time.Time, error) {
	var zone string
	if err := q.QueryRow(ctx, `SELECT time_zone FROM malls WHERE id = $1`, mallID).Scan(&zone); err != nil {
		return t, storage.MapError(err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC), nil
}
