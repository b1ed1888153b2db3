package warehouse

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

type fixture struct {
	ctx   context.Context
	db    *storage.DB
	svc   *Service
	world redemptiontest.World
	ops   context.Context // member ops of the mall
	ops2  context.Context // another member ops of the mall
	item  Item
	item2 Item
	wh    Warehouse
	wh2   Warehouse
	sup   Supplier
}

// setup builds a mall with two warehouses, a supplier and two items; in parallel.
func setup(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	b := servicetest.New(t, time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC))
	w := redemptiontest.NewWorld(t, b.DB)
	f := fixture{ctx: context.Background(), db: b.DB, world: w, svc: New(Deps{DB: b.DB, Org: b.Org, Now: b.Clock.Now}),
		ops: w.MallStaffAs(context.Background(), auth.RoleMemberOps), ops2: w.MallStaffAs(context.Background(), auth.RoleAdmin)}
	cat, err := f.svc.CreateCategory(f.ops, Category{MallID: w.MallID, Name: "Gifts"})
	must(t, err)
	code := "6901234567890"
	f.item, err = f.svc.CreateItem(f.ops, Item{MallID: w.MallID, CategoryID: cat.ID, Name: "Umbrella", Unit: "pc", Barcode: &code})
	must(t, err)
	f.item2, err = f.svc.CreateItem(f.ops, Item{MallID: w.MallID, CategoryID: cat.ID, Name: "Mug", Unit: "pc"})
	must(t, err)
	f.wh, err = f.svc.CreateWarehouse(f.ops, Warehouse{MallID: w.MallID, Code: "W1", Name: "Main"})
	must(t, err)
	f.wh2, err = f.svc.CreateWarehouse(f.ops, Warehouse{MallID: w.MallID, Code: "W2", Name: "Desk"})
	must(t, err)
	f.sup, err = f.svc.CreateSupplier(f.ops, Supplier{MallID: w.MallID, Name: "Acme", Phone: "13800138000"})
	must(t, err)
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// received stocks qty of item at cost fen in wh through an approved purchase order.
func (f fixture) received(t *testing.T, wh, item uuid.UUID, qty, cost int64) PurchaseOrder {
	t.Helper()
	po, err := f.svc.CreatePurchaseOrder(f.ops, POInput{WarehouseID: wh, SupplierID: f.sup.ID,
		Lines: []POLineInput{{ItemID: item, Quantity: qty, UnitCostFen: cost}}})
	must(t, err)
	_, err = f.svc.ApprovePurchaseOrder(f.ops, po.ID)
	must(t, err)
	po, err = f.svc.Receive(f.ops, ReceiveInput{PurchaseOrderID: po.ID, Key: service.NewID().String(),
		Lines: []ReceiveLine{{ItemID: item, Counted: qty}}})
	must(t, err)
	return po
}

func (f fixture) balance(t *testing.T, wh, item uuid.UUID) (int64, int64) {
	t.Helper()
	var q, v int64
	err := f.db.Pool.QueryRow(f.ctx, `SELECT COALESCE(sum(quantity), 0), COALESCE(sum(value_fen), 0) FROM wh_stock
		WHERE warehouse_id = $1 AND item_id = $2`, wh, item).Scan(&q, &v)
	must(t, err)
	return q, v
}

func (f fixture) verify(t *testing.T) {
	t.Helper()
	breaches, err := Verify(f.ctx, f.db)
	if err != nil || len(breaches) != 0 {
		t.Fatalf("verify: %v %v", breaches, err)
	}
}

func code(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Code
	}
	return ""
}

// TestPurchaseOrderLifecycle: draft → approved → partially received (short) → received
// (over); receipts record short and over; cancelling a received order is illegal; the
// stock enters at the receipts' unit costs.
func TestPurchaseOrderLifecycle(t *testing.T) {
	f := setup(t)
	po, err := f.svc.CreatePurchaseOrder(f.ops, POInput{WarehouseID: f.wh.ID, SupplierID: f.sup.ID,
		Lines: []POLineInput{{ItemID: f.item.ID, Quantity: 10, UnitCostFen: 1000}, {ItemID: f.item2.ID, Quantity: 5, UnitCostFen: 300}}})
	must(t, err)
	if po.Status != PODraft || len(po.Lines) != 2 {
		t.Fatalf("created %+v", po)
	}
	recv := ReceiveInput{PurchaseOrderID: po.ID, Key: "k1", Lines: []ReceiveLine{{ItemID: f.item.ID, Counted: 8}}}
	if _, err := f.svc.Receive(f.ops, recv); !errors.Is(err, ErrPOTransition) {
		t.Fatalf("receiving a draft: %v", err)
	}
	_, err = f.svc.ApprovePurchaseOrder(f.ops2, po.ID)
	must(t, err)
	po, err = f.svc.Receive(f.ops, recv)
	must(t, err)
	if po.Status != POPartiallyReceived || po.Receipts[0].Short != 2 || po.Lines[0].Received != 8 {
		t.Fatalf("short receipt: %+v", po)
	}
	if again, err := f.svc.Receive(f.ops, recv); err != nil || len(again.Receipts) != 1 {
		t.Fatalf("replayed receipt: %+v %v", again, err)
	}
	cost := int64(1100)
	po, err = f.svc.Receive(f.ops, ReceiveInput{PurchaseOrderID: po.ID, Key: "k2", Lines: []ReceiveLine{
		{ItemID: f.item.ID, Counted: 3, UnitCostFen: &cost}, {ItemID: f.item2.ID, Counted: 5}}})
	must(t, err)
	if po.Status != POReceived || po.Receipts[1].Over != 1 || po.Receipts[1].Due != 2 {
		t.Fatalf("over receipt: %+v", po)
	}
	if _, err := f.svc.CancelPurchaseOrder(f.ops, po.ID); !errors.Is(err, ErrPOTransition) {
		t.Fatalf("cancel a received order: %v", err)
	}
	if q, v := f.balance(t, f.wh.ID, f.item.ID); q != 11 || v != 8*1000+3*1100 {
		t.Fatalf("balance %d %d", q, v)
	}
	if _, err := f.svc.Receive(f.ops, ReceiveInput{PurchaseOrderID: po.ID, Key: "k3",
		Lines: []ReceiveLine{{ItemID: f.item.ID, Counted: 1}}}); !errors.Is(err, ErrPOTransition) {
		t.Fatalf("receive a received order: %v", err)
	}
	f.verify(t)
}

// TestPurchaseOrderInput: items, suppliers and warehouses of another mall and bad lines
// are refused, nothing written.
func TestPurchaseOrderInput(t *testing.T) {
	f := setup(t)
	cases := []struct {
		name string
		in   POInput
		code string
	}{
		{"no lines", POInput{WarehouseID: f.wh.ID, SupplierID: f.sup.ID}, "INVALID_INPUT"},
		{"zero quantity", POInput{WarehouseID: f.wh.ID, SupplierID: f.sup.ID,
			Lines: []POLineInput{{ItemID: f.item.ID, Quantity: 0}}}, "INVALID_INPUT"},
		{"negative cost", POInput{WarehouseID: f.wh.ID, SupplierID: f.sup.ID,
			Lines: []POLineInput{{ItemID: f.item.ID, Quantity: 1, UnitCostFen: -1}}}, "INVALID_INPUT"},
		{"an item twice", POInput{WarehouseID: f.wh.ID, SupplierID: f.sup.ID,
			Lines: []POLineInput{{ItemID: f.item.ID, Quantity: 1}, {ItemID: f.item.ID, Quantity: 1}}}, "INVALID_INPUT"},
		{"unknown item", POInput{WarehouseID: f.wh.ID, SupplierID: f.sup.ID,
			Lines: []POLineInput{{ItemID: uuid.New(), Quantity: 1}}}, "NOT_OF_THIS_MALL"},
		{"unknown supplier", POInput{WarehouseID: f.wh.ID, SupplierID: uuid.New(),
			Lines: []POLineInput{{ItemID: f.item.ID, Quantity: 1}}}, "NOT_OF_THIS_MALL"},
	}
	for _, c := range cases {
		if _, err := f.svc.CreatePurchaseOrder(f.ops, c.in); code(err) != c.code {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	var n int
	must(t, f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM wh_purchase_orders WHERE mall_id = $1`, f.world.MallID).Scan(&n))
	if n != 0 {
		t.Fatalf("%d orders written", n)
	}
}

// TestIssueAndTransfer: stock-out at moving average cost, OUT_OF_STOCK leaves
// everything as it was, a transfer moves quantity and value atomically, idempotent per key.
func TestIssueAndTransfer(t *testing.T) {
	f := setup(t)
	f.received(t, f.wh.ID, f.item.ID, 2, 1000)
	f.received(t, f.wh.ID, f.item.ID, 1, 1300) // 3 units, 3300 fen: average 1100
	iss, err := f.svc.Issue(f.ops, IssueInput{WarehouseID: f.wh.ID, Reason: "event", Key: "i1",
		Lines: []Line{{ItemID: f.item.ID, Quantity: 1}}})
	must(t, err)
	if mv := iss.Movements[0]; mv.Quantity != -1 || mv.ValueFen != -1100 || mv.Balance != 2 || mv.BalanceFen != 2200 {
		t.Fatalf("issue: %+v", mv)
	}
	if again, err := f.svc.Issue(f.ops, IssueInput{WarehouseID: f.wh.ID, Reason: "event", Key: "i1",
		Lines: []Line{{ItemID: f.item.ID, Quantity: 1}}}); err != nil || again.ID != iss.ID {
		t.Fatalf("replay: %+v %v", again, err)
	}
	_, err = f.svc.Issue(f.ops, IssueInput{WarehouseID: f.wh.ID, Reason: "damaged", Key: "i2",
		Lines: []Line{{ItemID: f.item.ID, Quantity: 3}}})
	if !errors.Is(err, ErrOutOfStock) {
		t.Fatalf("over-issue: %v", err)
	}
	if _, err := f.svc.Issue(f.ops, IssueInput{WarehouseID: f.wh.ID, Reason: "because", Key: "i3",
		Lines: []Line{{ItemID: f.item.ID, Quantity: 1}}}); code(err) != "INVALID_INPUT" {
		t.Fatalf("bad reason: %v", err)
	}
	tr, err := f.svc.Transfer(f.ops, TransferInput{FromWarehouseID: f.wh.ID, ToWarehouseID: f.wh2.ID, Key: "t1",
		Lines: []Line{{ItemID: f.item.ID, Quantity: 2}}})
	must(t, err)
	if len(tr.Movements) != 2 {
		t.Fatalf("transfer: %+v", tr)
	}
	if q, v := f.balance(t, f.wh.ID, f.item.ID); q != 0 || v != 0 {
		t.Fatalf("source %d %d", q, v)
	}
	if q, v := f.balance(t, f.wh2.ID, f.item.ID); q != 2 || v != 2200 {
		t.Fatalf("destination %d %d", q, v)
	}
	if _, err := f.svc.Transfer(f.ops, TransferInput{FromWarehouseID: f.wh.ID, ToWarehouseID: f.wh2.ID, Key: "t2",
		Lines: []Line{{ItemID: f.item.ID, Quantity: 1}}}); !errors.Is(err, ErrOutOfStock) {
		t.Fatalf("transfer from empty: %v", err)
	}
	if q, _ := f.balance(t, f.wh2.ID, f.item.ID); q != 2 {
		t.Fatalf("half a transfer: %d", q)
	}
	mv, err := f.svc.Movements(f.ops, f.wh.ID, f.item.ID, 10, 0)
	if err != nil || len(mv) != 4 || mv[0].Kind != KindTransferOut || mv[0].Seq != 4 {
		t.Fatalf("ledger: %+v %v", mv, err)
	}
	f.verify(t)
}

// TestConcurrentIssuesNeverNegative: 30 stock-outs of one unit at once from 10 in
// stock: 10 succeed, the balance ends at 0 and the running balances chain.
func TestConcurrentIssuesNeverNegative(t *testing.T) {
	f := setup(t)
	f.received(t, f.wh.ID, f.item.ID, 10, 333)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 30 {
		wg.Go(func() {
			_, err := f.svc.Issue(f.ops, IssueInput{WarehouseID: f.wh.ID, Reason: "event", Key: uuid.NewString(),
				Lines: []Line{{ItemID: f.item.ID, Quantity: 1}}})
			switch {
			case err == nil:
				mu.Lock()
				won++
				mu.Unlock()
			case !errors.Is(err, ErrOutOfStock):
				t.Errorf("issue %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if q, v := f.balance(t, f.wh.ID, f.item.ID); won != 10 || q != 0 || v != 0 {
		t.Fatalf("won %d, left %d (%d fen)", won, q, v)
	}
	f.verify(t)
}

// TestStocktake: counts record the book quantity; the submitter cannot approve;
// approval by a second person applies the surplus and the loss; a rejected stocktake
// changes nothing; a loss larger than the stock left is refused.
func TestStocktake(t *testing.T) {
	f := setup(t)
	f.received(t, f.wh.ID, f.item.ID, 10, 200)
	f.received(t, f.wh.ID, f.item2.ID, 4, 500)
	st, err := f.svc.StartStocktake(f.ops, f.wh.ID)
	must(t, err)
	st, err = f.svc.RecordCounts(f.ops, st.ID, []Count{{ItemID: f.item.ID, Counted: 7}, {ItemID: f.item2.ID, Counted: 5}})
	must(t, err)
	if len(st.Lines) != 2 || st.Lines[1].Difference() != -3 || st.Lines[0].Difference() != 1 {
		t.Fatalf("counts: %+v", st.Lines)
	}
	if _, err := f.svc.ApproveStocktake(f.ops, st.ID); !errors.Is(err, ErrStocktakeState) {
		t.Fatalf("approve while counting: %v", err)
	}
	_, err = f.svc.SubmitStocktake(f.ops, st.ID)
	must(t, err)
	if _, err := f.svc.RecordCounts(f.ops, st.ID, []Count{{ItemID: f.item.ID, Counted: 1}}); !errors.Is(err, ErrStocktakeState) {
		t.Fatalf("count after submit: %v", err)
	}
	if _, err := f.svc.ApproveStocktake(f.ops, st.ID); !errors.Is(err, ErrSecondPerson) {
		t.Fatalf("self-approval: %v", err)
	}
	if q, _ := f.balance(t, f.wh.ID, f.item.ID); q != 10 {
		t.Fatalf("adjusted before approval: %d", q)
	}
	st, err = f.svc.ApproveStocktake(f.ops2, st.ID)
	must(t, err)
	if st.Status != StocktakeApproved {
		t.Fatalf("approved: %+v", st)
	}
	if q, v := f.balance(t, f.wh.ID, f.item.ID); q != 7 || v != 1400 {
		t.Fatalf("loss applied: %d %d", q, v)
	}
	if q, v := f.balance(t, f.wh.ID, f.item2.ID); q != 5 || v != 2500 {
		t.Fatalf("surplus applied: %d %d", q, v)
	}
	if _, err := f.svc.ApproveStocktake(f.ops2, st.ID); !errors.Is(err, ErrStocktakeState) {
		t.Fatalf("second approval: %v", err)
	}

	// The stock moves after the count: the loss found (7 → 0) exceeds the 2 left.
	st2, err := f.svc.StartStocktake(f.ops, f.wh.ID)
	must(t, err)
	_, err = f.svc.RecordCounts(f.ops, st2.ID, []Count{{ItemID: f.item.ID, Counted: 0}})
	must(t, err)
	_, err = f.svc.Issue(f.ops, IssueInput{WarehouseID: f.wh.ID, Reason: "event", Key: "i1",
		Lines: []Line{{ItemID: f.item.ID, Quantity: 5}}})
	must(t, err)
	_, err = f.svc.SubmitStocktake(f.ops, st2.ID)
	must(t, err)
	if _, err := f.svc.ApproveStocktake(f.ops2, st2.ID); !errors.Is(err, ErrStocktakeNegative) {
		t.Fatalf("stale loss: %v", err)
	}
	if st2, err = f.svc.RejectStocktake(f.ops2, st2.ID); err != nil || st2.Status != StocktakeRejected {
		t.Fatalf("reject: %+v %v", st2, err)
	}
	if q, _ := f.balance(t, f.wh.ID, f.item.ID); q != 2 {
		t.Fatalf("after reject: %d", q)
	}
	f.verify(t)
}

// TestVerifyFindsTampering: a balance changed behind the ledger's back is a breach.
func TestVerifyFindsTampering(t *testing.T) {
	f := setup(t)
	f.received(t, f.wh.ID, f.item.ID, 3, 100)
	f.verify(t)
	if _, err := f.db.Pool.Exec(f.ctx, `UPDATE wh_stock SET quantity = quantity + 1 WHERE warehouse_id = $1`, f.wh.ID); err != nil {
		t.Fatal(err)
	}
	breaches, err := Verify(f.ctx, f.db)
	if err != nil || len(breaches) == 0 {
		t.Fatalf("tampered balance not found: %v", err)
	}
}

// TestAccess: another mall's staff, a wrong role, a shopper and merchant staff get
// nothing from the service (the GraphQL test covers every operation).
func TestAccess(t *testing.T) {
	f := setup(t)
	callers := map[string]context.Context{
		"member ops of another mall": auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
			Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: f.world.OtherMallID}}}),
		"security of the mall": f.world.MallStaffAs(f.ctx, auth.RoleSecurity),
		"shopper":              redemptiontest.Shopper(f.ctx, uuid.New()),
		"merchant staff":       redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA),
	}
	for who, ctx := range callers {
		if _, err := f.svc.Items(ctx, f.world.MallID); err == nil {
			t.Errorf("%s read items", who)
		}
		if _, err := f.svc.Issue(ctx, IssueInput{WarehouseID: f.wh.ID, Reason: "event", Key: "x",
			Lines: []Line{{ItemID: f.item.ID, Quantity: 1}}}); err == nil || errors.Is(err, ErrOutOfStock) {
			t.Errorf("%s issued: %v", who, err)
		}
		if _, err := f.svc.StockOf(ctx, f.wh.ID); err == nil {
			t.Errorf("%s read stock", who)
		}
	}
	if _, err := f.svc.Valuation(f.world.MallStaffAs(f.ctx, auth.RoleFinance), f.world.MallID); err != nil {
		t.Errorf("finance reads valuation: %v", err)
	}
	if _, err := f.svc.CreateItem(f.world.MallStaffAs(f.ctx, auth.RoleFinance), Item{MallID: f.world.MallID}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("finance creates items: %v", err)
	}
}
