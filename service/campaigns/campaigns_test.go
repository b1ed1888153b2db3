package campaigns

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/service/warehouse"
	"github.com/atrium-mall/atrium/storage"
)

type fixture struct {
	stock   *warehouse.Service
	ctx     context.Context
	db      *storage.DB
	svc     *Service
	coupons *coupons.Service
	ledger  *ledger.Service
	clock   *redemptiontest.Clock
	world   redemptiontest.World
	staff   context.Context
}

// setup builds the test's fixture; the test runs in parallel.
func setup(t *testing.T, random func() float64) fixture {
	t.Helper()
	t.Parallel()
	b := servicetest.New(t, time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC)) // 10:00 in Shanghai
	cp := coupons.New(coupons.Deps{DB: b.DB, Redis: b.Redis, Org: b.Org, Codes: b.Codes, Now: b.Clock.Now})
	w := redemptiontest.NewWorld(t, b.DB)
	if random == nil {
		random = CryptoRandom
	}
	wh := warehouse.New(warehouse.Deps{DB: b.DB, Org: b.Org, Now: b.Clock.Now})
	return fixture{ctx: context.Background(), db: b.DB, coupons: cp, ledger: b.Ledger, clock: b.Clock, world: w, stock: wh,
		svc: New(Deps{DB: b.DB, Org: b.Org, Coupons: cp, Ledger: b.Ledger, Stock: wh, Now: b.Clock.Now,
			Random: random}),
		staff: w.MallStaffAs(context.Background(), "member_ops")}
}

// member registers a member with a card and returns both.
func (f fixture) member(t *testing.T) (uuid.UUID, uuid.UUID) {
	t.Helper()
	m := f.world.Member(t, f.db)
	return m, f.world.Card(t, m)
}

func (f fixture) points(t *testing.T, card uuid.UUID) int64 {
	t.Helper()
	b, err := f.ledger.CardBalances(f.ctx, card)
	if err != nil {
		t.Fatal(err)
	}
	return b.Points.IntPart()
}

func (f fixture) couponTemplate(t *testing.T, stock int) uuid.UUID {
	t.Helper()
	tpl, err := f.coupons.CreateTemplate(f.staff, coupons.TemplateInput{MallID: f.world.MallID, Name: "gift",
		Kind: coupons.KindGift, FaceValue: decimal.NewFromInt(20), ValidDays: 30, TotalStock: stock, PerMember: 100})
	if err == nil {
		_, err = f.coupons.SetStatus(f.staff, tpl.ID, "active")
	}
	if err != nil {
		t.Fatal(err)
	}
	return tpl.ID
}

func TestSignInStreaks(t *testing.T) {
	f := setup(t, nil)
	tpl := f.couponTemplate(t, 10)
	c, err := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: f.world.MallID, Name: "Daily", DailyPoints: 5,
		Rewards: []StreakReward{{Day: 3, Points: 20, TemplateID: &tpl}}})
	if err != nil {
		t.Fatal(err)
	}
	m, card := f.member(t)
	ctx := redemptiontest.Shopper(f.ctx, m)
	var streaks []int
	for day := range 4 {
		if day == 3 {
			f.clock.Add(24 * time.Hour) // skip a day: the streak breaks
		}
		in, err := f.svc.SignIn(ctx, c.ID)
		if err != nil {
			t.Fatalf("day %d: %v", day, err)
		}
		if _, err := f.svc.SignIn(ctx, c.ID); !errors.Is(err, ErrAlreadySignedIn) {
			t.Fatalf("second sign-in the same day: %v", err)
		}
		if (in.CouponID != nil) != (in.Streak == 3) {
			t.Fatalf("day %d streak %d coupon %v", day, in.Streak, in.CouponID)
		}
		streaks = append(streaks, in.Streak)
		f.clock.Add(24 * time.Hour)
	}
	if want := []int{1, 2, 3, 1}; !slices.Equal(streaks, want) {
		t.Fatalf("streaks %v, want %v", streaks, want)
	}
	if got := f.points(t, card); got != 5*4+20 {
		t.Fatalf("points %d, want 40", got)
	}
}

func TestLotteryNeverExceedsStock(t *testing.T) {
	f := setup(t, func() float64 { return 0.1 }) // always the first prize's interval
	tpl := f.couponTemplate(t, 100)
	l, err := f.svc.CreateLottery(f.staff, Lottery{MallID: f.world.MallID, Name: "Spring draw", CostPoints: 0,
		Prizes: []Prize{{Name: "Voucher", Odds: decimal.RequireFromString("0.5"), Stock: 5, TemplateID: &tpl}}})
	if err != nil {
		t.Fatal(err)
	}
	var won, lost atomic.Int32
	var wg sync.WaitGroup
	for range 60 {
		m := f.world.Member(t, f.db)
		wg.Go(func() {
			d, err := f.svc.DrawLottery(redemptiontest.Shopper(f.ctx, m), l.ID, "draw-1")
			switch {
			case err != nil:
				t.Errorf("draw: %v", err)
			case d.Prize != nil && d.CouponID != nil:
				won.Add(1)
			default:
				lost.Add(1)
			}
		})
	}
	wg.Wait()
	var prizeWon, draws, issued int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT won, (SELECT count(*) FROM lottery_draws WHERE prize_id = p.id),
		(SELECT count(*) FROM coupons WHERE template_id = $2) FROM lottery_prizes p WHERE p.id = $1`,
		l.Prizes[0].ID, tpl).Scan(&prizeWon, &draws, &issued)
	if won.Load() != 5 || lost.Load() != 55 || prizeWon != 5 || draws != 5 || issued != 5 {
		t.Fatalf("won=%d lost=%d prize.won=%d draws=%d coupons=%d", won.Load(), lost.Load(), prizeWon, draws, issued)
	}
}

func TestLotteryOddsAndCost(t *testing.T) {
	f := setup(t, func() float64 { return 0.7 }) // outside the 0.5 of prizes
	l, err := f.svc.CreateLottery(f.staff, Lottery{MallID: f.world.MallID, Name: "Draw", CostPoints: 10,
		Prizes: []Prize{{Name: "Points", Odds: decimal.RequireFromString("0.5"), Stock: 5, Points: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := f.member(t)
	if _, err := f.svc.DrawLottery(redemptiontest.Shopper(f.ctx, m), l.ID, "d1"); !errors.Is(err, ledger.ErrInsufficientPoint) {
		t.Fatalf("draw without points: %v", err)
	}
	if _, err := f.svc.CreateLottery(f.staff, Lottery{MallID: f.world.MallID, Name: "Bad",
		Prizes: []Prize{{Name: "a", Odds: decimal.RequireFromString("0.6"), Stock: 1},
			{Name: "b", Odds: decimal.RequireFromString("0.6"), Stock: 1}}}); err == nil {
		t.Fatal("odds above 1 accepted")
	}
	if p := pick([]Prize{{Odds: decimal.RequireFromString("0.2")}, {Odds: decimal.RequireFromString("0.3")}}, 0.45); p == nil ||
		!p.Odds.Equal(decimal.RequireFromString("0.3")) {
		t.Fatalf("pick 0.45: %+v", p)
	}
}

func TestGiftExchange(t *testing.T) {
	f := setup(t, nil)
	signin, _ := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: f.world.MallID, Name: "D", DailyPoints: 50})
	tpl := f.couponTemplate(t, 10)
	g, err := f.svc.CreateGift(f.staff, Gift{MallID: f.world.MallID, Name: "Umbrella", PointsCost: 30, Stock: 1,
		TemplateID: &tpl})
	if err != nil {
		t.Fatal(err)
	}
	m, card := f.member(t)
	ctx := redemptiontest.Shopper(f.ctx, m)
	if _, err := f.svc.SignIn(ctx, signin.ID); err != nil {
		t.Fatal(err)
	}
	e, err := f.svc.ExchangeGift(ctx, g.ID, "x1")
	if err != nil || e.CouponID == nil || f.points(t, card) != 20 {
		t.Fatalf("exchange: %+v %v points %d", e, err, f.points(t, card))
	}
	if again, err := f.svc.ExchangeGift(ctx, g.ID, "x1"); err != nil || again.ID != e.ID || f.points(t, card) != 20 {
		t.Fatalf("replay: %+v %v", again, err)
	}
	if _, err := f.svc.ExchangeGift(ctx, g.ID, "x2"); !errors.Is(err, ErrGiftSoldOut) {
		t.Fatalf("out of stock: %v", err)
	}
}

// stockedGift stocks qty units of a new item in a new warehouse of the world's mall
// (a purchase order received in full) and returns warehouse and item.
func (f fixture) stockedGift(t *testing.T, qty int64) (uuid.UUID, uuid.UUID) {
	t.Helper()
	mall := f.world.MallID
	cat, err := f.stock.CreateCategory(f.staff, warehouse.Category{MallID: mall, Name: "Gifts"})
	if err != nil {
		t.Fatal(err)
	}
	it, err := f.stock.CreateItem(f.staff, warehouse.Item{MallID: mall, CategoryID: cat.ID, Name: "Umbrella", Unit: "pc"})
	if err != nil {
		t.Fatal(err)
	}
	wh, err := f.stock.CreateWarehouse(f.staff, warehouse.Warehouse{MallID: mall, Code: "W1", Name: "Gift store"})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := f.stock.CreateSupplier(f.staff, warehouse.Supplier{MallID: mall, Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	po, err := f.stock.CreatePurchaseOrder(f.staff, warehouse.POInput{WarehouseID: wh.ID, SupplierID: sp.ID,
		Lines: []warehouse.POLineInput{{ItemID: it.ID, Quantity: qty, UnitCostFen: 1250}}})
	if err == nil {
		_, err = f.stock.ApprovePurchaseOrder(f.staff, po.ID)
	}
	if err == nil {
		_, err = f.stock.Receive(f.staff, warehouse.ReceiveInput{PurchaseOrderID: po.ID, Key: "r1",
			Lines: []warehouse.ReceiveLine{{ItemID: it.ID, Counted: qty}}})
	}
	if err != nil {
		t.Fatal(err)
	}
	return wh.ID, it.ID
}

// TestStockedGiftConcurrentExchanges (issue 15 acceptance): 100 members exchange at
// once a gift stocked in a warehouse with 10 units: exactly 10 succeed, the others get
// GIFT_SOLD_OUT, points leave only the 10 winners' cards, the warehouse ends at 0
// (never below: its CHECKs), and the stock ledger verifies.
func TestStockedGiftConcurrentExchanges(t *testing.T) {
	f := setup(t, nil)
	whID, itemID := f.stockedGift(t, 10)
	g, err := f.svc.CreateGift(f.staff, Gift{MallID: f.world.MallID, Name: "Umbrella", PointsCost: 30, Stock: 999,
		WarehouseID: &whID, ItemID: &itemID})
	if err != nil || g.Stock != 10 || g.Exchanged != 0 {
		t.Fatalf("create: %+v %v", g, err)
	}
	const n = 100
	members, cards := make([]uuid.UUID, n), make([]uuid.UUID, n)
	for i := range n {
		members[i], cards[i] = f.member(t)
		if err := f.db.InTx(f.ctx, func(tx pgx.Tx) error {
			return f.svc.awardPointsTx(f.ctx, tx, members[i], 50, "test", "seed:"+members[i].String())
		}); err != nil {
			t.Fatal(err)
		}
	}
	var won, soldOut atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := f.svc.ExchangeGift(redemptiontest.Shopper(f.ctx, members[i]), g.ID, "ex-1")
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, ErrGiftSoldOut):
				soldOut.Add(1)
			default:
				t.Errorf("exchange: %v", err)
			}
		})
	}
	wg.Wait()
	if won.Load() != 10 || soldOut.Load() != n-10 {
		t.Fatalf("won %d, sold out %d", won.Load(), soldOut.Load())
	}
	var spent, untouched int
	for _, c := range cards {
		switch f.points(t, c) {
		case 20:
			spent++
		case 50:
			untouched++
		}
	}
	if spent != 10 || untouched != n-10 {
		t.Fatalf("cards charged %d, untouched %d", spent, untouched)
	}
	var qty, value, issues, exchanges int
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT quantity, value_fen,
		(SELECT count(*) FROM wh_movements WHERE warehouse_id = $1 AND kind = 'issue'),
		(SELECT count(*) FROM gift_exchanges WHERE gift_id = $3)
		FROM wh_stock WHERE warehouse_id = $1 AND item_id = $2`, whID, itemID, g.ID).Scan(&qty, &value, &issues,
		&exchanges); err != nil || qty != 0 || value != 0 || issues != 10 || exchanges != 10 {
		t.Fatalf("stock %d (%d fen), issues %d, exchanges %d: %v", qty, value, issues, exchanges, err)
	}
	if breaches, err := warehouse.Verify(f.ctx, f.db); err != nil || len(breaches) != 0 {
		t.Fatalf("verify: %v %v", breaches, err)
	}
	gifts, err := f.svc.Gifts(f.staff, f.world.MallID)
	if err != nil || len(gifts) != 1 || gifts[0].Stock != 10 || gifts[0].Exchanged != 10 {
		t.Fatalf("gifts: %+v %v", gifts, err)
	}
}

// TestStockedGiftOfAnotherMall: a gift cannot draw on another mall's warehouse.
func TestStockedGiftOfAnotherMall(t *testing.T) {
	f := setup(t, nil)
	whID, itemID := f.stockedGift(t, 1)
	otherOps := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: f.world.OtherMallID}}})
	if _, err := f.svc.CreateGift(otherOps, Gift{MallID: f.world.OtherMallID, Name: "Umbrella", PointsCost: 30,
		WarehouseID: &whID, ItemID: &itemID}); !errors.Is(err, warehouse.ErrWrongMall) {
		t.Fatalf("linked a gift of another mall: %v", err)
	}
	if _, err := f.svc.CreateGift(f.staff, Gift{MallID: f.world.MallID, Name: "Umbrella", PointsCost: 30,
		WarehouseID: &whID}); err == nil {
		t.Fatal("a warehouse without an item")
	}
}
