package warehouse

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/state"
	"github.com/atrium-mall/atrium/service/warehouse/internal/queries"
	"github.com/atrium-mall/atrium/service/warehouse/valuation"
)

// POStatus is a purchase order's status.
type POStatus string

// Purchase order statuses.
const (
	PODraft             POStatus = "draft"
	POApproved          POStatus = "approved"
	POPartiallyReceived POStatus = "partially_received"
	POReceived          POStatus = "received"
	POCancelled         POStatus = "cancelled"
)

// POEvent is what happens to a purchase order.
type POEvent string

// Purchase order events.
const (
	POApprove     POEvent = "approve"
	POReceivePart POEvent = "receive part of"
	POReceiveAll  POEvent = "receive the rest of"
	POCancel      POEvent = "cancel"
)

// poMachine: DRAFT → APPROVED → PARTIALLY_RECEIVED … → RECEIVED; a draft or approved
// order may be cancelled (nothing received yet).
var poMachine = state.New("purchase order", ErrPOTransition, map[POEvent]map[POStatus]POStatus{
	POApprove:     {PODraft: POApproved},
	POReceivePart: {POApproved: POPartiallyReceived, POPartiallyReceived: POPartiallyReceived},
	POReceiveAll:  {POApproved: POReceived, POPartiallyReceived: POReceived},
	POCancel:      {PODraft: POCancelled, POApproved: POCancelled},
})

// POLineInput is an item ordered at a unit cost (fen).
type POLineInput struct {
	ItemID      uuid.UUID
	Quantity    int64
	UnitCostFen int64
}

// POInput is a new purchase order (采购单) into a warehouse from a supplier.
type POInput struct {
	WarehouseID, SupplierID uuid.UUID
	Note                    string
	Lines                   []POLineInput
}

// PurchaseOrder is a purchase order with its lines and receipts.
type PurchaseOrder struct {
	ID, MallID, WarehouseID, SupplierID uuid.UUID
	Status                              POStatus
	Note, CreatedBy                     string
	CreatedAt                           time.Time
	ApprovedBy                          *string
	Lines                               []POLine
	Receipts                            []ReceiptLine
}

// POLine is an ordered item and how much of it was received.
type POLine struct {
	ID                uuid.UUID
	LineNo            int
	ItemID            uuid.UUID
	Ordered, Received int64
	UnitCostFen       int64
}

// ReceiptLine is one line of a stock-in: the counted quantity against what was due.
type ReceiptLine struct {
	ReceiptID, POLineID uuid.UUID
	Due, Counted        int64
	Short, Over         int64
	UnitCostFen         int64
	ReceivedBy          string
	ReceivedAt          time.Time
}

// CreatePurchaseOrder drafts a purchase order (ADMIN or MEMBER_OPS of the warehouse's
// mall); supplier and items are of the same mall.
func (s *Service) CreatePurchaseOrder(ctx context.Context, in POInput) (PurchaseOrder, error) {
	if err := s.canManageWarehouse(ctx, in.WarehouseID); err != nil {
		return PurchaseOrder{}, err
	}
	if err := text("input.note", &in.Note, 0, 500); err != nil {
		return PurchaseOrder{}, err
	}
	id := service.NewID()
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		wh, err := warehouseOf(ctx, tx, in.WarehouseID)
		if err != nil {
			return err
		}
		if sp, err := q.Supplier(ctx, in.SupplierID); err != nil || sp.MallID != wh.MallID {
			return ErrWrongMall.At("input", "supplierId")
		}
		lines := make([]Line, len(in.Lines))
		for i, l := range in.Lines {
			if l.UnitCostFen < 0 || l.UnitCostFen > 100_000_000_00 {
				return errs.Invalid("input.lines.unitCost", "a unit cost of 0 to 100000000 (line %d)", i+1)
			}
			lines[i] = Line{ItemID: l.ItemID, Quantity: l.Quantity}
		}
		if err := checkLines(ctx, q, wh.MallID, lines); err != nil {
			return err
		}
		if err := q.InsertPurchaseOrder(ctx, queries.InsertPurchaseOrderParams{ID: id, GroupID: wh.GroupID,
			MallID: wh.MallID, WarehouseID: wh.ID, SupplierID: in.SupplierID, Note: in.Note,
			CreatedBy: access.Actor(ctx), CreatedAt: s.now()}); err != nil {
			return err
		}
		for i, l := range in.Lines {
			if err := q.InsertPOLine(ctx, queries.InsertPOLineParams{ID: service.NewID(), PoID: id, LineNo: int32(i + 1),
				ItemID: l.ItemID, Ordered: int32(l.Quantity), UnitCostFen: l.UnitCostFen}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return PurchaseOrder{}, err
	}
	return s.purchaseOrder(ctx, q0(s), id)
}

func q0(s *Service) *queries.Queries { return queries.New(s.db.Pool) }

// PurchaseOrder reads a purchase order (ADMIN or MEMBER_OPS of its mall, else NOT_FOUND).
func (s *Service) PurchaseOrder(ctx context.Context, id uuid.UUID) (PurchaseOrder, error) {
	po, err := q0(s).PurchaseOrder(ctx, id)
	if _, err := s.visible(ctx, po.MallID, err, "purchase order", manageRoles...); err != nil {
		return PurchaseOrder{}, err
	}
	return s.purchaseOrder(ctx, q0(s), id)
}

// PurchaseOrders lists a mall's latest 200 purchase orders, newest first (without lines).
func (s *Service) PurchaseOrders(ctx context.Context, mallID uuid.UUID) ([]PurchaseOrder, error) {
	p, err := s.mallFor(ctx, mallID, manageRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := q0(s).PurchaseOrdersOfMall(ctx, p.GroupID, mallID)
	out := make([]PurchaseOrder, len(rows))
	for i, r := range rows {
		out[i] = poOf(r)
	}
	return out, err
}

func poOf(r queries.WhPurchaseOrder) PurchaseOrder {
	return PurchaseOrder{ID: r.ID, MallID: r.MallID, WarehouseID: r.WarehouseID, SupplierID: r.SupplierID,
		Status: POStatus(r.Status), Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, ApprovedBy: r.ApprovedBy}
}

// purchaseOrder reads an order with its lines and receipts through q.
func (s *Service) purchaseOrder(ctx context.Context, q *queries.Queries, id uuid.UUID) (PurchaseOrder, error) {
	r, err := q.PurchaseOrder(ctx, id)
	if err != nil {
		return PurchaseOrder{}, err
	}
	po := poOf(r)
	lines, err := q.POLines(ctx, id)
	if err != nil {
		return po, err
	}
	ordered := map[uuid.UUID]queries.WhPoLine{}
	for _, l := range lines {
		ordered[l.ID] = l
		po.Lines = append(po.Lines, POLine{ID: l.ID, LineNo: int(l.LineNo), ItemID: l.ItemID, Ordered: int64(l.Ordered),
			Received: int64(l.Received), UnitCostFen: l.UnitCostFen})
	}
	recs, err := q.ReceiptLinesOfPO(ctx, id)
	for _, r := range recs {
		d := valuation.Receipt(int64(r.Due), 0, int64(r.Counted))
		po.Receipts = append(po.Receipts, ReceiptLine{ReceiptID: r.ReceiptID, POLineID: r.PoLineID, Due: int64(r.Due),
			Counted: int64(r.Counted), Short: d.Short, Over: d.Over, UnitCostFen: r.UnitCostFen,
			ReceivedBy: r.ReceivedBy, ReceivedAt: r.ReceivedAt})
	}
	return po, err
}

// transitionPO locks a purchase order, checks the caller runs its mall (NOT_FOUND
// otherwise) and fires ev; then runs fn (may be nil) in the same transaction.
func (s *Service) transitionPO(ctx context.Context, tx pgx.Tx, id uuid.UUID, ev POEvent) (queries.WhPurchaseOrder, POStatus, error) {
	q := queries.New(tx)
	po, err := q.LockPurchaseOrder(ctx, id)
	if _, err := s.visible(ctx, po.MallID, err, "purchase order", manageRoles...); err != nil {
		return po, "", err
	}
	next, err := poMachine.Next(ev, POStatus(po.Status))
	return po, next, err
}

// ApprovePurchaseOrder approves a draft order.
func (s *Service) ApprovePurchaseOrder(ctx context.Context, id uuid.UUID) (PurchaseOrder, error) {
	return s.firePO(ctx, id, POApprove)
}

// CancelPurchaseOrder cancels a draft or approved order (nothing received yet).
func (s *Service) CancelPurchaseOrder(ctx context.Context, id uuid.UUID) (PurchaseOrder, error) {
	return s.firePO(ctx, id, POCancel)
}

func (s *Service) firePO(ctx context.Context, id uuid.UUID, ev POEvent) (PurchaseOrder, error) {
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		_, next, err := s.transitionPO(ctx, tx, id, ev)
		if err != nil {
			return err
		}
		p := queries.SetPOStatusParams{ID: id, Status: string(next)}
		if ev == POApprove {
			by, at := access.Actor(ctx), s.now()
			p.ApprovedBy, p.ApprovedAt = &by, &at
		}
		return queries.New(tx).SetPOStatus(ctx, p)
	})
	if err != nil {
		return PurchaseOrder{}, err
	}
	return s.purchaseOrder(ctx, q0(s), id)
}

// ReceiveLine is a counted quantity of an item on the order; UnitCostFen overrides the
// order's unit cost (the invoice's).
type ReceiveLine struct {
	ItemID      uuid.UUID
	Counted     int64
	UnitCostFen *int64
}

// ReceiveInput is a stock-in (入库) against an approved purchase order.
type ReceiveInput struct {
	PurchaseOrderID uuid.UUID
	Lines           []ReceiveLine
	Key             string // idempotency key
}

// Receive records a stock-in against an approved or partially received order, once per
// idempotency key: each line's counted quantity goes into stock at its unit cost, and
// the receipt records how it differs from what was due (short or over). The order
// becomes RECEIVED once every line has received at least what it ordered.
func (s *Service) Receive(ctx context.Context, in ReceiveInput) (PurchaseOrder, error) {
	if len(in.Lines) == 0 || len(in.Lines) > 100 {
		return PurchaseOrder{}, errs.Invalid("input.lines", "1 to 100 lines")
	}
	seen := map[uuid.UUID]bool{}
	for i, l := range in.Lines {
		if l.Counted < 0 || l.Counted > 1_000_000 || seen[l.ItemID] {
			return PurchaseOrder{}, errs.Invalid("input.lines.counted", "a count of 0 to 1000000, each item once (line %d)", i+1)
		}
		if l.UnitCostFen != nil && (*l.UnitCostFen < 0 || *l.UnitCostFen > 100_000_000_00) {
			return PurchaseOrder{}, errs.Invalid("input.lines.unitCost", "a unit cost of 0 to 100000000 (line %d)", i+1)
		}
		seen[l.ItemID] = true
	}
	_, _, err := once.Do(ctx, s.db, once.Op[uuid.UUID]{Name: "warehouse.receive", Key: in.Key, Args: in,
		Run: func(ctx context.Context, tx pgx.Tx) (uuid.UUID, error) { return s.receiveTx(ctx, tx, in) }})
	if err != nil {
		return PurchaseOrder{}, err
	}
	return s.purchaseOrder(ctx, q0(s), in.PurchaseOrderID)
}

func (s *Service) receiveTx(ctx context.Context, tx pgx.Tx, in ReceiveInput) (uuid.UUID, error) {
	q := queries.New(tx)
	po, err := q.LockPurchaseOrder(ctx, in.PurchaseOrderID)
	if _, err := s.visible(ctx, po.MallID, err, "purchase order", manageRoles...); err != nil {
		return uuid.Nil, err
	}
	if !poMachine.Can(POReceivePart, POStatus(po.Status)) {
		_, err := poMachine.Next(POReceivePart, POStatus(po.Status))
		return uuid.Nil, err
	}
	wh, err := warehouseOf(ctx, tx, po.WarehouseID)
	if err != nil {
		return uuid.Nil, err
	}
	lines, err := q.POLines(ctx, po.ID)
	if err != nil {
		return uuid.Nil, err
	}
	byItem := map[uuid.UUID]*queries.WhPoLine{}
	for i := range lines {
		byItem[lines[i].ItemID] = &lines[i]
	}
	rec, by := service.NewID(), access.Actor(ctx)
	if err := q.InsertReceipt(ctx, queries.InsertReceiptParams{ID: rec, GroupID: po.GroupID, MallID: po.MallID,
		PoID: po.ID, ReceivedBy: by, ReceivedAt: s.now()}); err != nil {
		return rec, err
	}
	for _, l := range in.Lines {
		pl, ok := byItem[l.ItemID]
		if !ok {
			return rec, ErrNothingToReceive.At("input", "lines", "itemId")
		}
		cost := pl.UnitCostFen
		if l.UnitCostFen != nil {
			cost = *l.UnitCostFen
		}
		due := max(int64(pl.Ordered)-int64(pl.Received), 0)
		if err := q.InsertReceiptLine(ctx, queries.InsertReceiptLineParams{ReceiptID: rec, PoLineID: pl.ID,
			Due: int32(due), Counted: int32(l.Counted), UnitCostFen: cost}); err != nil {
			return rec, err
		}
		if l.Counted == 0 {
			continue
		}
		if err := q.AddReceived(ctx, int32(l.Counted), pl.ID); err != nil {
			return rec, err
		}
		pl.Received += int32(l.Counted)
		if _, err := s.apply(ctx, tx, move{wh: wh, item: l.ItemID, kind: KindReceipt, qty: l.Counted,
			valueFen: l.Counted * cost, ref: rec, key: "receipt:" + rec.String() + ":" + l.ItemID.String(), by: by}); err != nil {
			return rec, err
		}
	}
	vl := make([]valuation.Line, len(lines))
	for i, l := range lines {
		vl[i] = valuation.Line{Ordered: int64(l.Ordered), Received: int64(l.Received)}
	}
	ev := POReceivePart
	if valuation.FullyReceived(vl) {
		ev = POReceiveAll
	}
	next, err := poMachine.Next(ev, POStatus(po.Status))
	if err != nil {
		return rec, err
	}
	return rec, q.SetPOStatus(ctx, queries.SetPOStatusParams{ID: po.ID, Status: string(next)})
}
