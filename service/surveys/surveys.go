// Package surveys is questionnaires (问卷) of a mall: staff (ADMIN, MEMBER_OPS) create a
// survey of single choice, multiple choice and text questions for every member of the
// mall's group or a segment (tiers, tags: the members' own profile decides); a member
// responds once (a unique key on (survey, member): concurrent submits record one), is
// paid the survey's points reward once (a ledger posting keyed by the response, in the
// response's transaction), and a quota closes the survey when reached (the count moves
// by a conditional UPDATE, so concurrent submits never pass it). Staff read per-question
// statistics (counts and percentages per option, text answers paged).
package surveys

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/surveys/internal/queries"
	"github.com/atrium-mall/atrium/service/surveys/stats"
	"github.com/atrium-mall/atrium/storage"
)

// Business outcomes of surveys.
var (
	ErrAlreadyResponded = errs.New(errs.KindUser, "ALREADY_RESPONDED", "you have already answered this survey")
	ErrSurveyClosed     = errs.New(errs.KindUser, "SURVEY_CLOSED", "the survey is closed")
	ErrNotTargeted      = errs.New(errs.KindUser, "SURVEY_NOT_FOR_YOU", "this survey is for other members")
	ErrNoCard           = errs.New(errs.KindUser, "NO_MEMBER_CARD", "a member card is needed to receive points")
)

var manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// Question kinds.
const (
	Single   = "single"
	Multiple = "multiple"
	Text     = "text"
)

// Question is a survey question; Options for choice questions (2 to 20).
type Question struct {
	ID       uuid.UUID
	Kind     string
	Prompt   string
	Options  []string
	Required bool
}

// Survey is a questionnaire of a mall.
type Survey struct {
	ID, GroupID, MallID uuid.UUID
	Title               string
	TierIDs             []uuid.UUID
	Tags                []string
	RewardPoints        int
	Quota               *int
	Responses           int
	Status              string // open, closed
	Questions           []Question
	CreatedAt           time.Time
}

// Deps is what the surveys context is built from; every field is required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service
	Members *members.Service // the responding member's group, tier and tags
	Ledger  *ledger.Service
	Now     func() time.Time
}

// Service is the surveys context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	members *members.Service
	ledger  *ledger.Service
	now     func() time.Time
}

// New returns the surveys service built from d.
func New(d Deps) *Service {
	service.MustDeps("surveys", d)
	return &Service{db: d.DB, org: d.Org, members: d.Members, ledger: d.Ledger, now: d.Now}
}

func validText(field string, s *string, max int) error {
	*s = strings.TrimSpace(*s)
	if *s == "" || utf8.RuneCountInString(*s) > max {
		return errs.Invalid(field, "1 to %d characters are required", max)
	}
	return nil
}

func validate(in *Survey) error {
	if err := validText("input.title", &in.Title, 200); err != nil {
		return err
	}
	switch {
	case in.RewardPoints < 0 || in.RewardPoints > 100000:
		return errs.Invalid("input.rewardPoints", "the reward must be between 0 and 100000 points")
	case in.Quota != nil && *in.Quota <= 0:
		return errs.Invalid("input.quota", "a quota must be positive")
	case len(in.Questions) == 0 || len(in.Questions) > 50:
		return errs.Invalid("input.questions", "a survey has 1 to 50 questions")
	}
	for i := range in.Questions {
		q, f := &in.Questions[i], "input.questions."+strconv.Itoa(i)
		if err := validText(f+".prompt", &q.Prompt, 500); err != nil {
			return err
		}
		switch q.Kind {
		case Single, Multiple:
			if len(q.Options) < 2 || len(q.Options) > 20 {
				return errs.Invalid(f+".options", "a choice question has 2 to 20 options")
			}
			for j := range q.Options {
				if err := validText(f+".options."+strconv.Itoa(j), &q.Options[j], 200); err != nil {
					return err
				}
			}
		case Text:
			q.Options = []string{}
		default:
			return errs.Invalid(f+".kind", "a question is single, multiple or text")
		}
	}
	return nil
}

// CreateSurvey creates a survey of a mall with its questions (ADMIN, MEMBER_OPS).
func (s *Service) CreateSurvey(ctx context.Context, in Survey) (Survey, error) {
	place, err := s.org.AtMall(ctx, in.MallID, manageRoles...)
	if err != nil {
		return Survey{}, err
	}
	if err := validate(&in); err != nil {
		return Survey{}, err
	}
	v := auth.ViewerFrom(ctx)
	in.ID, in.GroupID, in.Status, in.CreatedAt = service.NewID(), place.GroupID, "open", s.now()
	in.TierIDs, in.Tags = orEmpty(in.TierIDs), orEmpty(in.Tags)
	var quota *int32
	if in.Quota != nil {
		q := int32(*in.Quota)
		quota = &q
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if err := q.InsertSurvey(ctx, queries.InsertSurveyParams{ID: in.ID, GroupID: in.GroupID, MallID: in.MallID,
			Title: in.Title, TierIds: in.TierIDs, Tags: in.Tags, RewardPoints: int32(in.RewardPoints), Quota: quota,
			CreatedBy: v.ID, CreatedAt: in.CreatedAt}); err != nil {
			return err
		}
		for i := range in.Questions {
			qu := &in.Questions[i]
			qu.ID = service.NewID()
			if err := q.InsertQuestion(ctx, queries.InsertQuestionParams{ID: qu.ID, GroupID: in.GroupID, MallID: in.MallID,
				SurveyID: in.ID, Position: int32(i), Kind: qu.Kind, Prompt: qu.Prompt, Options: qu.Options,
				Required: qu.Required}); err != nil {
				return err
			}
		}
		return nil
	})
	return in, storage.MapError(err)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func surveyOf(r queries.SurveySurvey) Survey {
	sv := Survey{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Title: r.Title, TierIDs: r.TierIds, Tags: r.Tags,
		RewardPoints: int(r.RewardPoints), Responses: int(r.Responses), Status: r.Status, CreatedAt: r.CreatedAt}
	if r.Quota != nil {
		q := int(*r.Quota)
		sv.Quota = &q
	}
	return sv
}

// load reads a survey with its questions (NOT_FOUND when there is none).
func load(ctx context.Context, db queries.DBTX, id uuid.UUID) (Survey, error) {
	q := queries.New(db)
	r, err := q.Survey(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Survey{}, errs.ErrNotFound.Msgf("survey not found")
	} else if err != nil {
		return Survey{}, err
	}
	sv := surveyOf(r)
	rows, err := q.Questions(ctx, queries.QuestionsParams{GroupID: sv.GroupID, MallID: sv.MallID, SurveyID: sv.ID})
	for _, qr := range rows {
		sv.Questions = append(sv.Questions, Question{ID: qr.ID, Kind: qr.Kind, Prompt: qr.Prompt, Options: qr.Options,
			Required: qr.Required})
	}
	return sv, err
}

// targeted reports whether member m is in the survey's segment.
func targeted(sv Survey, m members.Member) bool {
	if m.GroupID != sv.GroupID {
		return false
	}
	if len(sv.TierIDs) > 0 && (m.TierID == nil || !slices.Contains(sv.TierIDs, *m.TierID)) {
		return false
	}
	return len(sv.Tags) == 0 || slices.ContainsFunc(sv.Tags, func(t string) bool { return slices.Contains(m.Tags, t) })
}

// Survey reads a survey: staff of its mall, or a member it targets.
func (s *Service) Survey(ctx context.Context, id uuid.UUID) (Survey, error) {
	sv, err := load(ctx, s.db.Pool, id)
	if err != nil {
		return sv, err
	}
	v, err := access.Viewer(ctx)
	if err != nil {
		return Survey{}, err
	}
	if v.IsShopper() {
		m, err := s.members.Me(ctx)
		if err != nil {
			return Survey{}, err
		}
		if !targeted(sv, m) {
			return Survey{}, errs.ErrNotFound.Msgf("survey not found")
		}
		return sv, nil
	}
	_, err = s.org.AtMall(ctx, sv.MallID, manageRoles...)
	return sv, err
}

// Surveys lists a mall's surveys for its staff (ADMIN, MEMBER_OPS), by id.
func (s *Service) Surveys(ctx context.Context, mallID uuid.UUID, p page.Request) (page.Result[Survey], error) {
	place, err := s.org.AtMall(ctx, mallID, manageRoles...)
	if err != nil {
		return page.Result[Survey]{}, err
	}
	var after *uuid.UUID
	if p.After != uuid.Nil {
		after = &p.After
	}
	rows, err := queries.New(s.db.Pool).SurveysOfMall(ctx, queries.SurveysOfMallParams{GroupID: place.GroupID,
		MallID: mallID, After: after, MaxRows: int32(p.Limit())})
	if err != nil {
		return page.Result[Survey]{}, err
	}
	out := make([]Survey, len(rows))
	for i, r := range rows {
		out[i] = surveyOf(r)
	}
	return page.Cut(p, out), nil
}

// MySurveys lists the open surveys targeting the shopper viewer (at most 200).
func (s *Service) MySurveys(ctx context.Context) ([]Survey, error) {
	m, err := s.members.Me(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).OpenSurveysOfGroup(ctx, m.GroupID)
	if err != nil {
		return nil, err
	}
	var out []Survey
	for _, r := range rows {
		if sv := surveyOf(r); targeted(sv, m) {
			out = append(out, sv)
		}
	}
	return out, nil
}

// Answer is a member's answer to one question: Choices (option indexes) for a choice
// question, Text for a text question.
type Answer struct {
	QuestionID uuid.UUID
	Choices    []int
	Text       string
}

// Response is a member's recorded response.
type Response struct {
	ID       uuid.UUID
	SurveyID uuid.UUID
	Points   int
}

// Submit records the shopper viewer's response, once per idempotency key, and once per
// member and survey whatever the key (ALREADY_RESPONDED): answers checked against the
// questions, the quota counted (SURVEY_CLOSED past it; the survey closes at it), and
// the reward paid in the same transaction (posting key survey:<response id>).
func (s *Service) Submit(ctx context.Context, surveyID uuid.UUID, answers []Answer, idempotencyKey string) (Response, error) {
	memberID, err := access.Shopper(ctx)
	if err != nil {
		return Response{}, err
	}
	m, err := s.members.Me(ctx)
	if err != nil {
		return Response{}, err
	}
	sv, err := load(ctx, s.db.Pool, surveyID)
	if err != nil {
		return Response{}, err
	}
	if !targeted(sv, m) {
		if m.GroupID != sv.GroupID {
			return Response{}, errs.ErrNotFound.Msgf("survey not found")
		}
		return Response{}, ErrNotTargeted
	}
	byQuestion, err := checkAnswers(sv, answers)
	if err != nil {
		return Response{}, err
	}
	type args struct {
		Survey  uuid.UUID
		Answers []Answer
	}
	out, _, err := once.Do(ctx, s.db, once.Op[Response]{Name: "surveys.submit", Key: idempotencyKey,
		Args: args{surveyID, answers}, Run: func(ctx context.Context, tx pgx.Tx) (Response, error) {
			return s.submitTx(ctx, tx, sv, memberID, byQuestion)
		}})
	return out, err
}

func (s *Service) submitTx(ctx context.Context, tx pgx.Tx, sv Survey, memberID uuid.UUID, answers map[uuid.UUID]Answer) (Response, error) {
	q := queries.New(tx)
	r := Response{ID: service.NewID(), SurveyID: sv.ID, Points: sv.RewardPoints}
	n, err := q.InsertResponse(ctx, queries.InsertResponseParams{ID: r.ID, GroupID: sv.GroupID, MallID: sv.MallID,
		SurveyID: sv.ID, MemberID: memberID, Points: int32(r.Points), CreatedAt: s.now()})
	if err != nil {
		return r, err
	}
	if n == 0 {
		return r, ErrAlreadyResponded
	}
	if _, err := q.CountResponse(ctx, sv.ID); errors.Is(err, pgx.ErrNoRows) {
		return r, ErrSurveyClosed
	} else if err != nil {
		return r, err
	}
	for _, qu := range sv.Questions {
		a, ok := answers[qu.ID]
		if !ok {
			continue
		}
		choices := make([]int32, len(a.Choices))
		for i, c := range a.Choices {
			choices[i] = int32(c)
		}
		if err := q.InsertAnswer(ctx, queries.InsertAnswerParams{ID: service.NewID(), GroupID: sv.GroupID,
			MallID: sv.MallID, SurveyID: sv.ID, ResponseID: r.ID, QuestionID: qu.ID, Choices: choices,
			Text: a.Text}); err != nil {
			return r, err
		}
	}
	return r, s.rewardTx(ctx, tx, memberID, r)
}

// rewardTx pays the survey's points to the member's card (once: keyed by the response).
func (s *Service) rewardTx(ctx context.Context, tx pgx.Tx, memberID uuid.UUID, r Response) error {
	if r.Points <= 0 {
		return nil
	}
	card, group, err := s.ledger.MemberCardTx(ctx, tx, memberID, ledger.Points, decimal.Zero)
	if errors.Is(err, ledger.ErrCardNotFound) {
		return ErrNoCard
	} else if err != nil {
		return err
	}
	now := s.now()
	_, err = s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: card, Points: decimal.NewFromInt(int64(r.Points)),
		From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: now, ExpiresAt: now.AddDate(1, 0, 0),
		Kind: "survey_reward", Key: "survey:" + r.ID.String()})
	return err
}

// checkAnswers checks answers against the survey's questions: each names a question once,
// a single choice question one valid option, a multiple choice one or more distinct
// valid options, a text question 1 to 2000 characters; required questions answered.
func checkAnswers(sv Survey, answers []Answer) (map[uuid.UUID]Answer, error) {
	questions := map[uuid.UUID]Question{}
	for _, q := range sv.Questions {
		questions[q.ID] = q
	}
	out := map[uuid.UUID]Answer{}
	for i, a := range answers {
		f := "input.answers." + strconv.Itoa(i)
		q, ok := questions[a.QuestionID]
		if !ok {
			return nil, errs.Invalid(f+".questionId", "no question of this survey has that id")
		}
		if _, dup := out[a.QuestionID]; dup {
			return nil, errs.Invalid(f+".questionId", "a question is answered once")
		}
		a.Text = strings.TrimSpace(a.Text)
		switch q.Kind {
		case Text:
			if len(a.Choices) > 0 || utf8.RuneCountInString(a.Text) > 2000 {
				return nil, errs.Invalid(f+".text", "a text answer has at most 2000 characters and no choices")
			}
			if a.Text == "" {
				continue
			}
		default:
			if a.Text != "" || (q.Kind == Single && len(a.Choices) > 1) {
				return nil, errs.Invalid(f+".choices", "a single choice question takes one option")
			}
			seen := map[int]bool{}
			for _, c := range a.Choices {
				if c < 0 || c >= len(q.Options) || seen[c] {
					return nil, errs.Invalid(f+".choices", "choices are distinct option indexes from 0 to %d", len(q.Options)-1)
				}
				seen[c] = true
			}
			if len(a.Choices) == 0 {
				continue
			}
			a.Choices = slices.Sorted(slices.Values(a.Choices))
		}
		out[a.QuestionID] = a
	}
	for i, q := range sv.Questions {
		if _, ok := out[q.ID]; q.Required && !ok {
			return nil, errs.Invalid("input.answers", "question %d is required", i+1)
		}
	}
	return out, nil
}

// QuestionStats are one question's statistics.
type QuestionStats struct {
	Question Question
	Answered int64          // responses that answered it
	Options  []stats.Option // choice questions
}

// Stats are a survey's statistics per question (ADMIN, MEMBER_OPS of its mall).
func (s *Service) Stats(ctx context.Context, surveyID uuid.UUID) ([]QuestionStats, error) {
	sv, err := load(ctx, s.db.Pool, surveyID)
	if err != nil {
		return nil, err
	}
	if _, err := s.org.AtMall(ctx, sv.MallID, manageRoles...); err != nil {
		return nil, err
	}
	q := queries.New(s.db.Pool)
	p := queries.OptionCountsParams{GroupID: sv.GroupID, MallID: sv.MallID, SurveyID: sv.ID}
	optRows, err := q.OptionCounts(ctx, p)
	if err != nil {
		return nil, err
	}
	ansRows, err := q.AnswerCounts(ctx, queries.AnswerCountsParams(p))
	if err != nil {
		return nil, err
	}
	counts := map[uuid.UUID]map[int]int64{}
	for _, r := range optRows {
		if counts[r.QuestionID] == nil {
			counts[r.QuestionID] = map[int]int64{}
		}
		counts[r.QuestionID][int(r.Choice)] = r.N
	}
	answered := map[uuid.UUID]int64{}
	for _, r := range ansRows {
		answered[r.QuestionID] = r.N
	}
	out := make([]QuestionStats, len(sv.Questions))
	for i, qu := range sv.Questions {
		out[i] = QuestionStats{Question: qu, Answered: answered[qu.ID]}
		if qu.Kind != Text {
			out[i].Options = stats.Options(qu.Options, counts[qu.ID], answered[qu.ID])
		}
	}
	return out, nil
}

// TextAnswer is one text answer.
type TextAnswer struct {
	ID         uuid.UUID
	ResponseID uuid.UUID
	Text       string
}

// TextAnswers lists a text question's answers, paged (ADMIN, MEMBER_OPS of its mall).
func (s *Service) TextAnswers(ctx context.Context, surveyID, questionID uuid.UUID, p page.Request) (page.Result[TextAnswer], error) {
	sv, err := load(ctx, s.db.Pool, surveyID)
	if err != nil {
		return page.Result[TextAnswer]{}, err
	}
	if _, err := s.org.AtMall(ctx, sv.MallID, manageRoles...); err != nil {
		return page.Result[TextAnswer]{}, err
	}
	if !slices.ContainsFunc(sv.Questions, func(q Question) bool { return q.ID == questionID && q.Kind == Text }) {
		return page.Result[TextAnswer]{}, errs.Invalid("questionId", "no text question of this survey has that id")
	}
	var after *uuid.UUID
	if p.After != uuid.Nil {
		after = &p.After
	}
	rows, err := queries.New(s.db.Pool).TextAnswers(ctx, queries.TextAnswersParams{GroupID: sv.GroupID, MallID: sv.MallID,
		QuestionID: questionID, After: after, MaxRows: int32(p.Limit())})
	if err != nil {
		return page.Result[TextAnswer]{}, err
	}
	out := make([]TextAnswer, len(rows))
	for i, r := range rows {
		out[i] = TextAnswer{ID: r.ID, ResponseID: r.ResponseID, Text: r.Text}
	}
	return page.Cut(p, out), nil
}
