package resolvers

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/surveys"
)

// NodeSurvey loads a survey for node(id:).
func (r *Resolver) NodeSurvey(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	s, err := r.Surveys.Survey(ctx, id)
	if err != nil {
		return nil, err
	}
	return surveyOut(s), nil
}

func surveyQuestionOut(q surveys.Question) model.SurveyQuestion {
	return model.SurveyQuestion{ID: relay.ID("SurveyQuestion", q.ID), Kind: model.SurveyQuestionKind(strings.ToUpper(q.Kind)),
		Prompt: q.Prompt, Options: q.Options, Required: q.Required}
}

func surveyOut(s surveys.Survey) *model.Survey {
	out := &model.Survey{ID: relay.ID("Survey", s.ID), MallID: relay.ID("Mall", s.MallID), Title: s.Title, Tags: s.Tags,
		RewardPoints: s.RewardPoints, Quota: s.Quota, Responses: s.Responses, Status: s.Status, CreatedAt: s.CreatedAt,
		TierIds: []string{}, Questions: []model.SurveyQuestion{}}
	for _, t := range s.TierIDs {
		out.TierIds = append(out.TierIds, relay.ID("Tier", t))
	}
	for _, q := range s.Questions {
		out.Questions = append(out.Questions, surveyQuestionOut(q))
	}
	return out
}

func surveyIn(in model.CreateSurveyInput) (surveys.Survey, error) {
	mall, err := globalID("Mall", in.MallID)
	if err != nil {
		return surveys.Survey{}, err
	}
	out := surveys.Survey{MallID: mall, Title: in.Title, Tags: in.Tags, RewardPoints: in.RewardPoints, Quota: in.Quota}
	for _, t := range in.TierIds {
		id, err := globalID("Tier", t)
		if err != nil {
			return out, err
		}
		out.TierIDs = append(out.TierIDs, id)
	}
	for _, q := range in.Questions {
		out.Questions = append(out.Questions, surveys.Question{Kind: strings.ToLower(string(q.Kind)), Prompt: q.Prompt,
			Options: q.Options, Required: q.Required})
	}
	return out, nil
}

func surveyAnswersIn(in []model.SurveyAnswerInput) ([]surveys.Answer, error) {
	out := make([]surveys.Answer, len(in))
	for i, a := range in {
		id, err := globalID("SurveyQuestion", a.QuestionID)
		if err != nil {
			return nil, err
		}
		out[i] = surveys.Answer{QuestionID: id, Choices: a.Choices}
		if a.Text != nil {
			out[i].Text = *a.Text
		}
	}
	return out, nil
}

func surveyStatsOut(st []surveys.QuestionStats) []model.SurveyQuestionStats {
	out := make([]model.SurveyQuestionStats, len(st))
	for i, q := range st {
		out[i] = model.SurveyQuestionStats{Question: surveyQuestionOut(q.Question), Answered: int(q.Answered),
			Options: []model.SurveyOptionStats{}}
		for _, o := range q.Options {
			out[i].Options = append(out[i].Options, model.SurveyOptionStats{Index: o.Index, Label: o.Label,
				Count: int(o.Count), Percent: o.Percent})
		}
	}
	return out
}
