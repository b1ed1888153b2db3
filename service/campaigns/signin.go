package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// StreakReward is an extra reward on a given day of an unbroken streak.
type StreakReward struct {
	Day        int        `json:"day"`
	Points     int        `json:"points,omitempty"`
	TemplateID *uuid.UUID `json:"templateId,omitempty"`
}

// SignInCampaign is a daily sign-in campaign of a mall.
type SignInCampaign struct {
	ID          uuid.UUID
	MallID      uuid.UUID
	Name        string
	DailyPoints int
	Rewards     []StreakReward
}

// SignIn is one day's sign-in and what it earned.
type SignIn struct {
	Day      time.Time
	Streak   int
	Points   int
	CouponID *uuid.UUID
}

// CreateSignInCampaign creates a sign-in campaign.
func (s *Service) CreateSignInCampaign(ctx context.Context, c SignInCampaign) (SignInCampaign, error) {
	c.Name = strings.TrimSpace(c.Name)
	if err := validName("input.name", c.Name); err != nil {
		return c, err
	}
	if c.DailyPoints < 0 || c.DailyPoints > 100000 {
		return c, errs.Invalid("input.dailyPoints", "daily points must be 0 to 100000")
	}
	days := map[int]bool{}
	templates := make([]*uuid.UUID, len(c.Rewards))
	for i, r := range c.Rewards {
		switch {
		case r.Day < 1 || r.Day > 366 || days[r.Day]:
			return c, errs.Invalid("input.rewards."+strconv.Itoa(i)+".day", "streak days must be 1 to 366, each once")
		case r.Points < 0 || r.Points > 1000000:
			return c, errs.Invalid("input.rewards."+strconv.Itoa(i)+".points", "reward points must be 0 to 1000000")
		case r.Points == 0 && r.TemplateID == nil:
			return c, errs.Invalid("input.rewards."+strconv.Itoa(i), "a reward gives points, a coupon or both")
		}
		days[r.Day], templates[i] = true, r.TemplateID
	}
	if err := s.canManage(ctx, c.MallID); err != nil {
		return c, err
	}
	if err := s.templatesOfMall(ctx, c.MallID, templates, indexed("input.rewards.", ".templateId")); err != nil {
		return c, err
	}
	if c.Rewards == nil {
		c.Rewards = []StreakReward{}
	}
	rewards, _ := json.Marshal(c.Rewards)
	c.ID = service.NewID()
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO signin_campaigns (id, mall_id, name, daily_points, rewards)
		VALUES ($1, $2, $3, $4, $5)`, c.ID, c.MallID, c.Name, c.DailyPoints, rewards)
	return c, storage.MapError(err)
}

// SignIn signs the shopper viewer in for today (mall time): once a day, the streak
// grows when yesterday was signed too, and the daily points plus any streak reward
// are granted in the same transaction.
func (s *Service) SignIn(ctx context.Context, campaignID uuid.UUID) (SignIn, error) {
	member, err := shopper(ctx)
	if err != nil {
		return SignIn{}, err
	}
	var out SignIn
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		c, err := loadSignIn(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		day, err := mallDay(ctx, tx, c.MallID, s.now())
		if err != nil {
			return err
		}
		out, err = s.signInTx(ctx, tx, c, member, day)
		return err
	})
	return out, err
}

func (s *Service) signInTx(ctx context.Context, tx pgx.Tx, c SignInCampaign, member uuid.UUID, day time.Time) (SignIn, error) {
	in := SignIn{Day: day, Streak: 1, Points: c.DailyPoints}
	var prev int
	err := tx.QueryRow(ctx, `SELECT streak FROM signins WHERE campaign_id = $1 AND member_id = $2 AND day = $3`,
		c.ID, member, day.AddDate(0, 0, -1)).Scan(&prev)
	if err == nil {
		in.Streak = prev + 1
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return in, err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO signins (campaign_id, member_id, day, streak, points) VALUES ($1, $2, $3, $4, 0)
		ON CONFLICT DO NOTHING`, c.ID, member, day, in.Streak)
	if err != nil {
		return in, err
	}
	if tag.RowsAffected() == 0 {
		return in, ErrAlreadySignedIn
	}
	for _, r := range c.Rewards {
		if r.Day != in.Streak {
			continue
		}
		in.Points += r.Points
		if r.TemplateID != nil {
			cp, err := s.coupons.IssueTx(ctx, tx, *r.TemplateID, member, "campaign")
			if err != nil {
				return in, err
			}
			in.CouponID = &cp.ID
		}
	}
	key := "signin:" + c.ID.String() + ":" + member.String() + ":" + day.Format("2006-01-02")
	if err := s.awardPointsTx(ctx, tx, member, in.Points, "signin", key); err != nil {
		return in, err
	}
	_, err = tx.Exec(ctx, `UPDATE signins SET points = $4, coupon_id = $5 WHERE campaign_id = $1 AND member_id = $2
		AND day = $3`, c.ID, member, day, in.Points, in.CouponID)
	return in, err
}

func loadSignIn(ctx context.Context, tx pgx.Tx, id uuid.UUID) (SignInCampaign, error) {
	var (
		c       SignInCampaign
		rewards []byte
		active  bool
	)
	err := tx.QueryRow(ctx, `SELECT id, mall_id, name, daily_points, rewards, active FROM signin_campaigns
		WHERE id = $1`, id).Scan(&c.ID, &c.MallID, &c.Name, &c.DailyPoints, &rewards, &active)
	if err != nil {
		return c, errs.ErrNotFound.Msgf("campaign not found")
	}
	if !active {
		return c, ErrCampaignClosed
	}
	return c, json.Unmarshal(rewards, &c.Rewards)
}
