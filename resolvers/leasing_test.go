package resolvers_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
)

// leasingAPI is the schema over two malls of one group, with merchants A and B of the
// first mall and a contract of A (approved) on a unit.
type leasingAPI struct {
	opsAPI
	merchantA, merchantB uuid.UUID
	unit, contract       uuid.UUID
}

func newLeasingAPI(t *testing.T) leasingAPI {
	t.Helper()
	a := leasingAPI{opsAPI: newOpsAPI(t)}
	sys := servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, a.group))
	for i, code := range []string{"TENANTA", "TENANTB"} {
		m, err := a.Org.CreateMerchant(sys, org.CreateMerchantInput{MallID: a.mall, Code: code, Name: code})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			a.merchantA = m.ID
		} else {
			a.merchantB = m.ID
		}
	}
	ls := a.as(auth.RoleLeasing, a.mall)
	u, err := a.Leasing.CreateUnit(ls, leasing.UnitInput{MallID: a.mall, Code: "L1-01", Kind: leasing.KindShop,
		Floor: "L1", GrossArea: decimal.NewFromInt(120), LettableArea: decimal.NewFromInt(100)})
	if err != nil {
		t.Fatal(err)
	}
	start := schedule.D(2026, 1, 1)
	c, err := a.Leasing.CreateContract(ls, leasing.ContractInput{MallID: a.mall, MerchantID: a.merchantA,
		UnitIDs: []uuid.UUID{u.ID}, Terms: schedule.Terms{Start: start, End: start.AddYears(3).AddDays(-1),
			Rent:    schedule.Rent{Basis: schedule.RentPerM2Monthly, Amount: decimal.NewFromInt(300)},
			Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Leasing.Submit(ls, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Leasing.Approve(a.as(auth.RoleFinance, a.mall), c.ID, ""); err != nil {
		t.Fatal(err)
	}
	a.unit, a.contract = u.ID, c.ID
	return a
}

const termsFields = `start end units { code area } rent { basis amount } escalations { kind value on anniversary }
	abatements { kind charge from to percent } managementFee percentRent { rate mode breakpoint } deposit
	billing { frequency timing dueDay } lateFee { ratePerDay graceDays capPercent }`

// TestLeasingAuthorization: every leasing operation × every kind of caller. Allowed
// callers may get business userErrors (the inputs are chosen so nothing changes);
// the others get FORBIDDEN (or UNAUTHENTICATED without a viewer), never data.
func TestLeasingAuthorization(t *testing.T) {
	t.Parallel()
	a := newLeasingAPI(t)
	m, c, u := relay.ID("Mall", a.mall), relay.ID("Contract", a.contract), relay.ID("Unit", a.unit)
	callers := map[string]context.Context{
		"leasing":        a.as(auth.RoleLeasing, a.mall),
		"finance":        a.as(auth.RoleFinance, a.mall),
		"admin":          a.as(auth.RoleAdmin, a.mall),
		"tenant A admin": servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, a.merchantA)),
		"tenant A staff": servicetest.Context(servicetest.Staff(auth.RoleMerchantStaff, auth.LevelMerchant, a.merchantA)),
		"tenant B admin": servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, a.merchantB)),
		"other mall":     a.as(auth.RoleAdmin, a.other),
		"desk":           a.as(auth.RoleServiceDesk, a.mall),
		"shopper":        servicetest.Context(servicetest.Shopper(uuid.New())),
		"anonymous":      context.Background(),
	}
	staff := []string{"leasing", "finance", "admin"}
	tenantA := []string{"tenant A admin", "tenant A staff"}
	badTerms := map[string]any{"start": "2026-01-01", "end": "2025-01-01", "rent": map[string]any{"basis": "FIXED_MONTHLY", "amount": "1"},
		"billing": map[string]any{"frequency": "MONTHLY", "timing": "ADVANCE", "dueDay": 5}}
	ops := []struct {
		name    string
		query   string
		vars    map[string]any
		allowed []string
	}{
		{"units", `query($m: ID!) { units(mallId: $m) { edges { node { id status } } } }`, map[string]any{"m": m}, staff},
		{"vacancy", `query($m: ID!) { vacancy(mallId: $m) { floor vacantCount } }`, map[string]any{"m": m}, staff},
		{"unit", `query($u: ID!) { unit(id: $u) { id code history { id } } }`, map[string]any{"u": u}, append(staff, tenantA...)},
		{"node(unit)", `query($u: ID!) { node(id: $u) { id } }`, map[string]any{"u": u}, append(staff, tenantA...)},
		{"contracts", `query($m: ID!) { contracts(mallId: $m) { edges { node { id } } } }`, map[string]any{"m": m}, staff},
		{"contract", `query($c: ID!) { contract(id: $c) { id status units { code } versions { number terms { ` + termsFields + ` } }
			approvals { role } schedule(through: "2026-03-31") { code amount frozen } settlement { net } signedDocumentUrl } }`,
			map[string]any{"c": c}, append(staff, tenantA...)},
		{"node(contract)", `query($c: ID!) { node(id: $c) { id } }`, map[string]any{"c": c}, append(staff, tenantA...)},
		{"myTenantContracts", `{ myTenantContracts { edges { node { id } } } }`, nil, append(tenantA, "tenant B admin")},
		{"createUnit", `mutation($m: ID!) { createUnit(input: {mallId: $m, code: "X-1", kind: SHOP, floor: "L1", grossArea: "1", lettableArea: "2"}) { userErrors { code } } }`,
			map[string]any{"m": m}, []string{"leasing", "admin"}},
		{"updateUnit", `mutation($u: ID!) { updateUnit(id: $u, input: {kind: SHOP, floor: "L1", grossArea: "1", lettableArea: "2", offMarket: false}) { userErrors { code } } }`,
			map[string]any{"u": u}, []string{"leasing", "admin"}},
		{"createContract", `mutation($m: ID!, $t: LeaseTermsInput!, $a: ID!) { createContract(input: {mallId: $m, tenantId: $a, unitIds: [], terms: $t}) { userErrors { code } } }`,
			map[string]any{"m": m, "t": badTerms, "a": relay.ID("Merchant", a.merchantA)}, []string{"leasing", "admin"}},
		{"updateDraftContract", `mutation($c: ID!, $t: LeaseTermsInput!, $a: ID!, $u: ID!) { updateDraftContract(id: $c, input: {tenantId: $a, unitIds: [$u], terms: $t}) { userErrors { code } } }`,
			map[string]any{"c": c, "t": badTerms, "a": relay.ID("Merchant", a.merchantA), "u": u}, []string{"leasing", "admin"}},
		{"submitContract", `mutation($c: ID!) { submitContract(id: $c) { userErrors { code } } }`, map[string]any{"c": c}, []string{"leasing", "admin"}},
		{"approveContract", `mutation($c: ID!) { approveContract(id: $c) { decision userErrors { code } } }`, map[string]any{"c": c}, []string{"finance", "admin"}},
		{"rejectContract", `mutation($c: ID!) { rejectContract(id: $c, note: "no") { userErrors { code } } }`, map[string]any{"c": c}, []string{"finance", "admin"}},
		{"requestSignedContractUpload", `mutation($c: ID!) { requestSignedContractUpload(id: $c) { upload { key } userErrors { code } } }`,
			map[string]any{"c": c}, []string{"leasing", "admin"}},
		{"signContract", `mutation($c: ID!) { signContract(id: $c, key: "elsewhere/x.pdf") { userErrors { code } } }`, map[string]any{"c": c}, []string{"leasing", "admin"}},
		{"terminateContract", `mutation($c: ID!) { terminateContract(id: $c, on: "2035-01-01", reason: "x") { userErrors { code } } }`,
			map[string]any{"c": c}, []string{"leasing", "admin"}},
		{"proposeAmendment", `mutation($c: ID!, $t: LeaseTermsInput!) { proposeAmendment(id: $c, input: {kind: AMENDMENT, effectiveFrom: "2020-01-01", terms: $t}) { userErrors { code } } }`,
			map[string]any{"c": c, "t": badTerms}, []string{"leasing", "admin"}},
		{"setApprovalLimit", `mutation($m: ID!) { setApprovalLimit(mallId: $m, role: LEASING, maxAnnualRent: "1") { ok userErrors { code } } }`,
			map[string]any{"m": m}, []string{"admin"}},
	}
	for _, op := range ops {
		for name, ctx := range callers {
			t.Run(op.name+" by "+name, func(t *testing.T) {
				out := a.Do(ctx, op.query, op.vars)
				want := "FORBIDDEN"
				switch {
				case name == "anonymous":
					want = "UNAUTHENTICATED"
				case contains(op.allowed, name):
					want = ""
				}
				got, _ := errorCode(out).(string)
				if got != want {
					t.Fatalf("code %q, want %q: %s", got, want, mustJSON(out))
				}
			})
		}
	}
	// Nothing changed: the contract is still approved, the unit not amended.
	got, err := a.Leasing.Contract(a.as(auth.RoleLeasing, a.mall), a.contract)
	if err != nil || got.StoredStatus != leasing.StatusApproved || got.SignedKey != "" || !got.TerminatedOn.IsZero() {
		t.Fatalf("contract changed: %+v %v", got, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestLeasingGraphQL: a unit, a contract with a new tenant through approval and signing,
// its schedule, and typed userErrors.
func TestLeasingGraphQL(t *testing.T) {
	t.Parallel()
	a := newLeasingAPI(t)
	ls, fin, m := a.as(auth.RoleLeasing, a.mall), a.as(auth.RoleFinance, a.mall), relay.ID("Mall", a.mall)
	out := a.Do(ls, `mutation($m: ID!) { createUnit(input: {mallId: $m, code: "k-2", kind: KIOSK, floor: "L1", grossArea: "12.5", lettableArea: "10"}) {
		unit { id code status kind vacantSince daysVacant } userErrors { code field } } }`, map[string]any{"m": m})
	unit, _ := field(out, "data", "createUnit", "unit", "id").(string)
	if unit == "" || field(out, "data", "createUnit", "unit", "status") != "VACANT" || field(out, "data", "createUnit", "unit", "code") != "K-2" {
		t.Fatalf("createUnit: %s", mustJSON(out))
	}
	out = a.Do(ls, `mutation($m: ID!) { createUnit(input: {mallId: $m, code: "K-2", kind: KIOSK, floor: "L1", grossArea: "12.5", lettableArea: "10"}) {
		userErrors { code field } } }`, map[string]any{"m": m})
	if got := userError(out, "createUnit"); got != "UNIT_CODE_TAKEN input.code" {
		t.Fatalf("duplicate: %s", got)
	}
	terms := map[string]any{"start": "2030-07-01", "end": "2031-06-30", "rent": map[string]any{"basis": "FIXED_MONTHLY", "amount": "5000"},
		"abatements":  []any{map[string]any{"kind": "RENT_FREE", "charge": "RENT", "from": "2030-07-01", "to": "2030-07-31", "percent": "100"}},
		"percentRent": map[string]any{"rate": "0.08", "mode": "GUARANTEED_MINIMUM"}, "deposit": "15000",
		"billing": map[string]any{"frequency": "MONTHLY", "timing": "ADVANCE", "dueDay": 40}}
	create := `mutation($m: ID!, $u: ID!, $t: LeaseTermsInput!) { createContract(input: {mallId: $m, newTenant: {code: "NEWTEA", name: "New Tea"}, unitIds: [$u], terms: $t}) {
		contract { id status tenantId versions { number status annualRent terms { units { code area } abatements { kind } } } } userErrors { code field } } }`
	out = a.Do(ls, create, map[string]any{"m": m, "u": unit, "t": terms})
	if got := userError(out, "createContract"); got != "INVALID_TERMS input.terms.billing.dueDay" {
		t.Fatalf("bad terms: %s", got)
	}
	terms["billing"].(map[string]any)["dueDay"] = 5
	out = a.Do(ls, create, map[string]any{"m": m, "u": unit, "t": terms})
	id, _ := field(out, "data", "createContract", "contract", "id").(string)
	if id == "" || field(out, "data", "createContract", "contract", "status") != "DRAFT" ||
		field(out, "data", "createContract", "contract", "versions", 0, "annualRent") != "60000" ||
		field(out, "data", "createContract", "contract", "versions", 0, "terms", "units", 0, "code") != "K-2" {
		t.Fatalf("createContract: %s", mustJSON(out))
	}
	if out = a.Do(ls, `mutation($c: ID!) { submitContract(id: $c) { contract { status } userErrors { code } } }`, map[string]any{"c": id}); field(out, "data", "submitContract", "contract", "status") != "SUBMITTED" {
		t.Fatalf("submit: %s", mustJSON(out))
	}
	if out = a.Do(ls, `mutation($c: ID!) { approveContract(id: $c) { decision } }`, map[string]any{"c": id}); errorCode(out) != "FORBIDDEN" {
		t.Fatalf("leasing approving: %s", mustJSON(out))
	}
	out = a.Do(fin, `mutation($c: ID!) { approveContract(id: $c, note: "ok") { decision contract { status approvals { role decision } } userErrors { code } } }`, map[string]any{"c": id})
	if field(out, "data", "approveContract", "decision") != "APPROVED" || field(out, "data", "approveContract", "contract", "status") != "APPROVED" {
		t.Fatalf("approve: %s", mustJSON(out))
	}
	out = a.Do(ls, `mutation($c: ID!) { requestSignedContractUpload(id: $c) { upload { key url } userErrors { code } } }`, map[string]any{"c": id})
	key, _ := field(out, "data", "requestSignedContractUpload", "upload", "key").(string)
	if key == "" {
		t.Fatalf("upload: %s", mustJSON(out))
	}
	out = a.Do(ls, `mutation($c: ID!, $k: String!) { signContract(id: $c, key: $k) { userErrors { code field } } }`, map[string]any{"c": id, "k": key})
	if got := userError(out, "signContract"); got != "NOT_UPLOADED input.key" {
		t.Fatalf("sign before upload: %s", got)
	}
	if err := a.Objects.Put(context.Background(), key, bytes.NewReader([]byte("%PDF")), 4, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	out = a.Do(ls, `mutation($c: ID!, $k: String!) { signContract(id: $c, key: $k) { contract { status signed signedDocumentUrl
		schedule(through: "2030-08-31") { code amount billPeriod { start } frozen } } userErrors { code } } }`, map[string]any{"c": id, "k": key})
	if field(out, "data", "signContract", "contract", "status") != "SIGNED" || field(out, "data", "signContract", "contract", "signed") != true {
		t.Fatalf("sign: %s", mustJSON(out))
	}
	lines := field(out, "data", "signContract", "contract", "schedule").([]any)
	if len(lines) != 3 || field(lines[1], "code") != "RENT" || field(lines[1], "amount") != "0" || field(lines[2], "amount") != "5000" {
		t.Fatalf("schedule: %s", mustJSON(lines))
	}
	out = a.Do(ls, `query($m: ID!) { vacancy(mallId: $m) { floor unitCount vacantCount units { code status } } }`, map[string]any{"m": m})
	if field(out, "data", "vacancy", 0, "unitCount") != float64(2) || field(out, "data", "vacancy", 0, "vacantCount") != float64(0) {
		t.Fatalf("vacancy: %s", mustJSON(out))
	}
}
