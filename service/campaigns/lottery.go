package campaigns

import (
	"context"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/campaigns/internal/queries"
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
	Status     CampaignStatus
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
	if err := validName("input.name", &l.Name); err != nil {
		return l, err
	}
	templates, err := validPrizes(l)
	if err != nil {
		return l, err
	}
	if err := s.canSetUp(ctx, l.MallID, templates, indexed("input.prizes.", ".templateId")); err != nil {
		return l, err
	}
	l.ID, l.Status = service.NewID(), CampaignRunning
	err = s.db.InTx(ctx, func(tx pgx.Tx) error { return insertLotteryTx(ctx, tx, &l) })
	return l, err
}

// insertLotteryTx stores l and its prizes, giving each prize its id.
func insertLotteryTx(ctx context.Context, tx pgx.Tx, l *Lottery) error {
	q := queries.New(tx)
	if err := q.InsertLottery(ctx, queries.InsertLotteryParams{ID: l.ID, MallID: l.MallID, Name: l.Name,
		CostPoints: int32(l.CostPoints)}); err != nil {
		return err
	}
	for i := range l.Prizes {
		p := &l.Prizes[i]
		p.ID = service.NewID()
		if err := q.InsertPrize(ctx, queries.InsertPrizeParams{ID: p.ID, LotteryID: l.ID, Name: p.Name, Odds: p.Odds,
			Stock: int32(p.Stock), Points: int32(p.Points), TemplateID: p.TemplateID}); err != nil {
			return storage.MapError(err)
		}
	}
	return nil
}

// validPrizes checks (and trims) a lottery's prizes and returns the coupon templates
// they hand out.
func validPrizes(l Lottery) ([]*uuid.UUID, error) {
	sum := decimal.Zero
	templates := make([]*uuid.UUID, len(l.Prizes))
	for i := range l.Prizes {
		p := &l.Prizes[i]
		if err := validName("input.prizes."+strconv.Itoa(i)+".name", &p.Name); err != nil {
			return nil, err
		}
		if !p.Odds.IsPositive() || p.Odds.GreaterThan(decimal.NewFromInt(1)) || p.Stock < 0 || p.Points < 0 {
			return nil, errs.Invalid("input.prizes."+strconv.Itoa(i), "each prize needs odds in (0, 1] and non-negative stock")
		}
		sum, templates[i] = sum.Add(p.Odds), p.TemplateID
	}
	if len(l.Prizes) == 0 || sum.GreaterThan(decimal.NewFromInt(1)) || l.CostPoints < 0 {
		return nil, errs.Invalid("input.prizes", "a lottery needs prizes whose odds sum to at most 1")
	}
	return templates, nil
}

// DrawLottery draws once for the shopper viewer. The prize is picked by its odds; its
// stock is taken by a conditional UPDATE (won < stock), so concurrent draws never hand
// out more prizes than stock — a picked prize that just ran out becomes "no prize".
// The idempotency key (per shopper) makes a retried draw return the first outcome.
func (s *Service) DrawLottery(ctx context.Context, lotteryID uuid.UUID, idempotencyKey string) (Draw, error) {
	return asShopperOnce(ctx, s, "campaigns.draw", idempotencyKey, lotteryID, s.drawTx)
}

func (s *Service) drawTx(ctx context.Context, tx pgx.Tx, lotteryID, member uuid.UUID) (Draw, error) {
	l, err := loadLottery(ctx, tx, lotteryID)
	if err != nil {
		return Draw{}, err
	}
	if err := running(l.Status); err != nil {
		return Draw{}, err
	}
	d := Draw{ID: service.NewID()}
	if err := s.spendPointsTx(ctx, tx, member, l.CostPoints, "lottery", "lottery:"+d.ID.String()); err != nil {
		return d, err
	}
	q := queries.New(tx)
	if p := pick(l.Prizes, s.random()); p != nil {
		n, err := q.WinPrize(ctx, p.ID)
		if err != nil {
			return d, err
		}
		if n == 1 {
			d.Prize = p
		}
	}
	if d.Prize != nil {
		if err := s.payPrizeTx(ctx, tx, &d, member); err != nil {
			return d, err
		}
	}
	return d, q.InsertDraw(ctx, queries.InsertDrawParams{ID: d.ID, LotteryID: lotteryID, MemberID: member,
		PrizeID: prizeID(d.Prize), CouponID: d.CouponID})
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

// loadLottery reads a lottery with its prizes, whatever its status.
func loadLottery(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Lottery, error) {
	q := queries.New(tx)
	r, err := q.Lottery(ctx, id)
	if err != nil {
		return Lottery{ID: id}, errs.ErrNotFound.Msgf("lottery not found")
	}
	l := Lottery{ID: id, MallID: r.MallID, Name: r.Name, CostPoints: int(r.CostPoints), Status: statusOf(r.Active)}
	rows, err := q.Prizes(ctx, id)
	if err != nil {
		return l, err
	}
	l.Prizes = make([]Prize, len(rows))
	for i, p := range rows {
		l.Prizes[i] = Prize{ID: p.ID, Name: p.Name, Odds: p.Odds, Stock: int(p.Stock), Won: int(p.Won),
			Points: int(p.Points), TemplateID: p.TemplateID}
	}
	return l, nil
}
