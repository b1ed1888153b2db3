package resolvers_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
)

// assetsFixture is two malls of a group, an asset and a count in the first, a tenant
// of the first and the callers.
type assetsFixture struct {
	opsAPI
	asset     assets.Asset
	category  uuid.UUID
	stocktake assets.Stocktake
	callers   map[string]context.Context
}

func newAssetsFixture(t *testing.T) *assetsFixture {
	a := newOpsAPI(t)
	f := &assetsFixture{opsAPI: a}
	merchant := uuid.New()
	if _, err := a.DB.Pool.Exec(context.Background(), `INSERT INTO merchants (id, mall_id, code, name) VALUES ($1, $2, 'A', 'Shop A')`,
		merchant, a.mall); err != nil {
		t.Fatal(err)
	}
	finance := a.as(auth.RoleFinance, a.mall)
	c, err := a.Assets.SaveCategory(finance, a.mall, "EQUIP", "Equipment")
	if err != nil {
		t.Fatal(err)
	}
	f.category = c.ID
	if f.asset, err = a.Assets.Register(finance, assets.Input{MallID: a.mall, Name: "Chiller", CategoryID: c.ID,
		Location: assets.Location{Kind: assets.AtZone, Ref: "B2"}, AcquiredOn: dep.D(2026, 1, 1),
		Rule: dep.Asset{Cost: 1_200_000, LifeMonths: 12, Method: dep.StraightLine, InService: dep.D(2026, 1, 1)}}); err != nil {
		t.Fatal(err)
	}
	if f.stocktake, err = a.Assets.StartStocktake(finance, a.mall, assets.Location{Kind: assets.AtZone, Ref: "B2"}, ""); err != nil {
		t.Fatal(err)
	}
	f.callers = map[string]context.Context{
		"admin": a.as(auth.RoleAdmin, a.mall), "finance": finance, "finance2": a.as(auth.RoleFinance, a.mall),
		"tech": a.as(auth.RoleMaintenance, a.mall), "leasing": a.as(auth.RoleLeasing, a.mall),
		"otherAdmin": a.as(auth.RoleAdmin, a.other), "otherFinance": a.as(auth.RoleFinance, a.other),
		"otherTech": a.as(auth.RoleMaintenance, a.other),
		"tenant":    servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, merchant)),
		"shopper":   servicetest.Context(servicetest.Shopper(uuid.New())),
		"anon":      context.Background(),
	}
	return f
}

// assetOp is one operation with who may run it.
type assetOp struct {
	name, query string
	vars        func(f *assetsFixture) map[string]any
	allowed     []string
	wrong       []string // callers of the mall without one of the operation's roles
}

var assetOps = []assetOp{
	{name: "assetCategories", query: `query($m: ID!) { assetCategories(mallId: $m) { id code } }`,
		vars: mallVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "assets", query: `query($m: ID!) { assets(mallId: $m) { edges { node { id tag cost tagQrPng } } } }`,
		vars: mallVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "asset", query: `query($a: ID!) { asset(id: $a) { id tag transfers { reason } maintenanceHistory { dueKey } } }`,
		vars: assetVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "assetByTag", query: `query($m: ID!, $t: String!) { assetByTag(mallId: $m, tag: $t) { id } }`,
		vars: func(f *assetsFixture) map[string]any {
			return map[string]any{"m": relay.ID("Mall", f.mall), "t": f.asset.Tag}
		}, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "assetValuation", query: `query($a: ID!) { assetValuation(assetId: $a, on: "2026-06-30") { bookValue } }`,
		vars: assetVar, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "assetDepreciation", query: `query($a: ID!) { assetDepreciation(assetId: $a) { schedule { period amount } } }`,
		vars: assetVar, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "assetStocktakes", query: `query($m: ID!) { assetStocktakes(mallId: $m) { id } }`,
		vars: mallVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "assetStocktake", query: `query($s: ID!) { assetStocktake(id: $s) { id count { scans missing { id } } } }`,
		vars: stocktakeVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "saveAssetCategory", query: `mutation($m: ID!) { saveAssetCategory(input: {mallId: $m, code: "IT", name: "IT"}) { category { id } userErrors { code } } }`,
		vars: mallVar, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "requestAssetInvoiceUpload", query: `mutation($m: ID!) { requestAssetInvoiceUpload(mallId: $m) { key userErrors { code } } }`,
		vars: mallVar, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "registerAsset", query: `mutation($m: ID!, $c: ID!) { registerAsset(input: {mallId: $m, name: "Lift", categoryId: $c,
		location: {kind: ZONE, ref: "L1"}, acquiredOn: "2026-01-01", inServiceOn: "2026-01-01", cost: "1000.00", lifeMonths: 12,
		method: STRAIGHT_LINE}) { asset { id } userErrors { code } } }`,
		vars: func(f *assetsFixture) map[string]any {
			return map[string]any{"m": relay.ID("Mall", f.mall), "c": relay.ID("AssetCategory", f.category)}
		}, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "importOpeningAssets", query: `mutation($m: ID!, $c: String!) { importOpeningAssets(input: {mallId: $m, format: CSV, content: $c}) { imported { id } rowErrors { line } userErrors { code } } }`,
		vars: func(f *assetsFixture) map[string]any {
			csv := "name,category,location_kind,location,acquired_on,in_service_on,cost,life_months,method,accumulated,opening_on\n" +
				"Escalator,EQUIP,ZONE,L1,2025-01-01,2025-01-01,360.00,36,STRAIGHT_LINE,130.00,2026-01-01\n"
			return map[string]any{"m": relay.ID("Mall", f.mall), "c": base64.StdEncoding.EncodeToString([]byte(csv))}
		}, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "transferAsset", query: `mutation($a: ID!) { transferAsset(input: {assetId: $a, location: {kind: ZONE, ref: "B3"}, reason: "moved"}) { asset { id } userErrors { code } } }`,
		vars: assetVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "recordAssetUsage", query: `mutation($a: ID!) { recordAssetUsage(assetId: $a, period: "2026-02", units: 5) { asset { id } userErrors { code } } }`,
		vars: assetVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "disposeAsset", query: `mutation($a: ID!) { disposeAsset(input: {assetId: $a, on: "2026-01-20", kind: SCRAP}) { gainLoss userErrors { code } } }`,
		vars: assetVar, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "startAssetStocktake", query: `mutation($m: ID!) { startAssetStocktake(input: {mallId: $m, location: {kind: ZONE, ref: "B2"}}) { stocktake { id } userErrors { code } } }`,
		vars: mallVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "uploadAssetStocktakeScans", query: `mutation($s: ID!) { uploadAssetStocktakeScans(input: {stocktakeId: $s, scans: [{clientScanId: "x1", tag: "T-1"}]}) { accepted userErrors { code } } }`,
		vars: stocktakeVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "submitAssetStocktake", query: `mutation($s: ID!) { submitAssetStocktake(id: $s) { stocktake { id } userErrors { code } } }`,
		vars: stocktakeVar, allowed: []string{"admin", "finance", "tech"}, wrong: []string{"leasing"}},
	{name: "rejectAssetStocktake", query: `mutation($s: ID!) { rejectAssetStocktake(id: $s) { stocktake { id } userErrors { code } } }`,
		vars: stocktakeVar, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "approveAssetStocktake", query: `mutation($s: ID!) { approveAssetStocktake(id: $s) { stocktake { id } userErrors { code } } }`,
		vars: stocktakeVar, allowed: []string{"admin", "finance"}, wrong: []string{"leasing", "tech"}},
	{name: "createMaintenancePlan", query: `mutation($a: ID!) { createMaintenancePlan(input: {assetId: $a, title: "Service", every: MONTHS, n: 3}) { plan { id } userErrors { code } } }`,
		vars: assetVar, allowed: []string{"admin", "tech"}, wrong: []string{"leasing", "finance"}},
}

func mallVar(f *assetsFixture) map[string]any { return map[string]any{"m": relay.ID("Mall", f.mall)} }
func assetVar(f *assetsFixture) map[string]any {
	return map[string]any{"a": relay.ID("Asset", f.asset.ID)}
}
func stocktakeVar(f *assetsFixture) map[string]any {
	return map[string]any{"s": relay.ID("AssetStocktake", f.stocktake.ID)}
}

// TestAssetsAuthorization: every assets operation gives nothing to another mall's
// staff, a wrong role of the mall, a shopper, a tenant or nobody, and lets its roles
// through (a business userError is fine: the check passed).
func TestAssetsAuthorization(t *testing.T) {
	t.Parallel()
	f := newAssetsFixture(t)
	denied := []string{"otherAdmin", "otherFinance", "otherTech", "tenant", "shopper", "anon"}
	for _, op := range assetOps {
		t.Run(op.name, func(t *testing.T) {
			for _, who := range append(append([]string{}, denied...), op.wrong...) {
				out := f.Do(f.callers[who], op.query, op.vars(f))
				if got := outcome(out, op.name); got == "OK" {
					t.Errorf("%s: %s got %v", who, op.name, mustJSON(out))
				}
				if d := field(out, "data", op.name); d != nil {
					if m, ok := d.(map[string]any); !ok || hasData(m) {
						t.Errorf("%s: %s got data %v", who, op.name, mustJSON(out))
					}
				}
			}
			for _, who := range op.allowed {
				out := f.Do(f.callers[who], op.query, op.vars(f))
				if got := outcome(out, op.name); got == "FORBIDDEN" || got == "NOT_FOUND" || got == "UNAUTHENTICATED" {
					t.Errorf("%s: %s refused: %v", who, op.name, mustJSON(out))
				}
			}
		})
	}
}

// hasData reports whether a payload carries anything besides its userErrors.
func hasData(m map[string]any) bool {
	for k, v := range m {
		if k == "userErrors" || v == nil {
			continue
		}
		if l, ok := v.([]any); ok && len(l) == 0 {
			continue
		}
		return true
	}
	return false
}

// TestAssetsStocktakeOverGraphQL: the same offline batch uploaded twice is accepted
// once; the asset's tag renders as a QR PNG of its text.
func TestAssetsStocktakeOverGraphQL(t *testing.T) {
	t.Parallel()
	f := newAssetsFixture(t)
	tech := f.callers["tech"]
	q := `mutation($s: ID!, $t: String!) { uploadAssetStocktakeScans(input: {stocktakeId: $s, scans: [
		{clientScanId: "p1-1", tag: $t}, {clientScanId: "p1-2", tag: "STRAY-9"}]}) {
		accepted stocktake { count { scans found { id } surplus } } userErrors { code } } }`
	vars := map[string]any{"s": relay.ID("AssetStocktake", f.stocktake.ID), "t": assets.TagText(f.asset.Tag)}
	first := f.Do(tech, q, vars)
	second := f.Do(tech, q, vars)
	if fmt.Sprint(field(first, "data", "uploadAssetStocktakeScans", "accepted")) != "2" ||
		fmt.Sprint(field(second, "data", "uploadAssetStocktakeScans", "accepted")) != "0" ||
		fmt.Sprint(field(second, "data", "uploadAssetStocktakeScans", "stocktake", "count", "scans")) != "2" ||
		fmt.Sprint(field(second, "data", "uploadAssetStocktakeScans", "stocktake", "count", "surplus")) != "[STRAY-9]" {
		t.Fatalf("uploads: %s / %s", mustJSON(first), mustJSON(second))
	}
	out := f.Do(tech, `query($a: ID!) { asset(id: $a) { tagQrPng } }`, assetVar(f))
	url, _ := field(out, "data", "asset", "tagQrPng").(string)
	png, err := base64.StdEncoding.DecodeString(url[len("data:image/png;base64,"):])
	if err != nil || !servicetest.QRHolds(t, png, assets.TagText(f.asset.Tag)) {
		t.Fatalf("tag QR: %v", err)
	}
}
