package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/campaigns/internal/queries"
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
	Status      CampaignStatus
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
	if err := validName("input.name", &c.Name); err != nil {
		return c, err
	}
	if c.DailyPoints < 0 || c.DailyPoints > 100000 {
		return c, errs.Invalid("input.dailyPoints", "daily points must be 0 to 100000")
	}
	templates, err := validRewards(c.Rewards)
	if err != nil {
		return c, err
	}
	if err := s.canSetUp(ctx, c.MallID, templates, indexed("input.rewards.", ".templateId")); err != nil {
		return c, err
	}
	if c.Rewards == nil {
		c.Rewards = []StreakReward{}
	}
	rewards, _ := json.Marshal(c.Rewards)
	c.ID, c.Status = service.NewID(), CampaignRunning
	err = queries.New(s.db.Pool).InsertSignInCampaign(ctx, queries.InsertSignInCampaignParams{ID: c.ID, MallID: c.MallID,
		Name: c.Name, DailyPoints: int32(c.DailyPoints), Rewards: rewards})
	return c, storage.MapError(err)
}

// validRewards checks streak rewards and returns the coupon templates they hand out.
func validRewards(rewards []StreakReward) ([]*uuid.UUID, error) {
	days := map[int]bool{}
	templates := make([]*uuid.UUID, len(rewards))
	for i, r := range rewards {
		switch {
		case r.Day < 1 || r.Day > 366 || days[r.Day]:
			return nil, errs.Invalid("input.rewards."+strconv.Itoa(i)+".day", "streak days must be 1 to 366, each once")
		case r.Points < 0 || r.Points > 1000000:
			return nil, errs.Invalid("input.rewards."+strconv.Itoa(i)+".points", "reward points must be 0 to 1000000")
		case r.Points == 0 && r.TemplateID == nil:
			return nil, errs.Invalid("input.rewards."+strconv.Itoa(i), "a reward gives points, a coupon or both")
		}
		days[r.Day], templates[i] = true, r.TemplateID
	}
	return templates, nil
}

// SignIn signs the shopper viewer in for today (mall time): once a day, the streak
// grows when yesterday was signed too, and the daily points plus any streak reward
// are granted in the same transaction. The day is its own idempotency: a second
// sign-in the same day is ALREADY_SIGNED_IN, and the points posting is keyed by it.
func (s *Service) SignIn(ctx context.Context, campaignID uuid.UUID) (SignIn, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return SignIn{}, err
	}
	var out SignIn
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		c, err := loadSignIn(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		day, err := s.mallDay(ctx, tx, c.MallID, s.now())
		if err != nil {
			return err
		}
		out, err = s.signInTx(ctx, tx, c, member, day)
		return err
	})
	return out, err
}

func (s *Service) signInTx(ctx context.Context, tx pgx.Tx, c SignInCampaign, member uuid.UUID, day time.Time) (SignIn, error) {
	q := queries.New(tx)
	in := SignIn{Day: day, Streak: 1, Points: c.DailyPoints}
	prev, err := q.SignInStreak(ctx, queries.SignInStreakParams{CampaignID: c.ID, MemberID: member, Day: day.AddDate(0, 0, -1)})
	if err == nil {
		in.Streak = int(prev) + 1
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return in, err
	}
	n, err := q.InsertSignIn(ctx, queries.InsertSignInParams{CampaignID: c.ID, MemberID: member, Day: day, Streak: int32(in.Streak)})
	if err != nil {
		return in, err
	}
	if n == 0 {
		return in, ErrAlreadySignedIn
	}
	if err := s.rewardTx(ctx, tx, c, member, &in); err != nil {
		return in, err
	}
	key := "signin:" + c.ID.String() + ":" + member.String() + ":" + day.Format(time.DateOnly)
	if err := s.awardPointsTx(ctx, tx, member, in.Points, "signin", key); err != nil {
		return in, err
	}
	return in, q.SetSignInReward(ctx, queries.SetSignInRewardParams{Points: int32(in.Points), CouponID: in.CouponID,
		CampaignID: c.ID, MemberID: member, Day: day})
}

// rewardTx adds the streak reward of the day in.Streak: its points, and its coupon,
// issued now.
func (s *Service) rewardTx(ctx context.Context, tx pgx.Tx, c SignInCampaign, member uuid.UUID, in *SignIn) error {
	for _, r := range c.Rewards {
		if r.Day != in.Streak {
			continue
		}
		in.Points += r.Points
		if r.TemplateID != nil {
			cp, err := s.coupons.IssueTx(ctx, tx, *r.TemplateID, member, "campaign")
			if err != nil {
				return err
			}
			in.CouponID = &cp.ID
		}
	}
	return nil
}

func loadSignIn(ctx context.Context, tx pgx.Tx, id uuid.UUID) (SignInCampaign, error) {
	r, err := queries.New(tx).SignInCampaign(ctx, id)
	if err != nil {
		return SignInCampaign{}, errs.ErrNotFound.Msgf("campaign not found")
	}
	c, err := signInOf(r)
	if err != nil {
		return c, err
	}
	return c, running(c.Status)
}

// signInOf turns a stored campaign into a SignInCampaign.
func signInOf(r queries.SignInCampaignRow) (SignInCampaign, error) {
	c := SignInCampaign{ID: r.ID, MallID: r.MallID, Name: r.Name, DailyPoints: int(r.DailyPoints), Status: statusOf(r.Active)}
	return c, json.Unmarshal(r.Rewards, &c.Rewards)
}
