package campaigns

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/campaigns/internal/queries"
)

// canRead lets any shopper (the mini-program lists what they can join) and the staff
// covering the mall read its campaigns.
func (s *Service) canRead(ctx context.Context, mallID uuid.UUID) error {
	return access.ShopperOr(ctx, func() error { _, err := s.org.AtMall(ctx, mallID); return err })
}

// SignInCampaigns lists a mall's running sign-in campaigns, oldest first.
func (s *Service) SignInCampaigns(ctx context.Context, mallID uuid.UUID) ([]SignInCampaign, error) {
	if err := s.canRead(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).RunningSignInCampaigns(ctx, mallID)
	if err != nil {
		return nil, err
	}
	out := make([]SignInCampaign, len(rows))
	for i, r := range rows {
		if out[i], err = signInOf(queries.SignInCampaignRow(r)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Lotteries lists a mall's running lotteries with their prizes (odds, stock, won).
func (s *Service) Lotteries(ctx context.Context, mallID uuid.UUID) ([]Lottery, error) {
	if err := s.canRead(ctx, mallID); err != nil {
		return nil, err
	}
	var out []Lottery
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		ids, err := queries.New(tx).RunningLotteryIDs(ctx, mallID)
		if err != nil {
			return err
		}
		out = make([]Lottery, 0, len(ids))
		for _, id := range ids {
			l, err := loadLottery(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	return out, err
}

// Gifts lists a mall's gifts, oldest first, with their stock and how many were taken.
func (s *Service) Gifts(ctx context.Context, mallID uuid.UUID) ([]Gift, error) {
	if err := s.canRead(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).Gifts(ctx, mallID)
	if err != nil {
		return nil, err
	}
	out, ptrs := make([]Gift, len(rows)), make([]*Gift, len(rows))
	for i, g := range rows {
		out[i] = Gift{ID: g.ID, MallID: g.MallID, Name: g.Name, PointsCost: int(g.PointsCost), Stock: int(g.Stock),
			Exchanged: int(g.Exchanged), TemplateID: g.TemplateID, WarehouseID: g.WarehouseID, ItemID: g.WhItemID}
		ptrs[i] = &out[i]
	}
	return out, s.withStock(ctx, ptrs)
}
