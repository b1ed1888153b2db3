package campaigns

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/campaigns/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/warehouse"
	"github.com/atrium-mall/atrium/storage"
)

// Gift is a gift members exchange points for (积分兑礼). With a TemplateID (a gift
// coupon), the exchange issues that coupon, whose code staff redeem at pickup. With a
// WarehouseID and ItemID (礼品仓库), its stock is the item's in that warehouse: each
// exchange issues one unit from there (Stock then reads exchanged + what is in the
// warehouse, so Stock − Exchanged is what is left).
type Gift struct {
	ID         uuid.UUID
	MallID     uuid.UUID
	Name       string
	PointsCost int
	Stock      int
	Exchanged  int
	TemplateID *uuid.UUID
	// WarehouseID and ItemID link the gift to warehouse stock (both or neither).
	WarehouseID, ItemID *uuid.UUID
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
	if (g.WarehouseID == nil) != (g.ItemID == nil) {
		return g, errs.Invalid("input.warehouseId", "a gift stocked in a warehouse names both the warehouse and the item")
	}
	if g.WarehouseID != nil {
		if err := s.stock.Stockable(ctx, g.MallID, *g.WarehouseID, *g.ItemID); err != nil {
			return g, err
		}
		g.Stock = 0 // the warehouse's stock
	}
	g.ID = service.NewID()
	err := queries.New(s.db.Pool).InsertGift(ctx, queries.InsertGiftParams{ID: g.ID, MallID: g.MallID, Name: g.Name,
		PointsCost: int32(g.PointsCost), Stock: int32(g.Stock), TemplateID: g.TemplateID, WarehouseID: g.WarehouseID,
		WhItemID: g.ItemID})
	if err != nil {
		return g, storage.MapError(err)
	}
	return g, s.withStock(ctx, []*Gift{&g})
}

// ExchangeGift exchanges the shopper viewer's points for a gift: stock by a conditional
// UPDATE (or, for a gift stocked in a warehouse, one unit issued from there through
// warehouse.IssueTx), points by a ledger posting (INSUFFICIENT_POINTS when short), all
// in one transaction, once per idempotency key (per shopper). No stock: GIFT_SOLD_OUT,
// and no points move.
func (s *Service) ExchangeGift(ctx context.Context, giftID uuid.UUID, idempotencyKey string) (Exchange, error) {
	return asShopperOnce(ctx, s, "campaigns.gift", idempotencyKey, giftID, s.exchangeTx)
}

func (s *Service) exchangeTx(ctx context.Context, tx pgx.Tx, giftID, member uuid.UUID) (Exchange, error) {
	q := queries.New(tx)
	e := Exchange{ID: service.NewID(), GiftID: giftID}
	taken, err := s.takeGift(ctx, tx, e, member)
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

// takeGift takes one of the gift's stock: from the warehouse for a gift stocked there,
// else from the gift's own count.
func (s *Service) takeGift(ctx context.Context, tx pgx.Tx, e Exchange, member uuid.UUID) (queries.TakeGiftRow, error) {
	q := queries.New(tx)
	g, err := q.GiftForExchange(ctx, e.GiftID)
	if errors.Is(err, pgx.ErrNoRows) {
		return queries.TakeGiftRow{}, errs.ErrNotFound.Msgf("gift not found")
	} else if err != nil {
		return queries.TakeGiftRow{}, err
	}
	if g.WarehouseID != nil {
		_, err := s.stock.IssueTx(ctx, tx, warehouse.IssueInput{WarehouseID: *g.WarehouseID, Reason: "gift_exchange",
			Note: "gift exchange by member " + member.String(), Lines: []warehouse.Line{{ItemID: *g.WhItemID, Quantity: 1}},
			Key: "gift:" + e.ID.String()}, access.Actor(ctx))
		if errors.Is(err, warehouse.ErrOutOfStock) {
			err = ErrGiftSoldOut
		}
		return queries.TakeGiftRow{PointsCost: g.PointsCost, TemplateID: g.TemplateID}, err
	}
	taken, err := q.TakeGift(ctx, e.GiftID)
	if errors.Is(err, pgx.ErrNoRows) {
		return taken, ErrGiftSoldOut
	}
	return taken, err
}

// withStock sets the stock of gifts stocked in a warehouse: exchanged + what is there.
func (s *Service) withStock(ctx context.Context, gifts []*Gift) error {
	var keys []warehouse.Key
	for _, g := range gifts {
		if g.WarehouseID != nil {
			keys = append(keys, warehouse.Key{WarehouseID: *g.WarehouseID, ItemID: *g.ItemID})
		}
	}
	levels, err := s.stock.Levels(ctx, keys)
	for _, g := range gifts {
		if g.WarehouseID != nil {
			g.Stock = g.Exchanged + int(levels[warehouse.Key{WarehouseID: *g.WarehouseID, ItemID: *g.ItemID}])
		}
	}
	return err
}
