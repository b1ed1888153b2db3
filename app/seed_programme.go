package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/memberevents"
	"github.com/atrium-mall/atrium/service/memberevents/signinrule"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/surveys"
)

// seedProgramme gives the demo mall a member event (会员活动: a tea tasting a week ahead,
// 20 places, a 50-point deposit, the demo lottery for members checked in, sign-in once)
// and a questionnaire (问卷: satisfaction, 10 points reward), unless they exist.
func (a *App) seedProgramme(ctx context.Context, _, mall uuid.UUID) error {
	const title, survey = "周末品茶会 Weekend tea tasting", "购物体验调查 Shopping experience survey"
	events, err := a.Services.MemberEvents.Events(ctx, mall, page.Request{First: page.MaxFirst})
	if err != nil {
		return fmt.Errorf("demo member events: %w", err)
	}
	if !named(events.Items, func(e memberevents.Event) string { return e.Title }, title) {
		var lottery *uuid.UUID
		ls, err := a.Services.Campaigns.Lotteries(ctx, mall)
		if err != nil {
			return fmt.Errorf("demo member event lottery: %w", err)
		}
		for _, l := range ls {
			if l.Name == "Lucky draw" {
				id := l.ID
				lottery = &id
			}
		}
		day := time.Now().Truncate(24*time.Hour).AddDate(0, 0, 7)
		starts := day.Add(6 * time.Hour) // 14:00 in Shanghai
		_, err = a.Services.MemberEvents.CreateEvent(ctx, memberevents.EventInput{MallID: mall, Title: title,
			Place: "L1 中庭 Atrium", StartsAt: starts, EndsAt: starts.Add(2 * time.Hour),
			SignupOpensAt: time.Now().Add(-time.Hour), SignupClosesAt: starts.Add(-time.Hour), Capacity: 20,
			DepositPoints: 50, LotteryID: lottery,
			SignIn: signinrule.Rule{Opens: starts.Add(-30 * time.Minute), Closes: starts.Add(2 * time.Hour)}})
		if err != nil {
			return fmt.Errorf("demo member event: %w", err)
		}
	}
	list, err := a.Services.Surveys.Surveys(ctx, mall, page.Request{First: page.MaxFirst})
	if err != nil {
		return fmt.Errorf("demo surveys: %w", err)
	}
	if !named(list.Items, func(s surveys.Survey) string { return s.Title }, survey) {
		_, err = a.Services.Surveys.CreateSurvey(ctx, surveys.Survey{MallID: mall, Title: survey, RewardPoints: 10,
			Questions: []surveys.Question{
				{Kind: surveys.Single, Prompt: "您对本次购物满意吗？ Are you satisfied?", Options: []string{"满意", "一般", "不满意"}, Required: true},
				{Kind: surveys.Multiple, Prompt: "您常去哪些楼层？ Which floors do you visit?", Options: []string{"B1", "L1", "L2", "L3"}},
				{Kind: surveys.Text, Prompt: "其他建议 Anything else?"},
			}})
		if err != nil {
			return fmt.Errorf("demo survey: %w", err)
		}
	}
	return nil
}
