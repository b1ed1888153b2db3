package resolvers

import (
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/warehouse"
)

// yuan is fen as a Decimal of yuan; fenOf the reverse (at most two places).
func yuan(fen int64) decimal.Decimal { return decimal.New(fen, -2) }

// ids parses a list of global IDs of one type.
type idParser struct{ err error }

func (p *idParser) id(field, typeName, id string) uuid.UUID {
	if p.err != nil {
		return uuid.Nil
	}
	u, err := inputID(field, typeName, id)
	p.err = err
	return u
}

func (p *idParser) opt(field, typeName string, id *string) *uuid.UUID {
	if id == nil || *id == "" {
		return nil
	}
	u := p.id(field, typeName, *id)
	return &u
}

func whCategoryOut(c warehouse.Category) model.WarehouseCategory {
	return model.WarehouseCategory{ID: relay.ID("WarehouseCategory", c.ID), MallID: relay.ID("Mall", c.MallID),
		ParentID: optID("WarehouseCategory", c.ParentID), Name: c.Name}
}

func whItemOut(i warehouse.Item) model.WarehouseItem {
	return model.WarehouseItem{ID: relay.ID("WarehouseItem", i.ID), MallID: relay.ID("Mall", i.MallID),
		CategoryID: relay.ID("WarehouseCategory", i.CategoryID), Name: i.Name, Unit: i.Unit, Barcode: i.Barcode}
}

func warehouseOut(w warehouse.Warehouse) model.Warehouse {
	return model.Warehouse{ID: relay.ID("Warehouse", w.ID), MallID: relay.ID("Mall", w.MallID), Code: w.Code, Name: w.Name}
}

func supplierOut(s warehouse.Supplier) model.Supplier {
	return model.Supplier{ID: relay.ID("Supplier", s.ID), MallID: relay.ID("Mall", s.MallID), Name: s.Name,
		Contact: s.Contact, Phone: s.Phone}
}

func purchaseOrderOut(po warehouse.PurchaseOrder) model.PurchaseOrder {
	out := model.PurchaseOrder{ID: relay.ID("PurchaseOrder", po.ID), MallID: relay.ID("Mall", po.MallID),
		WarehouseID: relay.ID("Warehouse", po.WarehouseID), SupplierID: relay.ID("Supplier", po.SupplierID),
		Status: model.PurchaseOrderStatus(strings.ToUpper(string(po.Status))), Note: po.Note, CreatedAt: po.CreatedAt,
		Lines: []model.PurchaseOrderLine{}, Receipts: []model.ReceiptLine{}}
	for _, l := range po.Lines {
		out.Lines = append(out.Lines, model.PurchaseOrderLine{ID: relay.ID("PurchaseOrderLine", l.ID), LineNo: l.LineNo,
			ItemID: relay.ID("WarehouseItem", l.ItemID), Ordered: int(l.Ordered), Received: int(l.Received),
			UnitCost: yuan(l.UnitCostFen)})
	}
	for _, r := range po.Receipts {
		out.Receipts = append(out.Receipts, model.ReceiptLine{ReceiptID: relay.ID("Receipt", r.ReceiptID),
			LineID: relay.ID("PurchaseOrderLine", r.POLineID), Due: int(r.Due), Counted: int(r.Counted),
			Short: int(r.Short), Over: int(r.Over), UnitCost: yuan(r.UnitCostFen), ReceivedAt: r.ReceivedAt})
	}
	return out
}

func movementOut(m warehouse.Movement) model.StockMovement {
	return model.StockMovement{ID: relay.ID("StockMovement", m.ID), WarehouseID: relay.ID("Warehouse", m.WarehouseID),
		ItemID: relay.ID("WarehouseItem", m.ItemID), Seq: int(m.Seq), Kind: model.StockMovementKind(strings.ToUpper(m.Kind)),
		Quantity: int(m.Quantity), Value: yuan(m.ValueFen), Balance: int(m.Balance), BalanceValue: yuan(m.BalanceFen),
		Reason: m.Reason, CreatedAt: m.CreatedAt}
}

func stockOut(s warehouse.Stock) model.StockLevel {
	return model.StockLevel{WarehouseID: relay.ID("Warehouse", s.WarehouseID), ItemID: relay.ID("WarehouseItem", s.ItemID),
		ItemName: s.ItemName, Unit: s.Unit, Quantity: int(s.Quantity), Value: yuan(s.ValueFen),
		AverageCost: yuan(s.AverageCostFen())}
}

func stocktakeOut(st warehouse.Stocktake) model.Stocktake {
	out := model.Stocktake{ID: relay.ID("Stocktake", st.ID), WarehouseID: relay.ID("Warehouse", st.WarehouseID),
		Status: model.StocktakeStatus(strings.ToUpper(string(st.Status))), CreatedAt: st.CreatedAt,
		Lines: []model.StocktakeLine{}}
	for _, l := range st.Lines {
		out.Lines = append(out.Lines, model.StocktakeLine{ItemID: relay.ID("WarehouseItem", l.ItemID), ItemName: l.ItemName,
			Expected: int(l.Expected), Counted: int(l.Counted), Difference: int(l.Difference())})
	}
	return out
}

func stockLinesIn(p *idParser, lines []model.StockLineInput) []warehouse.Line {
	out := make([]warehouse.Line, len(lines))
	for i, l := range lines {
		out[i] = warehouse.Line{ItemID: p.id("input.lines.itemId", "WarehouseItem", l.ItemID), Quantity: int64(l.Quantity)}
	}
	return out
}

// payload builds a mutation payload from a service result: userErrors for business
// errors, the value otherwise.
func payload[T, P any](v T, err error, wrap func(*T, []model.UserError) P) (P, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return wrap(nil, ue), err
	}
	return wrap(&v, ue), nil
}

func poPayload(po warehouse.PurchaseOrder, err error) (model.PurchaseOrderPayload, error) {
	return payload(po, err, func(v *warehouse.PurchaseOrder, ue []model.UserError) model.PurchaseOrderPayload {
		if v == nil {
			return model.PurchaseOrderPayload{UserErrors: ue}
		}
		out := purchaseOrderOut(*v)
		return model.PurchaseOrderPayload{PurchaseOrder: &out, UserErrors: ue}
	})
}

func stocktakePayload(st warehouse.Stocktake, err error) (model.StocktakePayload, error) {
	return payload(st, err, func(v *warehouse.Stocktake, ue []model.UserError) model.StocktakePayload {
		if v == nil {
			return model.StocktakePayload{UserErrors: ue}
		}
		out := stocktakeOut(*v)
		return model.StocktakePayload{Stocktake: &out, UserErrors: ue}
	})
}
