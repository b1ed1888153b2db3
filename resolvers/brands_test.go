package resolvers_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage/storetest"
)

const (
	createBrandQ = `mutation($in: CreateBrandInput!) { createBrand(input: $in) { brand { id name normalizedName category grade }
		userErrors { code field message } } }`
	createProspectQ = `mutation($in: CreateProspectInput!) { createProspect(input: $in) { prospect { id stage wantedArea
		wantedUnitIds ownerId brand { name } } userErrors { code field } } }`
	moveProspectQ = `mutation($in: MoveProspectInput!) { moveProspect(input: $in) { prospect { id stage lostReason
		history { from to actorId } } userErrors { code field } } }`
)

// brandsAPI is opsAPI with a leasing staff member of the mall, a brand and a prospect
// made by them, an uploaded (not yet attached) file, and a second group.
type brandsAPI struct {
	opsAPI
	leasing    context.Context
	leasingID  uuid.UUID
	brand      string
	prospect   string
	uploadKey  string
	otherGroup uuid.UUID
}

func newBrandsAPI(t *testing.T) brandsAPI {
	t.Helper()
	a := brandsAPI{opsAPI: newOpsAPI(t), otherGroup: uuid.New()}
	ctx := context.Background()
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G2')`, a.otherGroup,
		storetest.RandomName("g")); err != nil {
		t.Fatal(err)
	}
	grant := auth.Grant{Role: auth.RoleLeasing, Level: auth.LevelMall, ScopeID: a.mall}
	st, err := a.Org.CreateStaff(auth.WithViewer(ctx, org.SystemViewer(org.Group{ID: a.group})), org.CreateStaffInput{
		Username: storetest.RandomName("lease"), Password: "pw-123456789", Grants: []auth.Grant{grant}})
	if err != nil {
		t.Fatal(err)
	}
	a.leasingID = st.ID
	a.leasing = servicetest.Context(&auth.Viewer{Kind: auth.KindStaff, ID: st.ID, Grants: []auth.Grant{grant}})
	out := a.Do(a.leasing, createBrandQ, map[string]any{"in": map[string]any{"groupId": relay.ID("Group", a.group),
		"name": "Heytea 喜茶", "category": "DINING", "grade": "A"}})
	a.brand, _ = field(out, "data", "createBrand", "brand", "id").(string)
	out = a.Do(a.leasing, createProspectQ, map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", a.mall),
		"brandId": a.brand, "wantedArea": "80.5", "ownerId": relay.ID("Staff", st.ID)}})
	a.prospect, _ = field(out, "data", "createProspect", "prospect", "id").(string)
	out = a.Do(a.leasing, `mutation($b: ID!) { requestBrandAttachmentUpload(input: {brandId: $b, contentType: "image/png",
		size: 100}) { key url userErrors { code } } }`, map[string]any{"b": a.brand})
	a.uploadKey, _ = field(out, "data", "requestBrandAttachmentUpload", "key").(string)
	if a.brand == "" || a.prospect == "" || a.uploadKey == "" {
		t.Fatalf("fixtures: brand %q prospect %q upload %q: %v", a.brand, a.prospect, a.uploadKey, out)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	if err := a.Objects.Put(ctx, a.uploadKey, bytes.NewReader(png), int64(len(png)), "image/png"); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBrandsGraphQL(t *testing.T) {
	t.Parallel()
	a := newBrandsAPI(t)
	g := relay.ID("Group", a.group)
	// DUPLICATE_BRAND names the existing brand.
	out := a.Do(a.leasing, createBrandQ, map[string]any{"in": map[string]any{"groupId": g, "name": "ＨＥＹＴＥＡ·喜茶",
		"category": "DINING", "grade": "B"}})
	if userError(out, "createBrand") != "DUPLICATE_BRAND input.name" ||
		!bytes.Contains([]byte(mustJSON(out)), []byte("Heytea 喜茶")) {
		t.Errorf("duplicate: %v", out)
	}
	out = a.Do(a.leasing, `query($g: ID!) { brands(groupId: $g, name: "hey", category: DINING) { edges { node { name
		prospects { stage } } } pageInfo { hasNextPage } } }`, map[string]any{"g": g})
	if field(out, "data", "brands", "edges", 0, "node", "name") != "Heytea 喜茶" ||
		field(out, "data", "brands", "edges", 0, "node", "prospects", 0, "stage") != "LEAD" {
		t.Errorf("brands: %v", out)
	}
	out = a.Do(a.leasing, moveProspectQ, map[string]any{"in": map[string]any{"prospectId": a.prospect, "stage": "LOST",
		"reason": "OTHER"}})
	if userError(out, "moveProspect") != "INVALID_INPUT input.note" {
		t.Errorf("lost for another reason without a note: %v", out)
	}
	out = a.Do(a.leasing, moveProspectQ, map[string]any{"in": map[string]any{"prospectId": a.prospect, "stage": "WON"}})
	if userError(out, "moveProspect") != "ILLEGAL_STAGE_CHANGE " {
		t.Errorf("won from lead: %v", out)
	}
	out = a.Do(a.leasing, moveProspectQ, map[string]any{"in": map[string]any{"prospectId": a.prospect, "stage": "VISITED"}})
	if field(out, "data", "moveProspect", "prospect", "history", 1, "to") != "VISITED" ||
		field(out, "data", "moveProspect", "prospect", "history", 1, "actorId") != relay.ID("Staff", a.leasingID) {
		t.Errorf("move: %v", out)
	}
	out = a.Do(a.leasing, `query($m: ID!) { funnel(mallId: $m, from: "2026-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z") {
		prospects steps { stage reached conversion } } }`, map[string]any{"m": relay.ID("Mall", a.mall)})
	if field(out, "data", "funnel", "prospects") != float64(1) || field(out, "data", "funnel", "steps", 1, "conversion") != float64(1) {
		t.Errorf("funnel: %v", out)
	}
}

// brandOps is every operation of the brands schema, each with its variables.
func (a brandsAPI) brandOps() map[string]struct {
	query string
	vars  map[string]any
	group bool // a read of the group's library (any staff of the group) rather than of a mall's pipeline
	write bool // leasing or admin only
} {
	g, m := relay.ID("Group", a.group), relay.ID("Mall", a.mall)
	type op = struct {
		query string
		vars  map[string]any
		group bool
		write bool
	}
	return map[string]op{
		"brands": {`query($g: ID!) { brands(groupId: $g) { edges { node { id } } } }`, map[string]any{"g": g}, true, false},
		"brand": {`query($b: ID!) { brand(id: $b) { id name contacts { id } attachments { id url } } }`,
			map[string]any{"b": a.brand}, true, false},
		"node(Brand)": {`query($b: ID!) { node(id: $b) { id } }`, map[string]any{"b": a.brand}, true, false},
		"createBrand": {createBrandQ, map[string]any{"in": map[string]any{"groupId": g, "name": "B-" + uuid.NewString(),
			"category": "KIDS", "grade": "C"}}, true, true},
		"updateBrand": {`mutation($b: ID!) { updateBrand(input: {brandId: $b, name: "Heytea 喜茶", category: DINING, grade: A}) {
			brand { id } userErrors { code } } }`, map[string]any{"b": a.brand}, true, true},
		"addBrandContact": {`mutation($b: ID!) { addBrandContact(input: {brandId: $b, name: "王", phone: "13800138000"}) {
			contact { id } userErrors { code } } }`, map[string]any{"b": a.brand}, true, true},
		"requestBrandAttachmentUpload": {`mutation($b: ID!) { requestBrandAttachmentUpload(input: {brandId: $b,
			contentType: "application/pdf", size: 10}) { key userErrors { code } } }`, map[string]any{"b": a.brand}, true, true},
		"attachBrandFile": {`mutation($b: ID!, $k: String!) { attachBrandFile(input: {brandId: $b, key: $k, filename: "a.png"}) {
			attachment { id } userErrors { code } } }`, map[string]any{"b": a.brand, "k": a.uploadKey}, true, true},
		"prospects": {`query($m: ID!) { prospects(mallId: $m) { edges { node { id } } } }`, map[string]any{"m": m}, false, false},
		"prospect": {`query($p: ID!) { prospect(id: $p) { id history { to } followUps { id } brand { id } } }`,
			map[string]any{"p": a.prospect}, false, false},
		"node(Prospect)": {`query($p: ID!) { node(id: $p) { id } }`, map[string]any{"p": a.prospect}, false, false},
		"funnel": {`query($m: ID!) { funnel(mallId: $m, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { prospects } }`,
			map[string]any{"m": m}, false, false},
		"createProspect": {createProspectQ, map[string]any{"in": map[string]any{"mallId": m, "brandId": a.brand,
			"wantedArea": "50", "ownerId": relay.ID("Staff", a.leasingID)}}, false, true},
		"moveProspect": {moveProspectQ, map[string]any{"in": map[string]any{"prospectId": a.prospect, "stage": "VISITED"}},
			false, true},
		"addFollowUp": {`mutation($p: ID!) { addFollowUp(input: {prospectId: $p, kind: CALL, note: "n"}) { followUp { id }
			userErrors { code } } }`, map[string]any{"p": a.prospect}, false, true},
	}
}

// TestBrandsAccess: every operation × caller. Leasing staff and admins of the mall do
// everything; leasing staff of another mall of the group work the group's library but
// not this mall's pipeline; other staff of the group only read the library; another
// group, tenants, merchant staff and shoppers get FORBIDDEN; nobody UNAUTHENTICATED.
func TestBrandsAccess(t *testing.T) {
	t.Parallel()
	a := newBrandsAPI(t)
	const ok, forbidden = "", "FORBIDDEN"
	type caller struct {
		ctx                   context.Context
		read, write, pipeline string // expected code of library reads, library writes, pipeline operations
	}
	callers := map[string]caller{
		"leasing of the mall":          {a.leasing, ok, ok, ok},
		"admin of the group":           {a.as2(auth.RoleAdmin, auth.LevelGroup, a.group), ok, ok, ok},
		"admin of the mall":            {a.as(auth.RoleAdmin, a.mall), ok, ok, ok},
		"leasing of another mall":      {a.as(auth.RoleLeasing, a.other), ok, ok, forbidden},
		"security of the mall":         {a.as(auth.RoleSecurity, a.mall), ok, forbidden, forbidden},
		"finance of the mall":          {a.as(auth.RoleFinance, a.mall), ok, forbidden, forbidden},
		"leasing of another group":     {a.as2(auth.RoleLeasing, auth.LevelGroup, a.otherGroup), forbidden, forbidden, forbidden},
		"admin of another group":       {a.as2(auth.RoleAdmin, auth.LevelGroup, a.otherGroup), forbidden, forbidden, forbidden},
		"tenant admin of a merchant":   {a.as2(auth.RoleTenantAdmin, auth.LevelMerchant, uuid.New()), forbidden, forbidden, forbidden},
		"merchant staff of a merchant": {a.as2(auth.RoleMerchantStaff, auth.LevelMerchant, uuid.New()), forbidden, forbidden, forbidden},
		"shopper":                      {servicetest.Context(servicetest.Shopper(uuid.New())), forbidden, forbidden, forbidden},
		"anonymous":                    {context.Background(), "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"},
	}
	for opName, op := range a.brandOps() {
		for who, c := range callers {
			want := c.pipeline
			switch {
			case op.group && op.write:
				want = c.write
			case op.group:
				want = c.read
			}
			t.Run(fmt.Sprintf("%s by %s", opName, who), func(t *testing.T) {
				out := a.Do(c.ctx, op.query, op.vars)
				got, _ := errorCode(out).(string)
				if got != want {
					t.Errorf("got %q, want %q: %v", got, want, out)
				}
			})
		}
	}
	// Nothing written by the refused: one prospect, the one move of the allowed.
	var prospects, moves int
	if err := a.DB.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM brand_prospects WHERE brand_id IN
		(SELECT id FROM brands WHERE group_id = $1)), (SELECT count(*) FROM brand_prospect_stages WHERE from_stage IS NOT NULL)`,
		a.group).Scan(&prospects, &moves); err != nil || moves != 1 || prospects != 1+3 {
		t.Errorf("prospects %d (want 4: the fixture and one per allowed caller), moves %d (want 1): %v", prospects, moves, err)
	}
}

// as2 is a staff viewer with role at level over scope.
func (a brandsAPI) as2(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return servicetest.Context(servicetest.Staff(role, level, scope))
}

// TestBrandContracts: a brand lists its contracts across the group, those the viewer may
// read: the leasing staff of the contract's mall see it, those of another mall of the
// group see the brand but not the contract.
func TestBrandContracts(t *testing.T) {
	t.Parallel()
	a := newBrandsAPI(t)
	sys := servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, a.group))
	m, err := a.Org.CreateMerchant(sys, org.CreateMerchantInput{MallID: a.mall, Code: "HEYTEA1", Name: "Heytea L1"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.Leasing.CreateUnit(a.leasing, leasing.UnitInput{MallID: a.mall, Code: "L1-09", Kind: leasing.KindKiosk,
		Floor: "L1", GrossArea: decimal.NewFromInt(20), LettableArea: decimal.NewFromInt(18)})
	if err != nil {
		t.Fatal(err)
	}
	brand, err := relay.ParseAs("Brand", a.brand)
	if err != nil {
		t.Fatal(err)
	}
	start := schedule.D(2026, 3, 1)
	c, err := a.Leasing.CreateContract(a.leasing, leasing.ContractInput{MallID: a.mall, MerchantID: m.ID, BrandID: &brand,
		UnitIDs: []uuid.UUID{u.ID}, Terms: schedule.Terms{Start: start, End: start.AddYears(2).AddDays(-1),
			Rent:    schedule.Rent{Basis: schedule.RentFixedMonthly, Amount: decimal.NewFromInt(8000)},
			Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	const q = `query($b: ID!) { brand(id: $b) { name contracts { id status } } }`
	out := a.Do(a.leasing, q, map[string]any{"b": a.brand})
	if field(out, "data", "brand", "contracts", 0, "id") != relay.ID("Contract", c.ID) {
		t.Fatalf("leasing of the mall: %v", out)
	}
	other, err := a.Org.CreateMall(sys, org.CreateMallInput{GroupID: a.group, Code: storetest.RandomName("m"), Name: "Other",
		TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	out = a.Do(a.as2(auth.RoleLeasing, auth.LevelMall, other.ID), q, map[string]any{"b": a.brand})
	if field(out, "data", "brand", "name") != "Heytea 喜茶" || len(field(out, "data", "brand", "contracts").([]any)) != 0 {
		t.Fatalf("leasing of another mall: %v", out)
	}
}
