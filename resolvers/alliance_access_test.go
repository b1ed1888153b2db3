package resolvers_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/alliance"
	"github.com/atrium-mall/atrium/service/alliance/points"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// allianceAccessOp is one operation of alliance.graphqls, member_exits.graphqls,
// referral_approvals.graphqls or callers.graphqls, the callers it must refuse and the
// caller it must not refuse.
type allianceAccessOp struct {
	name, query string
	denied      []string
	allowed     string
	// allowedNotFound: the allowed caller may get NOT_FOUND (nothing of the kind exists).
	allowedNotFound bool
}

// TestAllianceMemberExitReferralApprovalCallerAuthorization: every operation of the four
// schema files refuses another group's staff, staff of a wrong role, merchant staff,
// shoppers (staff operations), another member (a member's exit) and the anonymous with
// FORBIDDEN, NOT_FOUND or UNAUTHENTICATED (or an empty list); mall-scoped operations
// (alliance, callers) refuse the group's other mall's staff too. The rightful caller is
// not refused.
func TestAllianceMemberExitReferralApprovalCallerAuthorization(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	w := a.world
	other := redemptiontest.NewWorld(t, a.DB)
	staff := func(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
		return auth.WithViewer(a.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
			Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
	}
	groupOps := staff(auth.RoleMemberOps, auth.LevelGroup, w.GroupID)
	m, err := a.Alliance.CreateMerchant(a.ops, alliance.MerchantInput{MallID: w.MallID, Code: "AL1", Name: "Tea house",
		Ratio: points.Ratio{Unit: decimal.NewFromInt(10), PerUnit: decimal.NewFromInt(1), Rounding: points.Down}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05")
	file := "key,card,phone,amount,time\nK1,NOCARD,,100," + at + "\n"
	run, err := a.Alliance.Import(a.ops, m.ID, "csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	member := w.Member(t, a.DB)
	sibling := w.Member(t, a.DB)
	exit, err := a.Members.ApplyExit(redemptiontest.Shopper(a.ctx, member), uuid.Nil, "moving")
	if err != nil {
		t.Fatal(err)
	}
	call, err := a.Callers.Recognize(a.ops, w.MallID, "13800000000")
	if err != nil {
		t.Fatal(err)
	}
	callers := map[string]context.Context{
		"ops":        a.ops,
		"groupOps":   groupOps,
		"desk":       w.MallStaffAs(a.ctx, auth.RoleServiceDesk),
		"otherMall":  staff(auth.RoleMemberOps, auth.LevelMall, w.OtherMallID),
		"otherGroup": staff(auth.RoleMemberOps, auth.LevelGroup, other.GroupID),
		"finance":    w.MallStaffAs(a.ctx, auth.RoleFinance),
		"merchant":   redemptiontest.MerchantStaff(a.ctx, w.MerchantA),
		"member":     redemptiontest.Shopper(a.ctx, member),
		"sibling":    redemptiontest.Shopper(a.ctx, sibling),
		"stranger":   redemptiontest.Shopper(a.ctx, other.Member(t, a.DB)),
		"anon":       a.ctx,
	}
	mallStaff := []string{"otherMall", "otherGroup", "desk", "finance", "merchant", "member", "anon"}
	callStaff := []string{"otherMall", "otherGroup", "finance", "merchant", "member", "anon"}
	groupStaff := []string{"otherGroup", "desk", "finance", "merchant", "member", "anon"}
	memberOwn := []string{"otherGroup", "finance", "merchant", "sibling", "stranger", "anon"}
	content := base64.StdEncoding.EncodeToString([]byte("key,card,phone,amount,time\nK2,NOCARD,,50," + at + "\n"))
	vars := map[string]any{"m": relay.ID("Mall", w.MallID), "am": relay.ID("AllianceMerchant", m.ID),
		"r": relay.ID("AllianceRun", run.ID), "c": content, "e": relay.ID("MemberExit", exit.ID),
		"mem": relay.ID("Member", member), "g": relay.ID("Group", w.GroupID), "call": relay.ID("CallLog", call.Call.ID),
		"ref": relay.ID("Member", sibling)}
	ops := []allianceAccessOp{
		{name: "allianceMerchants", query: `query($m: ID!) { allianceMerchants(mallId: $m) { id } }`, denied: mallStaff, allowed: "ops"},
		{name: "allianceMerchant", query: `query($am: ID!) { allianceMerchant(id: $am) { id name } }`, denied: mallStaff, allowed: "ops"},
		{name: "createAllianceMerchant", query: `mutation($m: ID!) { createAllianceMerchant(input: {mallId: $m, code: "AL2",
			name: "Spa", unitAmount: "10", pointsPerUnit: "1"}) { merchant { id } userErrors { code } } }`, denied: mallStaff, allowed: "ops"},
		{name: "updateAllianceMerchant", query: `mutation($am: ID!) { updateAllianceMerchant(id: $am, input: {name: "Tea",
			unitAmount: "10", pointsPerUnit: "2", rounding: HALF_UP}) { merchant { id } userErrors { code } } }`, denied: mallStaff, allowed: "ops"},
		{name: "importAllianceConsumption", query: `mutation($am: ID!, $c: String!) { importAllianceConsumption(input: {merchantId: $am,
			format: CSV, content: $c}) { run { id rowsRead } userErrors { code } } }`, denied: mallStaff, allowed: "ops"},
		{name: "allianceRuns", query: `query($am: ID!) { allianceRuns(merchantId: $am) { id status } }`, denied: mallStaff, allowed: "ops"},
		{name: "allianceRun", query: `query($r: ID!) { allianceRun(id: $r) { id rowErrors { line code } } }`, denied: mallStaff, allowed: "ops"},
		{name: "allianceMonthlyStats", query: `query($am: ID!) { allianceMonthlyStats(merchantId: $am, from: "2026-01", to: "2026-12") { month points } }`,
			denied: mallStaff, allowed: "ops"},
		{name: "revertAllianceRun", query: `mutation($r: ID!) { revertAllianceRun(id: $r) { run { id status } userErrors { code } } }`,
			denied: mallStaff, allowed: "ops"},

		{name: "memberExit", query: `query($e: ID!) { memberExit(id: $e) { id status } }`, denied: memberOwn, allowed: "member"},
		{name: "memberExits", query: `query($g: ID!) { memberExits(groupId: $g) { id } }`,
			denied: []string{"otherGroup", "finance", "merchant", "member", "anon"}, allowed: "groupOps"},
		{name: "applyMemberExit", query: `mutation($mem: ID!) { applyMemberExit(input: {memberId: $mem, reason: "x"}) {
			exit { id } userErrors { code } } }`, denied: memberOwn, allowed: "member"},
		{name: "approveMemberExit", query: `mutation($e: ID!) { approveMemberExit(id: $e) { exit { id status } userErrors { code } } }`,
			denied: groupStaff, allowed: "groupOps"},
		{name: "rejectMemberExit", query: `mutation($e: ID!) { rejectMemberExit(id: $e) { exit { id } userErrors { code } } }`,
			denied: groupStaff, allowed: "groupOps"},
		{name: "withdrawMemberExit", query: `mutation($e: ID!) { withdrawMemberExit(id: $e) { exit { id } userErrors { code } } }`,
			denied: memberOwn, allowed: "member"},
		{name: "restoreMemberExit", query: `mutation($e: ID!) { restoreMemberExit(id: $e) { exit { id } userErrors { code } } }`,
			denied: groupStaff, allowed: "groupOps"},
		{name: "setMemberExitPolicy", query: `mutation($g: ID!) { setMemberExitPolicy(groupId: $g, restoreDays: 60) { restoreDays userErrors { code } } }`,
			denied: groupStaff, allowed: "groupOps"},

		{name: "referralApprovalPolicy", query: `query($g: ID!) { referralApprovalPolicy(groupId: $g) }`, denied: groupStaff, allowed: "groupOps"},
		{name: "setReferralApprovalPolicy", query: `mutation($g: ID!) { setReferralApprovalPolicy(groupId: $g, approvalLevels: 1) {
			approvalLevels userErrors { code } } }`, denied: groupStaff, allowed: "groupOps"},
		{name: "referralApprovals", query: `query($g: ID!) { referralApprovals(groupId: $g, status: "HELD") { refereeId } }`,
			denied: groupStaff, allowed: "groupOps"},
		{name: "referralApproval", query: `query($ref: ID!) { referralApproval(refereeId: $ref) { refereeId status } }`,
			denied: groupStaff, allowed: "groupOps", allowedNotFound: true},
		{name: "approveReferralReward", query: `mutation($ref: ID!) { approveReferralReward(refereeId: $ref) { referral { status } userErrors { code } } }`,
			denied: groupStaff, allowed: "groupOps", allowedNotFound: true},
		{name: "rejectReferralReward", query: `mutation($ref: ID!) { rejectReferralReward(refereeId: $ref) { referral { status } userErrors { code } } }`,
			denied: groupStaff, allowed: "groupOps", allowedNotFound: true},

		{name: "recognizeCaller", query: `mutation($m: ID!) { recognizeCaller(mallId: $m, phone: "13800000001") {
			caller { phoneMasked call { id phone } member { id } } userErrors { code } } }`, denied: callStaff, allowed: "desk"},
		{name: "callLogs", query: `query($m: ID!) { callLogs(mallId: $m) { id phone outcome } }`, denied: callStaff, allowed: "ops"},
		{name: "callLog", query: `query($call: ID!) { callLog(id: $call) { id note } }`, denied: callStaff, allowed: "ops"},
		{name: "updateCallLog", query: `mutation($call: ID!) { updateCallLog(id: $call, outcome: RESOLVED, note: "ok") {
			call { id outcome } userErrors { code } } }`, denied: callStaff, allowed: "desk"},
	}
	t.Run("callerPhoneMasking", func(t *testing.T) {
		q := `query($call: ID!) { callLog(id: $call) { phone } }`
		if got := field(a.Do(callers["desk"], q, vars), "data", "callLog", "phone"); got != "13800000000" {
			t.Errorf("service desk: phone %v, want the whole number", got)
		}
		if got := field(a.Do(callers["ops"], q, vars), "data", "callLog", "phone"); got == "13800000000" || got == nil {
			t.Errorf("member operations: phone %v, want it masked", got)
		}
	})
	refused := map[string]bool{fb: true, nf: true, un: true}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			for _, who := range op.denied {
				out := a.Do(callers[who], op.query, vars)
				got := outcome(out, op.name)
				if l, ok := field(out, "data", op.name).([]any); ok && len(l) == 0 && got == "OK" {
					got = "EMPTY"
				}
				if !refused[got] && got != "EMPTY" {
					t.Errorf("%s: %s got %s: %v", who, op.name, got, mustJSON(out))
				}
				if d, ok := field(out, "data", op.name).(map[string]any); ok && hasData(d) {
					t.Errorf("%s: %s got data %v", who, op.name, mustJSON(out))
				}
			}
			out := a.Do(callers[op.allowed], op.query, vars)
			got := outcome(out, op.name)
			if got == fb || got == un || (got == nf && !op.allowedNotFound) {
				t.Errorf("%s: %s refused: %v", op.allowed, op.name, mustJSON(out))
			}
		})
	}
}
