package campaigns

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
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
	g.Name = strings.TrimSpace(g.Name)
	if err := validName("input.name", g.Name); err != nil {
		return g, err
	}
	if g.PointsCost <= 0 || g.Stock < 0 {
		return g, errs.Invalid("input.pointsCost", "a gift needs a positive points cost and non-negative stock")
	}
	if err := s.canManage(ctx, g.MallID); err != nil {
		return g, err
	}
	if err := s.templatesOfMall(ctx, g.MallID, []*uuid.UUID{g.TemplateID}, func(int) string { return "input.templateId" }); err != nil {
		return g, err
	}
	g.ID = service.NewID()
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO gifts (id, mall_id, name, points_cost, stock, template_id)
		VALUES ($1, $2, $3, $4, $5, $6)`, g.ID, g.MallID, g.Name, g.PointsCost, g.Stock, g.TemplateID)
	return g, storage.MapError(err)
}

// ExchangeGift exchanges the shopper viewer's points for a gift: stock by a conditional
// UPDATE, points by a ledger posting (INSUFFICIENT_POINTS when short), both in one
// transaction, once per idempotency key.
func (s *Service) ExchangeGift(ctx context.Context, giftID uuid.UUID, idempotencyKey string) (Exchange, error) {
	member, err := shopper(ctx)
	if err != nil {
		return Exchange{}, err
	}
	var e Exchange
	err = s.db.InTx(ctx, func(tx pgx.Tx) (err error) {
		e, _, err = storage.Idempotent(ctx, tx, "campaigns.gift:"+member.String(), idempotencyKey, giftID,
			func() (Exchange, error) { return s.exchangeTx(ctx, tx, giftID, member) })
		return err
	})
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return e, errs.ErrIdempotencyKey
	}
	return e, err
}

func (s *Service) exchangeTx(ctx context.Context, tx pgx.Tx, giftID, member uuid.UUID) (Exchange, error) {
	e := Exchange{ID: service.NewID(), GiftID: giftID}
	var tpl *uuid.UUID
	err := tx.QueryRow(ctx, `UPDATE gifts SET exchanged = exchanged + 1 WHERE id = $1 AND exchanged < stock
		RETURNING points_cost, template_id`, giftID).Scan(&e.Points, &tpl)
	if errors.Is(err, pgx.ErrNoRows) {
		var n int
		if tx.QueryRow(ctx, `SELECT 1 FROM gifts WHERE id = $1`, giftID).Scan(&n) != nil {
			return e, errs.ErrNotFound.Msgf("gift not found")
		}
		return e, ErrGiftSoldOut
	}
	if err != nil {
		return e, err
	}
	if err := s.spendPointsTx(ctx, tx, member, e.Points, "gift", "gift:"+e.ID.String()); err != nil {
		return e, err
	}
	if tpl != nil {
		c, err := s.coupons.IssueTx(ctx, tx, *tpl, member, "points")
		if err != nil {
			return e, err
		}
		e.CouponID = &c.ID
	}
	_, err = tx.Exec(ctx, `INSERT INTO gift_exchanges (id, gift_id, member_id, points, coupon_id) VALUES ($1, $2, $3, $4, $5)`,
		e.ID, giftID, member, e.Points, e.CouponID)
	return e, err
}
