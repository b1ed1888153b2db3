package resolvers_test

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/memberevents"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/surveys"
)

// programmeOp is one GraphQL operation of member events or surveys with the callers it
// must refuse (FORBIDDEN, NOT_FOUND, UNAUTHENTICATED or no data).
type programmeOp struct {
	name, query string
	denied      []string
}

// TestMemberEventsAndSurveysAuthorization: every operation of memberevents.graphqls and
// surveys.graphqls refuses another mall's staff, staff of a wrong role, merchant staff,
// a member of another group and the anonymous; staff operations refuse members and
// member operations refuse staff; the mall's member-ops staff (staff operations) and a
// member of the group (member operations) are not refused.
func TestMemberEventsAndSurveysAuthorization(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	now := time.Now()
	e, err := a.MemberEvents.CreateEvent(a.ops, memberevents.EventInput{MallID: a.world.MallID, Title: "Tea", Place: "L1",
		Capacity: 5, SignupOpensAt: now.Add(-time.Hour), SignupClosesAt: now.Add(time.Hour), StartsAt: now.Add(-time.Hour),
		EndsAt: now.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := a.Surveys.CreateSurvey(a.ops, surveys.Survey{MallID: a.world.MallID, Title: "Q",
		Questions: []surveys.Question{{Kind: surveys.Text, Prompt: "?", Required: true}}})
	if err != nil {
		t.Fatal(err)
	}
	member := a.world.Member(t, a.DB)
	other := redemptiontest.NewWorld(t, a.DB)
	callers := map[string]context.Context{
		"ops":       a.ops,
		"otherMall": auth.WithViewer(a.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(), Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: a.world.OtherMallID}}}),
		"finance":   a.world.MallStaffAs(a.ctx, auth.RoleFinance),
		"merchant":  redemptiontest.MerchantStaff(a.ctx, a.world.MerchantA),
		"member":    redemptiontest.Shopper(a.ctx, member),
		"stranger":  redemptiontest.Shopper(a.ctx, other.Member(t, a.DB)),
		"anon":      a.ctx,
	}
	staffDenied := []string{"otherMall", "finance", "merchant", "member", "stranger", "anon"}
	shopperDenied := []string{"ops", "otherMall", "finance", "merchant", "stranger", "anon"}
	readDenied := []string{"otherMall", "finance", "merchant", "stranger", "anon"}
	vars := map[string]any{"e": relay.ID("MemberEvent", e.ID), "m": relay.ID("Mall", a.world.MallID),
		"s": relay.ID("Survey", sv.ID), "q": relay.ID("SurveyQuestion", sv.Questions[0].ID)}
	ops := []programmeOp{
		{"createMemberEvent", `mutation($m: ID!) { createMemberEvent(input: {mallId: $m, title: "T", place: "P",
			startsAt: "2030-01-01T10:00:00Z", endsAt: "2030-01-01T12:00:00Z", signupOpensAt: "2029-12-01T00:00:00Z",
			signupClosesAt: "2030-01-01T09:00:00Z", capacity: 3}) { event { id } userErrors { code } } }`, staffDenied},
		{"memberEvent", `query($e: ID!) { memberEvent(id: $e) { id title } }`, readDenied},
		{"memberEvents", `query($m: ID!) { memberEvents(mallId: $m) { edges { node { id } } } }`, readDenied},
		{"memberEventSignups", `query($e: ID!) { memberEventSignups(eventId: $e) { id status position } }`, staffDenied},
		{"myMemberEventSignup", `query($e: ID!) { myMemberEventSignup(eventId: $e) { id } }`, shopperDenied},
		{"signUpForMemberEvent", `mutation($e: ID!) { signUpForMemberEvent(eventId: $e, idempotencyKey: "k1") {
			signup { id status } userErrors { code } } }`, shopperDenied},
		{"cancelMemberEventSignup", `mutation($e: ID!) { cancelMemberEventSignup(eventId: $e, idempotencyKey: "c1") {
			signup { id } userErrors { code } } }`, shopperDenied},
		{"checkInMemberEvent", `mutation($e: ID!) { checkInMemberEvent(eventId: $e, scans: [{scanId: "scan-0001", code: "x"}]) {
			checkedIn rejected { code } userErrors { code } } }`, staffDenied},
		{"signInAtMemberEvent", `mutation($e: ID!) { signInAtMemberEvent(eventId: $e) { signedInAt userErrors { code } } }`, shopperDenied},
		{"drawMemberEventLottery", `mutation($e: ID!) { drawMemberEventLottery(eventId: $e) { drawId userErrors { code } } }`, shopperDenied},
		{"takeMemberEventGift", `mutation($e: ID!) { takeMemberEventGift(eventId: $e) { exchangeId userErrors { code } } }`, shopperDenied},
		{"closeMemberEvent", `mutation($e: ID!) { closeMemberEvent(eventId: $e, idempotencyKey: "x1") { returned userErrors { code } } }`, staffDenied},
		{"createSurvey", `mutation($m: ID!) { createSurvey(input: {mallId: $m, title: "S", questions: [{kind: SINGLE,
			prompt: "?", options: ["a", "b"]}]}) { survey { id } userErrors { code } } }`, staffDenied},
		{"survey", `query($s: ID!) { survey(id: $s) { id questions { id } } }`, readDenied},
		{"surveys", `query($m: ID!) { surveys(mallId: $m) { edges { node { id } } } }`, staffDenied},
		{"mySurveys", `query { mySurveys { id } }`, shopperDenied},
		{"surveyStatistics", `query($s: ID!) { surveyStatistics(surveyId: $s) { answered } }`, staffDenied},
		{"surveyTextAnswers", `query($s: ID!, $q: ID!) { surveyTextAnswers(surveyId: $s, questionId: $q) { edges { node { text } } } }`, staffDenied},
		{"submitSurvey", `mutation($s: ID!, $q: ID!) { submitSurvey(surveyId: $s, answers: [{questionId: $q, text: "hi"}],
			idempotencyKey: "r1") { responseId points userErrors { code } } }`, shopperDenied},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			for _, who := range op.denied {
				out := a.Do(callers[who], op.query, vars)
				got := outcome(out, op.name)
				if l, ok := field(out, "data", op.name).([]any); ok && len(l) == 0 {
					got = "EMPTY" // a list of nothing: the caller gets nothing
				}
				if got == "OK" {
					t.Errorf("%s: %s got %v", who, op.name, mustJSON(out))
				}
				if d := field(out, "data", op.name); d != nil {
					if m, ok := d.(map[string]any); !ok || hasData(m) {
						if l, ok := d.([]any); !ok || len(l) > 0 {
							t.Errorf("%s: %s got data %v", who, op.name, mustJSON(out))
						}
					}
				}
			}
			allowed := "member"
			if slicesContains(op.denied, "member") {
				allowed = "ops"
			}
			out := a.Do(callers[allowed], op.query, vars)
			if got := outcome(out, op.name); got == fb || got == un || (got == nf && op.name != "myMemberEventSignup") {
				t.Errorf("%s: %s refused: %v", allowed, op.name, mustJSON(out))
			}
		})
	}
}

func slicesContains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
