package campaigns

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

// canRead lets any shopper (the mini-program lists what they can join) and the staff
// covering the mall read its campaigns.
func (s *Service) canRead(ctx context.Context, mallID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	switch {
	case v.IsShopper():
		return nil
	case !v.IsStaff():
		return errs.ErrForbidden
	}
	ref, err := s.org.MallRef(ctx, mallID)
	if err != nil {
		return err
	}
	if !v.Can(ref) {
		return errs.ErrForbidden
	}
	return nil
}

// SignInCampaigns lists a mall's running sign-in campaigns, oldest first.
func (s *Service) SignInCampaigns(ctx context.Context, mallID uuid.UUID) ([]SignInCampaign, error) {
	if err := s.canRead(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, mall_id, name, daily_points, rewards FROM signin_campaigns
		WHERE mall_id = $1 AND active ORDER BY id`, mallID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (SignInCampaign, error) {
		var c SignInCampaign
		var rewards []byte
		if err := r.Scan(&c.ID, &c.MallID, &c.Name, &c.DailyPoints, &rewards); err != nil {
			return c, err
		}
		return c, json.Unmarshal(rewards, &c.Rewards)
	})
}

// Lotteries lists a mall's running lotteries with their prizes (odds, stock, won).
func (s *Service) Lotteries(ctx context.Context, mallID uuid.UUID) ([]Lottery, error) {
	if err := s.canRead(ctx, mallID); err != nil {
		return nil, err
	}
	var out []Lottery
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id FROM lotteries WHERE mall_id = $1 AND active ORDER BY id`, mallID)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
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
	rows, err := s.db.Pool.Query(ctx, `SELECT id, mall_id, name, points_cost, stock, exchanged, template_id FROM gifts
		WHERE mall_id = $1 ORDER BY id`, mallID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Gift, error) {
		var g Gift
		err := r.Scan(&g.ID, &g.MallID, &g.Name, &g.PointsCost, &g.Stock, &g.Exchanged, &g.TemplateID)
		return g, err
	})
}
