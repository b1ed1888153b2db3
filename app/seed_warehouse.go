package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/warehouse"
)

// seedWarehouse gives the demo mall (once) a gift warehouse (礼品仓库) and a service-desk
// store, a supplier, two gift items bought on a purchase order received in full for the
// umbrellas and two mugs short, five umbrellas moved to the desk, and the "Atrium
// umbrella" gift stocked from the gift warehouse (each exchange issues one).
func (a *App) seedWarehouse(ctx context.Context, _, mall uuid.UUID) error {
	w := a.Services.Warehouse
	existing, err := w.Warehouses(ctx, mall)
	if err != nil || len(existing) > 0 {
		return err
	}
	if err := a.seedWarehouseStock(ctx, w, mall); err != nil {
		return fmt.Errorf("demo warehouse: %w", err)
	}
	return nil
}

func (a *App) seedWarehouseStock(ctx context.Context, w *warehouse.Service, mall uuid.UUID) error {
	cat, err := w.CreateCategory(ctx, warehouse.Category{MallID: mall, Name: "礼品 Gifts"})
	if err != nil {
		return err
	}
	code := "6901234567892"
	umbrella, err := w.CreateItem(ctx, warehouse.Item{MallID: mall, CategoryID: cat.ID, Name: "Atrium umbrella",
		Unit: "把", Barcode: &code})
	if err != nil {
		return err
	}
	mug, err := w.CreateItem(ctx, warehouse.Item{MallID: mall, CategoryID: cat.ID, Name: "Atrium mug", Unit: "个"})
	if err != nil {
		return err
	}
	main, err := w.CreateWarehouse(ctx, warehouse.Warehouse{MallID: mall, Code: "GIFT", Name: "礼品仓 Gift store"})
	if err != nil {
		return err
	}
	desk, err := w.CreateWarehouse(ctx, warehouse.Warehouse{MallID: mall, Code: "DESK", Name: "服务台 Service desk"})
	if err != nil {
		return err
	}
	sup, err := w.CreateSupplier(ctx, warehouse.Supplier{MallID: mall, Name: "上海礼品有限公司", Contact: "王经理",
		Phone: "021-55550000"})
	if err != nil {
		return err
	}
	po, err := w.CreatePurchaseOrder(ctx, warehouse.POInput{WarehouseID: main.ID, SupplierID: sup.ID, Note: "demo",
		Lines: []warehouse.POLineInput{{ItemID: umbrella.ID, Quantity: 20, UnitCostFen: 3550},
			{ItemID: mug.ID, Quantity: 30, UnitCostFen: 1200}}})
	if err != nil {
		return err
	}
	if _, err := w.ApprovePurchaseOrder(ctx, po.ID); err != nil {
		return err
	}
	if _, err := w.Receive(ctx, warehouse.ReceiveInput{PurchaseOrderID: po.ID, Key: "demo-receipt-" + po.ID.String(),
		Lines: []warehouse.ReceiveLine{{ItemID: umbrella.ID, Counted: 20}, {ItemID: mug.ID, Counted: 28}}}); err != nil {
		return err
	}
	if _, err := w.Transfer(ctx, warehouse.TransferInput{FromWarehouseID: main.ID, ToWarehouseID: desk.ID,
		Key: "demo-transfer-" + po.ID.String(), Lines: []warehouse.Line{{ItemID: umbrella.ID, Quantity: 5}}}); err != nil {
		return err
	}
	_, err = a.Services.Campaigns.CreateGift(ctx, campaigns.Gift{MallID: mall, Name: "Atrium umbrella", PointsCost: 1200,
		WarehouseID: &main.ID, ItemID: &umbrella.ID})
	return err
}
