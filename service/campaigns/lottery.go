package campaigns

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Lottery is a prize draw of a mall; a draw may cost points.
type Lottery struct {
	ID         uuid.UUID
	MallID     uuid.UUID
	Name       string
	CostPoints int
	Prizes     []Prize
}

// Prize is a lottery prize: won with probability Odds while Stock lasts; it pays points
// and/or a coupon of TemplateID.
type Prize struct {
	ID         uuid.UUID
	Name       string
	Odds       decimal.Decimal // 0 < odds ≤ 1; the odds of all prizes sum to at most 1
	Stock      int
	Won        int
	Points     int
	TemplateID *uuid.UUID
}

// Draw is the outcome of one draw; Prize is nil when nothing was won.
type Draw struct {
	ID       uuid.UUID
	Prize    *Prize
	CouponID *uuid.UUID
}

// CreateLottery creates a lottery with its prizes.
func (s *Service) CreateLottery(ctx context.Context, l Lottery) (Lottery, error) {
	l.Name = strings.TrimSpace(l.Name)
	if err := validName("input.name", l.Name); err != nil {
		return l, err
	}
	sum := decimal.Zero
	templates := make([]*uuid.UUID, len(l.Prizes))
	for i := range l.Prizes {
		p := &l.Prizes[i]
		p.Name = strings.TrimSpace(p.Name)
		if err := validName("input.prizes."+strconv.Itoa(i)+".name", p.Name); err != nil {
			return l, err
		}
		if !p.Odds.IsPositive() || p.Odds.GreaterThan(decimal.NewFromInt(1)) || p.Stock < 0 || p.Points < 0 {
			return l, errs.Invalid("input.prizes."+strconv.Itoa(i), "each prize needs odds in (0, 1] and non-negative stock")
		}
		sum, templates[i] = sum.Add(p.Odds), p.TemplateID
	}
	if len(l.Prizes) == 0 || sum.GreaterThan(decimal.NewFromInt(1)) || l.CostPoints < 0 {
		return l, errs.Invalid("input.prizes", "a lottery needs prizes whose odds sum to at most 1")
	}
	if err := s.canManage(ctx, l.MallID); err != nil {
		return l, err
	}
	if err := s.templatesOfMall(ctx, l.MallID, templates, indexed("input.prizes.", ".templateId")); err != nil {
		return l, err
	}
	l.ID = service.NewID()
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO lotteries (id, mall_id, name, cost_points) VALUES ($1, $2, $3, $4)`,
			l.ID, l.MallID, l.Name, l.CostPoints); err != nil {
			return err
		}
		for i := range l.Prizes {
			p := &l.Prizes[i]
			p.ID = service.NewID()
			if _, err := tx.Exec(ctx, `INSERT INTO lottery_prizes (id, lottery_id, name, odds, stock, points, template_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.ID, l.ID, p.Name, p.Odds, p.Stock, p.Points, p.TemplateID); err != nil {
				return storage.MapError(err)
			}
		}
		return nil
	})
	return l, err
}

// DrawLottery draws once for the shopper viewer. The prize is picked by its odds; its
// stock is taken by a conditional UPDATE (won < stock), so concurrent draws never hand
// out more prizes than stock — a picked prize that just ran out becomes "no prize".
// The idempotency key makes a retried draw return the first outcome.
func (s *Service) DrawLottery(ctx context.Context, lotteryID uuid.UUID, idempotencyKey string) (Draw, error) {
	member, err := shopper(ctx)
	if err != nil {
		return Draw{}, err
	}
	var d Draw
	err = s.db.InTx(ctx, func(tx pgx.Tx) (err error) {
		d, _, err = storage.Idempotent(ctx, tx, "campaigns.draw:"+member.String(), idempotencyKey, lotteryID,
			func() (Draw, error) { return s.drawTx(ctx, tx, lotteryID, member) })
		return err
	})
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return d, errs.ErrIdempotencyKey
	}
	return d, err
}

func (s *Service) drawTx(ctx context.Context, tx pgx.Tx, lotteryID, member uuid.UUID) (Draw, error) {
	l, err := loadLottery(ctx, tx, lotteryID)
	if err != nil {
		return Draw{}, err
	}
	d := Draw{ID: service.NewID()}
	if err := s.spendPointsTx(ctx, tx, member, l.CostPoints, "lottery", "lottery:"+d.ID.String()); err != nil {
		return d, err
	}
	if p := pick(l.Prizes, s.random()); p != nil {
		tag, err := tx.Exec(ctx, `UPDATE lottery_prizes SET won = won + 1 WHERE id = $1 AND won < stock`, p.ID)
		if err != nil {
			return d, err
		}
		if tag.RowsAffected() == 1 {
			d.Prize = p
		}
	}
	if d.Prize != nil {
		if err := s.payPrizeTx(ctx, tx, &d, member); err != nil {
			return d, err
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO lottery_draws (id, lottery_id, member_id, prize_id, coupon_id)
		VALUES ($1, $2, $3, $4, $5)`, d.ID, lotteryID, member, prizeID(d.Prize), d.CouponID)
	return d, err
}

func (s *Service) payPrizeTx(ctx context.Context, tx pgx.Tx, d *Draw, member uuid.UUID) error {
	if err := s.awardPointsTx(ctx, tx, member, d.Prize.Points, "lottery_prize", "lottery_prize:"+d.ID.String()); err != nil {
		return err
	}
	if d.Prize.TemplateID != nil {
		c, err := s.coupons.IssueTx(ctx, tx, *d.Prize.TemplateID, member, "campaign")
		if err != nil {
			return err
		}
		d.CouponID = &c.ID
	}
	return nil
}

// pick chooses the prize whose odds interval contains r (in [0, 1)), or nil.
func pick(prizes []Prize, r float64) *Prize {
	acc := 0.0
	for i := range prizes {
		acc += prizes[i].Odds.InexactFloat64()
		if r < acc {
			return &prizes[i]
		}
	}
	return nil
}

func prizeID(p *Prize) *uuid.UUID {
	if p == nil {
		return nil
	}
	return &p.ID
}

func loadLottery(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Lottery, error) {
	l := Lottery{ID: id}
	var active bool
	if err := tx.QueryRow(ctx, `SELECT mall_id, name, cost_points, active FROM lotteries WHERE id = $1`, id).
		Scan(&l.MallID, &l.Name, &l.CostPoints, &active); err != nil {
		return l, errs.ErrNotFound.Msgf("lottery not found")
	}
	if !active {
		return l, ErrCampaignClosed
	}
	rows, err := tx.Query(ctx, `SELECT id, name, odds, stock, won, points, template_id FROM lottery_prizes
		WHERE lottery_id = $1 ORDER BY id`, id)
	if err != nil {
		return l, err
	}
	l.Prizes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Prize, error) {
		var p Prize
		err := r.Scan(&p.ID, &p.Name, &p.Odds, &p.Stock, &p.Won, &p.Points, &p.TemplateID)
		return p, err
	})
	return l, err
}
