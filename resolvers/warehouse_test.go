package resolvers_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/warehouse"
)

// warehouseAPI is the schema over two malls, the first with a stocked warehouse, a
// second warehouse, a supplier, an approved purchase order and a submitted stocktake.
type warehouseAPI struct {
	opsAPI
	ops                  context.Context
	item, wh, wh2, sup   uuid.UUID
	cat, po, draft, take uuid.UUID
}

func newWarehouseAPI(t *testing.T) warehouseAPI {
	t.Helper()
	a := warehouseAPI{opsAPI: newOpsAPI(t)}
	a.ops = a.as(auth.RoleMemberOps, a.mall)
	w := a.Warehouse
	cat, err := w.CreateCategory(a.ops, warehouse.Category{MallID: a.mall, Name: "Gifts"})
	must(t, err)
	it, err := w.CreateItem(a.ops, warehouse.Item{MallID: a.mall, CategoryID: cat.ID, Name: "Umbrella", Unit: "pc"})
	must(t, err)
	wh, err := w.CreateWarehouse(a.ops, warehouse.Warehouse{MallID: a.mall, Code: "W1", Name: "Main"})
	must(t, err)
	wh2, err := w.CreateWarehouse(a.ops, warehouse.Warehouse{MallID: a.mall, Code: "W2", Name: "Desk"})
	must(t, err)
	sp, err := w.CreateSupplier(a.ops, warehouse.Supplier{MallID: a.mall, Name: "Acme"})
	must(t, err)
	lines := []warehouse.POLineInput{{ItemID: it.ID, Quantity: 10, UnitCostFen: 1250}}
	po, err := w.CreatePurchaseOrder(a.ops, warehouse.POInput{WarehouseID: wh.ID, SupplierID: sp.ID, Lines: lines})
	must(t, err)
	_, err = w.ApprovePurchaseOrder(a.ops, po.ID)
	must(t, err)
	_, err = w.Receive(a.ops, warehouse.ReceiveInput{PurchaseOrderID: po.ID, Key: "r1",
		Lines: []warehouse.ReceiveLine{{ItemID: it.ID, Counted: 4}}})
	must(t, err)
	draft, err := w.CreatePurchaseOrder(a.ops, warehouse.POInput{WarehouseID: wh.ID, SupplierID: sp.ID, Lines: lines})
	must(t, err)
	st, err := w.StartStocktake(a.ops, wh.ID)
	must(t, err)
	_, err = w.RecordCounts(a.ops, st.ID, []warehouse.Count{{ItemID: it.ID, Counted: 3}})
	must(t, err)
	_, err = w.SubmitStocktake(a.ops, st.ID)
	must(t, err)
	a.item, a.wh, a.wh2, a.sup, a.cat, a.po, a.draft, a.take = it.ID, wh.ID, wh2.ID, sp.ID, cat.ID, po.ID, draft.ID, st.ID
	return a
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// warehouseOps is every operation of schema/warehouse.graphqls; stock marks the reads
// FINANCE may make.
func (a warehouseAPI) warehouseOps() map[string]struct {
	query string
	vars  map[string]any
	stock bool
} {
	type op = struct {
		query string
		vars  map[string]any
		stock bool
	}
	m, wh, wh2 := relay.ID("Mall", a.mall), relay.ID("Warehouse", a.wh), relay.ID("Warehouse", a.wh2)
	item, po, draft := relay.ID("WarehouseItem", a.item), relay.ID("PurchaseOrder", a.po), relay.ID("PurchaseOrder", a.draft)
	take := relay.ID("Stocktake", a.take)
	line := []map[string]any{{"itemId": item, "quantity": 1}}
	return map[string]op{
		"warehouseCategories": {`query($m: ID!) { warehouseCategories(mallId: $m) { id } }`, map[string]any{"m": m}, false},
		"warehouseItems":      {`query($m: ID!) { warehouseItems(mallId: $m) { id } }`, map[string]any{"m": m}, true},
		"warehouses":          {`query($m: ID!) { warehouses(mallId: $m) { id } }`, map[string]any{"m": m}, true},
		"suppliers":           {`query($m: ID!) { suppliers(mallId: $m) { id } }`, map[string]any{"m": m}, false},
		"purchaseOrders":      {`query($m: ID!) { purchaseOrders(mallId: $m) { id } }`, map[string]any{"m": m}, false},
		"purchaseOrder":       {`query($p: ID!) { purchaseOrder(id: $p) { id lines { id } } }`, map[string]any{"p": po}, false},
		"stockLevels":         {`query($w: ID!) { stockLevels(warehouseId: $w) { quantity value } }`, map[string]any{"w": wh}, true},
		"stockMovements": {`query($w: ID!, $i: ID!) { stockMovements(warehouseId: $w, itemId: $i) { seq } }`,
			map[string]any{"w": wh, "i": item}, true},
		"stockValuation": {`query($m: ID!) { stockValuation(mallId: $m) { total } }`, map[string]any{"m": m}, true},
		"stocktakes":     {`query($w: ID!) { stocktakes(warehouseId: $w) { id } }`, map[string]any{"w": wh}, false},
		"stocktake":      {`query($s: ID!) { stocktake(id: $s) { id } }`, map[string]any{"s": take}, false},
		"createWarehouseCategory": {`mutation($m: ID!) { createWarehouseCategory(input: {mallId: $m, name: "X"}) {
			category { id } userErrors { code } } }`, map[string]any{"m": m}, false},
		"createWarehouseItem": {`mutation($m: ID!, $c: ID!) { createWarehouseItem(input: {mallId: $m, categoryId: $c,
			name: "X", unit: "pc"}) { item { id } userErrors { code } } }`,
			map[string]any{"m": m, "c": relay.ID("WarehouseCategory", a.cat)}, false},
		"createWarehouse": {`mutation($m: ID!) { createWarehouse(input: {mallId: $m, code: "W9", name: "X"}) {
			warehouse { id } userErrors { code } } }`, map[string]any{"m": m}, false},
		"createSupplier": {`mutation($m: ID!) { createSupplier(input: {mallId: $m, name: "X"}) {
			supplier { id } userErrors { code } } }`, map[string]any{"m": m}, false},
		"createPurchaseOrder": {`mutation($w: ID!, $s: ID!, $i: ID!) { createPurchaseOrder(input: {warehouseId: $w,
			supplierId: $s, lines: [{itemId: $i, quantity: 1, unitCost: "1.00"}]}) { purchaseOrder { id } userErrors { code } } }`,
			map[string]any{"w": wh, "s": relay.ID("Supplier", a.sup), "i": item}, false},
		"approvePurchaseOrder": {`mutation($p: ID!) { approvePurchaseOrder(id: $p) { purchaseOrder { id } userErrors { code } } }`,
			map[string]any{"p": draft}, false},
		"cancelPurchaseOrder": {`mutation($p: ID!) { cancelPurchaseOrder(id: $p) { purchaseOrder { id } userErrors { code } } }`,
			map[string]any{"p": draft}, false},
		"receivePurchaseOrder": {`mutation($p: ID!, $i: ID!) { receivePurchaseOrder(input: {purchaseOrderId: $p,
			idempotencyKey: "k", lines: [{itemId: $i, counted: 1}]}) { purchaseOrder { id } userErrors { code } } }`,
			map[string]any{"p": po, "i": item}, false},
		"issueStock": {`mutation($w: ID!, $l: [StockLineInput!]!) { issueStock(input: {warehouseId: $w, reason: EVENT,
			lines: $l, idempotencyKey: "k"}) { issue { id } userErrors { code } } }`, map[string]any{"w": wh, "l": line}, false},
		"transferStock": {`mutation($w: ID!, $w2: ID!, $l: [StockLineInput!]!) { transferStock(input: {fromWarehouseId: $w,
			toWarehouseId: $w2, lines: $l, idempotencyKey: "k"}) { transfer { id } userErrors { code } } }`,
			map[string]any{"w": wh, "w2": wh2, "l": line}, false},
		"startStocktake": {`mutation($w: ID!) { startStocktake(warehouseId: $w) { stocktake { id } userErrors { code } } }`,
			map[string]any{"w": wh}, false},
		"recordStocktakeCounts": {`mutation($s: ID!, $i: ID!) { recordStocktakeCounts(input: {stocktakeId: $s,
			counts: [{itemId: $i, counted: 1}]}) { stocktake { id } userErrors { code } } }`, map[string]any{"s": take, "i": item}, false},
		"submitStocktake": {`mutation($s: ID!) { submitStocktake(id: $s) { stocktake { id } userErrors { code } } }`,
			map[string]any{"s": take}, false},
		"approveStocktake": {`mutation($s: ID!) { approveStocktake(id: $s) { stocktake { id } userErrors { code } } }`,
			map[string]any{"s": take}, false},
		"rejectStocktake": {`mutation($s: ID!) { rejectStocktake(id: $s) { stocktake { id } userErrors { code } } }`,
			map[string]any{"s": take}, false},
	}
}

// TestWarehouseAccess: every operation × caller who must get nothing — staff of
// another mall (with the right roles), a wrong role of the mall (FINANCE only reads
// stock), tenants, merchant staff, shoppers, nobody — gets an error and no data, and
// nothing is written.
func TestWarehouseAccess(t *testing.T) {
	t.Parallel()
	a := newWarehouseAPI(t)
	callers := map[string]context.Context{
		"member ops of another mall":   a.as(auth.RoleMemberOps, a.other),
		"admin of another mall":        a.as(auth.RoleAdmin, a.other),
		"security of the mall":         a.as(auth.RoleSecurity, a.mall),
		"service desk of the mall":     a.as(auth.RoleServiceDesk, a.mall),
		"finance of the mall":          a.as(auth.RoleFinance, a.mall),
		"tenant admin of a merchant":   servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, uuid.New())),
		"merchant staff of a merchant": servicetest.Context(servicetest.Staff(auth.RoleMerchantStaff, auth.LevelMerchant, uuid.New())),
		"shopper":                      servicetest.Context(servicetest.Shopper(uuid.New())),
		"anonymous":                    context.Background(),
	}
	for name, op := range a.warehouseOps() {
		for who, ctx := range callers {
			if who == "finance of the mall" && op.stock {
				continue
			}
			t.Run(fmt.Sprintf("%s by %s", name, who), func(t *testing.T) {
				out := a.Do(ctx, op.query, op.vars)
				code, _ := errorCode(out).(string)
				if code != "FORBIDDEN" && code != "NOT_FOUND" && code != "UNAUTHENTICATED" {
					t.Errorf("got %q: %v", code, out)
				}
				if data, _ := out["data"].(map[string]any); data != nil && data[name] != nil {
					t.Errorf("data: %v", out)
				}
			})
		}
	}
	var cats, whs, pos, moves, takes int
	if err := a.DB.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM wh_categories),
		(SELECT count(*) FROM wh_warehouses), (SELECT count(*) FROM wh_purchase_orders WHERE status = 'draft'),
		(SELECT count(*) FROM wh_movements), (SELECT count(*) FROM wh_stocktakes WHERE status = 'submitted')`).Scan(
		&cats, &whs, &pos, &moves, &takes); err != nil || cats != 1 || whs != 2 || pos != 1 || moves != 1 || takes != 1 {
		t.Errorf("written by the refused: categories %d, warehouses %d, drafts %d, movements %d, stocktakes %d: %v",
			cats, whs, pos, moves, takes, err)
	}
}

// TestWarehouseGraphQL: member ops of the mall issue stock and read it; finance reads
// the valuation; the approver of a stocktake must not be its submitter.
func TestWarehouseGraphQL(t *testing.T) {
	t.Parallel()
	a := newWarehouseAPI(t)
	ops := a.warehouseOps()
	for _, name := range []string{"stockLevels", "purchaseOrder", "warehouseItems", "stocktake"} {
		if out := a.Do(a.ops, ops[name].query, ops[name].vars); out["errors"] != nil {
			t.Errorf("%s: %v", name, out)
		}
	}
	out := a.Do(a.ops, ops["issueStock"].query, ops["issueStock"].vars)
	if field(out, "data", "issueStock", "issue", "id") == nil {
		t.Fatalf("issue: %v", out)
	}
	out = a.Do(a.as(auth.RoleFinance, a.mall), ops["stockValuation"].query, ops["stockValuation"].vars)
	if field(out, "data", "stockValuation", "total") != "37.5" { // 3 left of 4 at 12.50
		t.Errorf("valuation: %v", out)
	}
	out = a.Do(a.ops, ops["approveStocktake"].query, ops["approveStocktake"].vars)
	if userError(out, "approveStocktake") != "SECOND_PERSON_REQUIRED " {
		t.Errorf("self-approval: %v", out)
	}
	const createGift = `mutation($m: ID!, $w: ID!, $i: ID!) { createGift(input: {mallId: $m, name: "Umbrella",
		pointsCost: 100, stock: 0, warehouseId: $w, itemId: $i}) { gift { stock exchanged warehouseId } userErrors { code field } } }`
	gift := map[string]any{"m": relay.ID("Mall", a.mall), "w": relay.ID("Warehouse", a.wh), "i": relay.ID("WarehouseItem", a.item)}
	out = a.Do(a.ops, createGift, gift)
	if field(out, "data", "createGift", "gift", "stock") != float64(3) || field(out, "data", "createGift", "gift", "warehouseId") != gift["w"] {
		t.Errorf("stocked gift: %v", out)
	}
	gift["m"] = relay.ID("Mall", a.other)
	if out = a.Do(a.as(auth.RoleMemberOps, a.other), createGift, gift); userError(out, "createGift") != "NOT_OF_THIS_MALL input.warehouseId" {
		t.Errorf("another mall's warehouse: %v", out)
	}
	out = a.Do(a.as(auth.RoleAdmin, a.mall), ops["approveStocktake"].query, ops["approveStocktake"].vars)
	if field(out, "data", "approveStocktake", "stocktake", "id") == nil {
		t.Errorf("approval: %v", out)
	}
	if out = a.Do(a.ops, `mutation($w: ID!, $l: [StockLineInput!]!) { issueStock(input: {warehouseId: $w, reason: EVENT,
		lines: $l, idempotencyKey: "k2"}) { issue { id } userErrors { code } } }`, map[string]any{"w": relay.ID("Warehouse", a.wh),
		"l": []map[string]any{{"itemId": relay.ID("WarehouseItem", a.item), "quantity": 100}}}); userError(out, "issueStock") != "OUT_OF_STOCK " {
		t.Errorf("over-issue: %v", out)
	}
}
