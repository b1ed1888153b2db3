package surveys

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

func refused(err error) bool {
	return errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrUnauthenticated)
}

// TestSurveysAuthorization: every operation refuses another mall's staff, staff of the
// wrong role, merchant staff, another group's member and the anonymous; staff-only
// operations refuse members; a member outside the survey's segment cannot read it.
func TestSurveysAuthorization(t *testing.T) {
	f := setup(t)
	sv := f.survey(t, 0, nil)
	otherWorld := redemptiontest.NewWorld(t, f.db)
	stranger := otherWorld.Member(t, f.db)
	m, _ := f.member(t)
	otherMall := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: f.world.OtherMallID}}})
	callers := map[string]context.Context{
		"another mall's staff":   otherMall,
		"service desk":           f.world.MallStaffAs(f.ctx, auth.RoleServiceDesk),
		"finance":                f.world.MallStaffAs(f.ctx, auth.RoleFinance),
		"merchant staff":         redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA),
		"another group's member": redemptiontest.Shopper(f.ctx, stranger),
		"anonymous":              context.Background(),
	}
	ans := []Answer{{QuestionID: sv.Questions[0].ID, Choices: []int{0}}}
	ops := map[string]func(ctx context.Context) error{
		"createSurvey": func(ctx context.Context) error {
			_, err := f.svc.CreateSurvey(ctx, Survey{MallID: f.world.MallID, Title: "x",
				Questions: []Question{{Kind: Text, Prompt: "?"}}})
			return err
		},
		"survey": func(ctx context.Context) error { _, err := f.svc.Survey(ctx, sv.ID); return err },
		"surveys": func(ctx context.Context) error {
			_, err := f.svc.Surveys(ctx, f.world.MallID, page.Request{First: 5})
			return err
		},
		"surveyStatistics": func(ctx context.Context) error { _, err := f.svc.Stats(ctx, sv.ID); return err },
		"surveyTextAnswers": func(ctx context.Context) error {
			_, err := f.svc.TextAnswers(ctx, sv.ID, sv.Questions[2].ID, page.Request{First: 5})
			return err
		},
		"submitSurvey": func(ctx context.Context) error { _, err := f.svc.Submit(ctx, sv.ID, ans, "k"); return err },
	}
	staffOnly := map[string]bool{"createSurvey": true, "surveys": true, "surveyStatistics": true, "surveyTextAnswers": true}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			for who, ctx := range callers {
				if name == "submitSurvey" && who != "another group's member" && who != "anonymous" {
					if err := op(ctx); !refused(err) {
						t.Errorf("%s: %v", who, err)
					}
					continue
				}
				if err := op(ctx); !refused(err) {
					t.Errorf("%s: %v, want FORBIDDEN/NOT_FOUND/UNAUTHENTICATED", who, err)
				}
			}
			if staffOnly[name] {
				if err := op(redemptiontest.Shopper(f.ctx, m)); !refused(err) {
					t.Errorf("a member: %v", err)
				}
			}
		})
	}
	// a survey for a tag: a member without it cannot read or answer it
	vip, err := f.svc.CreateSurvey(f.staff, Survey{MallID: f.world.MallID, Title: "VIP", Tags: []string{"vip"},
		Questions: []Question{{Kind: Text, Prompt: "?"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Survey(redemptiontest.Shopper(f.ctx, m), vip.ID); !refused(err) {
		t.Fatalf("a member outside the segment reads it: %v", err)
	}
	if _, err := f.svc.Submit(redemptiontest.Shopper(f.ctx, m), vip.ID, nil, "k"); !errors.Is(err, ErrNotTargeted) {
		t.Fatalf("a member outside the segment answers: %v", err)
	}
	mine, err := f.svc.MySurveys(redemptiontest.Shopper(f.ctx, m))
	if err != nil || len(mine) != 1 || mine[0].ID != sv.ID {
		t.Fatalf("my surveys: %+v %v", mine, err)
	}
	_ = uuid.Nil
}
