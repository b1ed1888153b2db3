package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/warehouse"
)

// checkSeedWarehouse (TestSeedDemoContent): the demo seed, run twice, leaves two warehouses, a received
// purchase order (mugs short by two), stock split by a transfer, a gift stocked from
// the gift warehouse, and a stock ledger that verifies.
func checkSeedWarehouse(t *testing.T, e *env) {
	ctx := context.Background()
	a := e.app
	g, err := a.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	ctx = auth.WithViewer(ctx, org.SystemViewer(g))
	mall, err := a.Services.Org.MallByCode(ctx, "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	whs, err := a.Services.Warehouse.Warehouses(ctx, mall.ID)
	if err != nil || len(whs) != 2 {
		t.Fatalf("warehouses %+v %v", whs, err)
	}
	pos, err := a.Services.Warehouse.PurchaseOrders(ctx, mall.ID)
	if err != nil || len(pos) != 1 || pos[0].Status != warehouse.POPartiallyReceived {
		t.Fatalf("purchase orders %+v %v", pos, err)
	}
	v, err := a.Services.Warehouse.Valuation(ctx, mall.ID)
	if err != nil || v.TotalFen != 20*3550+28*1200 || len(v.Stock) != 3 {
		t.Fatalf("valuation %+v %v", v, err)
	}
	gifts, err := a.Services.Campaigns.Gifts(ctx, mall.ID)
	found := false
	for _, gf := range gifts {
		found = found || gf.WarehouseID != nil && gf.Stock == 15
	}
	if err != nil || !found {
		t.Fatalf("stocked gift: %+v %v", gifts, err)
	}
	if breaches, err := warehouse.Verify(ctx, a.DB); err != nil || len(breaches) != 0 {
		t.Fatalf("verify %v %v", breaches, err)
	}
}
