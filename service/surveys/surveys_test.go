package surveys

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/members/memberstest"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

type fixture struct {
	ctx     context.Context
	db      *storage.DB
	svc     *Service
	ledger  *ledger.Service
	members *members.Service
	world   redemptiontest.World
	staff   context.Context
}

func setup(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	b := servicetest.New(t, time.Now())
	w := redemptiontest.NewWorld(t, b.DB)
	mbs := memberstest.Service(t, b.DB, b.Org)
	return fixture{ctx: context.Background(), db: b.DB, ledger: b.Ledger, members: mbs, world: w,
		staff: w.MallStaffAs(context.Background(), "member_ops"),
		svc:   New(Deps{DB: b.DB, Org: b.Org, Members: mbs, Ledger: b.Ledger, Now: b.Clock.Now})}
}

func (f fixture) survey(t *testing.T, reward int, quota *int) Survey {
	t.Helper()
	sv, err := f.svc.CreateSurvey(f.staff, Survey{MallID: f.world.MallID, Title: "满意度调查", RewardPoints: reward,
		Quota: quota, Questions: []Question{
			{Kind: Single, Prompt: "Did you enjoy the mall?", Options: []string{"yes", "no"}, Required: true},
			{Kind: Multiple, Prompt: "What do you drink?", Options: []string{"tea", "coffee", "juice"}},
			{Kind: Text, Prompt: "Anything else?"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func (f fixture) member(t *testing.T) (uuid.UUID, uuid.UUID) {
	t.Helper()
	m := f.world.Member(t, f.db)
	return m, f.world.Card(t, m)
}

func (f fixture) points(t *testing.T, card uuid.UUID) int64 {
	t.Helper()
	b, err := f.ledger.CardBalances(f.ctx, card)
	if err != nil {
		t.Fatal(err)
	}
	return b.Points.IntPart()
}

// TestOneResponsePerMemberConcurrently: 20 concurrent submits of one member with 20
// keys record one response and pay the reward once.
func TestOneResponsePerMemberConcurrently(t *testing.T) {
	f := setup(t)
	sv := f.survey(t, 15, nil)
	m, card := f.member(t)
	ctx := redemptiontest.Shopper(f.ctx, m)
	answers := []Answer{{QuestionID: sv.Questions[0].ID, Choices: []int{0}}}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		ok, dupe int
	)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Submit(ctx, sv.ID, answers, fmt.Sprintf("k%d", i))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrAlreadyResponded):
				dupe++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || dupe != 19 {
		t.Fatalf("%d recorded, %d refused; want 1 and 19", ok, dupe)
	}
	if got := f.points(t, card); got != 15 {
		t.Fatalf("points %d, want 15 (paid once)", got)
	}
	got, _ := f.svc.Survey(f.staff, sv.ID)
	if got.Responses != 1 {
		t.Fatalf("responses %d", got.Responses)
	}
	breaches, err := f.ledger.Verify(f.ctx)
	if err != nil || len(breaches) > 0 {
		t.Fatalf("ledger: %v %v", breaches, err)
	}
}

// TestQuotaClosesSurveyConcurrently: 12 members submit at once to a survey with a
// quota of 5: exactly 5 responses, the rest SURVEY_CLOSED, the survey closed.
func TestQuotaClosesSurveyConcurrently(t *testing.T) {
	f := setup(t)
	five := 5
	sv := f.survey(t, 0, &five)
	ms := f.world.Members(t, f.db, 12)
	var (
		wg             sync.WaitGroup
		mu             sync.Mutex
		recorded, shut int
	)
	for _, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Submit(redemptiontest.Shopper(f.ctx, m), sv.ID,
				[]Answer{{QuestionID: sv.Questions[0].ID, Choices: []int{1}}}, "k")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				recorded++
			case errors.Is(err, ErrSurveyClosed):
				shut++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, _ := f.svc.Survey(f.staff, sv.ID)
	if recorded != 5 || shut != 7 || got.Responses != 5 || got.Status != "closed" {
		t.Fatalf("recorded %d closed %d; survey %d responses, %s", recorded, shut, got.Responses, got.Status)
	}
}

// TestSurveyStatistics: four members' answers give the hand-checked statistics, and
// text answers are listed in pages.
func TestSurveyStatistics(t *testing.T) {
	f := setup(t)
	sv := f.survey(t, 0, nil)
	q0, q1, q2 := sv.Questions[0].ID, sv.Questions[1].ID, sv.Questions[2].ID
	for i, a := range [][]Answer{
		{{QuestionID: q0, Choices: []int{0}}, {QuestionID: q1, Choices: []int{0, 1}}, {QuestionID: q2, Text: "more seats"}},
		{{QuestionID: q0, Choices: []int{0}}, {QuestionID: q1, Choices: []int{1}}, {QuestionID: q2, Text: "great"}},
		{{QuestionID: q0, Choices: []int{1}}, {QuestionID: q1, Choices: []int{2, 1}}, {QuestionID: q2, Text: "  "}},
		{{QuestionID: q0, Choices: []int{0}}, {QuestionID: q2, Text: "parking"}},
	} {
		m, _ := f.member(t)
		if _, err := f.svc.Submit(redemptiontest.Shopper(f.ctx, m), sv.ID, a, "k"); err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
	}
	st, err := f.svc.Stats(f.staff, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		answered int64
		options  []string
	}{
		{4, []string{"yes 3 75", "no 1 25"}},
		{3, []string{"tea 1 33.33", "coffee 3 100", "juice 1 33.33"}},
		{3, nil},
	}
	for i, w := range want {
		if st[i].Answered != w.answered || len(st[i].Options) != len(w.options) {
			t.Fatalf("question %d: %+v", i, st[i])
		}
		for j, o := range st[i].Options {
			if s := fmt.Sprintf("%s %d %s", o.Label, o.Count, o.Percent); s != w.options[j] {
				t.Fatalf("question %d option %d = %s, want %s", i, j, s, w.options[j])
			}
		}
	}
	first := 2
	p, _ := page.Parse(&first, nil)
	one, err := f.svc.TextAnswers(f.staff, sv.ID, q2, p)
	if err != nil || len(one.Items) != 2 || !one.HasNext {
		t.Fatalf("first page: %+v %v", one, err)
	}
	p.After = one.Items[1].ID
	two, err := f.svc.TextAnswers(f.staff, sv.ID, q2, p)
	if err != nil || len(two.Items) != 1 || two.HasNext {
		t.Fatalf("second page: %+v %v", two, err)
	}
	texts := map[string]bool{}
	for _, a := range append(one.Items, two.Items...) {
		texts[a.Text] = true
	}
	if !texts["more seats"] || !texts["great"] || !texts["parking"] {
		t.Fatalf("text answers %v", texts)
	}
}

// TestSurveyAnswersChecked: bad answers are typed input errors.
func TestSurveyAnswersChecked(t *testing.T) {
	f := setup(t)
	sv := f.survey(t, 0, nil)
	m, _ := f.member(t)
	ctx := redemptiontest.Shopper(f.ctx, m)
	for name, a := range map[string][]Answer{
		"required question missing":   {{QuestionID: sv.Questions[1].ID, Choices: []int{0}}},
		"two options of single":       {{QuestionID: sv.Questions[0].ID, Choices: []int{0, 1}}},
		"option out of range":         {{QuestionID: sv.Questions[0].ID, Choices: []int{2}}},
		"unknown question":            {{QuestionID: uuid.New(), Choices: []int{0}}},
		"repeated option of multiple": {{QuestionID: sv.Questions[0].ID, Choices: []int{0}}, {QuestionID: sv.Questions[1].ID, Choices: []int{1, 1}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.Submit(ctx, sv.ID, a, "k-"+name)
			if e, ok := errs.As(err); !ok || e.Code != errs.ErrInvalid.Code {
				t.Fatalf("%v", err)
			}
		})
	}
}
