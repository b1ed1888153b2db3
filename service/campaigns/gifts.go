package campaigns

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/campaigns/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Gift is a gift members exchange points for (积分兑礼). With a TemplateID (a gift
// coupon), the exchange issues that coupon, whose code staff redeem at pickup.
type Gift struct {
	ID         uuid.UUID
	MallID     uuid.UUID
	Name       string
	PointsCost int
	Stock      int
	Exchanged  int
	TemplateID *uuid.UUID
}

// Exchange is one exchange of points for a gift.
type Exchange struct {
	ID       uuid.UUID
	GiftID   uuid.UUID
	Points   int
	CouponID *uuid.UUID
}

// CreateGift adds a gift with stock.
func (s *Service) CreateGift(ctx context.Context, g Gift) (Gift, error) {
	if err := validName("input.name", &g.Name); err != nil {
		return g, err
	}
	if g.PointsCost <= 0 || g.Stock < 0 {
		return g, errs.Invalid("input.pointsCost", "a gift needs a positive points cost and non-negative stock")
	}
	if err := s.canSetUp(ctx, g.MallID, []*uuid.UUID{g.TemplateID}, func(int) string { return "input.templateId" }); err != nil {
		return g, err
	}
	g.ID = service.NewID()
	err := queries.New(s.db.Pool).InsertGift(ctx, queries.InsertGiftParams{ID: g.ID, MallID: g.MallID, Name: g.Name,
		PointsCost: int32(g.PointsCost), Stock: int32(g.Stock), TemplateID: g.TemplateID})
	return g, storage.MapError(err)
}

// ExchangeGift exchanges the shopper viewer's points for a gift: stock by a conditional
// UPDATE, points by a ledger posting (INSUFFICIENT_POINTS when short), both in one
// transaction, once per idempotency key (per shopper).
func (s *Service) ExchangeGift(ctx context.Context, giftID uuid.UUID, idempotencyKey string) (Exchange, error) {
	return asShopperOnce(ctx, s, "campaigns.gift", idempotencyKey, giftID, s.exchangeTx)
}

func (s *Service) exchangeTx(ctx context.Context, tx pgx.Tx, giftID, member uuid.UUID) (Exchange, error) {
	q := queries.New(tx)
	e := Exchange{ID: service.NewID(), GiftID: giftID}
	taken, err := q.TakeGift(ctx, giftID)
	if errors.Is(err, pgx.ErrNoRows) {
		if found, err := q.GiftExists(ctx, giftID); err != nil || !found {
			return e, errs.ErrNotFound.Msgf("gift not found")
		}
		return e, ErrGiftSoldOut
	}
	if err != nil {
		return e, err
	}
	e.Points = int(taken.PointsCost)
	if err := s.spendPointsTx(ctx, tx, member, e.Points, "gift", "gift:"+e.ID.String()); err != nil {
		return e, err
	}
	if taken.TemplateID != nil {
		c, err := s.coupons.IssueTx(ctx, tx, *taken.TemplateID, member, "points")
		if err != nil {
			return e, err
		}
		e.CouponID = &c.ID
	}
	return e, q.InsertGiftExchange(ctx, queries.InsertGiftExchangeParams{ID: e.ID, GiftID: giftID, MemberID: member,
		Points: int32(e.Points), CouponID: e.CouponID})
}
