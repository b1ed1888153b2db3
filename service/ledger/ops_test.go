package ledger_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/page"
)

func TestPostingRules(t *testing.T) {
	b := setup(t)
	card := b.card()
	bad := []ledger.Posting{
		{GroupID: b.org.GroupID, Kind: "x", Key: "k1", Legs: []ledger.Leg{{Account: ledger.Card(card, ledger.CNY), Amount: d("1")}}},
		{GroupID: b.org.GroupID, Kind: "x", Key: "k2", Legs: []ledger.Leg{
			{Account: ledger.Card(card, ledger.CNY), Amount: d("1")},
			{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: d("-0.99")}}},
		{GroupID: b.org.GroupID, Kind: "x", Key: "k3", Legs: []ledger.Leg{
			{Account: ledger.Card(card, ledger.CNY), Amount: d("1.001")},
			{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: d("-1.001")}}},
		{GroupID: b.org.GroupID, Kind: "x", Key: "k4", Legs: []ledger.Leg{
			{Account: ledger.Card(card, ledger.CNY), Amount: d("1")},
			{Account: ledger.System(ledger.KindOutside, ledger.Points), Amount: d("-1")}}},
	}
	for _, p := range bad {
		err := b.tx(func(tx pgx.Tx) error { _, err := b.l.PostTx(ctxb(), tx, p); return err }, card)
		if !errors.Is(err, ledger.ErrUnbalanced) {
			t.Errorf("%s: err = %v, want ErrUnbalanced", p.Key, err)
		}
	}
	if err := b.recharge(card, "10"); err != nil {
		t.Fatal(err)
	}
	err := b.tx(func(tx pgx.Tx) error {
		_, err := b.l.PostTx(ctxb(), tx, ledger.Posting{GroupID: b.org.GroupID, Kind: "pay", Key: "overdraw",
			Legs: []ledger.Leg{{Account: ledger.Card(card, ledger.CNY), Amount: d("-10.01")},
				{Account: ledger.Merchant(b.org.MerchantID), Amount: d("10.01")}}})
		return err
	}, card)
	if !errors.Is(err, ledger.ErrInsufficient) {
		t.Errorf("overdraw: err = %v, want ErrInsufficient", err)
	}
	if _, err := b.db.Pool.Exec(ctxb(), `UPDATE ledger_entries SET amount = amount * 2`); err == nil {
		t.Error("entries were updated; they must be immutable")
	}
	if _, err := b.db.Pool.Exec(ctxb(), `DELETE FROM ledger_postings`); err == nil {
		t.Error("postings were deleted; they must be immutable")
	}
	eq(t, "stored value", b.bal(card).StoredValue, "10")
	b.verify()
}

func TestVerifyFindsTampering(t *testing.T) {
	b := setup(t)
	card := b.card()
	b.earn(card, "100", b.clock.Now(), endOf(day(2027, 3, 10)))
	if _, err := b.db.Pool.Exec(ctxb(), `UPDATE ledger_accounts SET balance = balance + 1 WHERE owner_id = $1 AND asset = 'points' AND kind = 'card'`, card); err != nil {
		t.Fatal(err)
	}
	breaches, err := b.l.Verify(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	if len(breaches) < 2 { // balance vs entries, and lots vs balance
		t.Errorf("breaches = %v, want the balance and lot checks to fail", breaches)
	}
}

// Spending takes the earliest-expiring lots first, and the expiry job expires a lot
// exactly at the end of its business day in the mall's time zone.
func TestSpendOrderAndExpiryBoundary(t *testing.T) {
	b := setup(t)
	card := b.card()
	now := b.clock.Now()
	late := b.earn(card, "100", now, endOf(day(2026, 6, 30)))
	early := b.earn(card, "50", now, endOf(day(2026, 4, 30)))
	mid := b.earn(card, "30", now, endOf(day(2026, 5, 31)))
	pieces, err := b.spend(card, "60")
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) != 2 || pieces[0].LotID != early.LotID || !pieces[0].Amount.Equal(d("50")) ||
		pieces[1].LotID != mid.LotID || !pieces[1].Amount.Equal(d("10")) {
		t.Fatalf("pieces = %+v, want 50 from the April lot then 10 from the May lot", pieces)
	}
	// 2026-05-31 23:59:59 Shanghai: the May lot still lives.
	if n, _ := b.l.ExpireLots(ctxb(), endOf(day(2026, 5, 31)).Add(-time.Second)); !n.IsZero() {
		t.Fatalf("expired %s before the end of the business day", n)
	}
	// 2026-06-01 00:00 Shanghai (= 2026-05-31 16:00 UTC): it expires, and only it.
	n, err := b.l.ExpireLots(ctxb(), endOf(day(2026, 5, 31)).UTC())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "expired", n, "20")
	eq(t, "points", b.bal(card).Points, "100")
	lots := must(b.l.Lots(ctxb(), card))
	if len(lots) != 1 || lots[0].ID != late.LotID {
		t.Errorf("lots = %+v, want only the June lot", lots)
	}
	b.verify()
}

func TestPendingRelease(t *testing.T) {
	b := setup(t)
	card := b.card()
	now := b.clock.Now()
	e := b.earn(card, "40", now.Add(7*24*time.Hour), endOf(day(2027, 3, 10)))
	if !e.Pending {
		t.Fatal("want a pending lot")
	}
	if _, err := b.spend(card, "1"); !errors.Is(err, ledger.ErrInsufficientPoint) {
		t.Fatalf("spending pending points: err = %v", err)
	}
	if n, _ := b.l.ReleasePending(ctxb(), now.Add(24*time.Hour)); !n.IsZero() {
		t.Fatal("released too early")
	}
	eq(t, "released", must(b.l.ReleasePending(ctxb(), now.Add(7*24*time.Hour))), "40")
	got := b.bal(card)
	eq(t, "points", got.Points, "40")
	eq(t, "pending", got.PendingPoints, "0")
	b.verify()
}

// A claw-back of points already spent takes other lots, then leaves a debt that the
// next earning pays off.
func TestClawbackDebt(t *testing.T) {
	b := setup(t)
	card := b.card()
	now := b.clock.Now()
	e := b.earn(card, "100", now, endOf(day(2027, 3, 10)))
	b.earn(card, "30", now, endOf(day(2027, 1, 10)))
	if _, err := b.spend(card, "120"); err != nil {
		t.Fatal(err)
	}
	err := b.tx(func(tx pgx.Tx) error {
		_, err := b.l.ClawbackTx(ctxb(), tx, ledger.Clawback{GroupID: b.org.GroupID, CardID: card, Points: d("100"),
			LotID: e.LotID, Key: keyed("claw")})
		return err
	}, card)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "points after claw-back", b.bal(card).Points, "-90")
	b.verify()
	b.earn(card, "50", now, endOf(day(2027, 3, 10)))
	eq(t, "points after earning", b.bal(card).Points, "-40")
	b.earn(card, "70", now, endOf(day(2027, 3, 10)))
	eq(t, "points", b.bal(card).Points, "30")
	if lots := must(b.l.Lots(ctxb(), card)); len(lots) != 1 || !lots[0].Remaining.Equal(d("30")) {
		t.Errorf("lots = %+v, want one lot with 30 left", lots)
	}
	b.verify()
}

func TestMoveCard(t *testing.T) {
	b := setup(t)
	from, to := b.card(), b.card()
	now := b.clock.Now()
	if err := b.recharge(from, "88.80"); err != nil {
		t.Fatal(err)
	}
	b.earn(from, "10", now, endOf(day(2026, 4, 1)))
	b.earn(from, "20", now, endOf(day(2026, 9, 1)))
	b.earn(from, "5", now.Add(time.Hour), endOf(day(2026, 9, 1)))
	move := func() error {
		return b.db.InTx(ctxb(), func(tx pgx.Tx) error { return b.l.MoveCardTx(ctxb(), tx, from, to, "reissue-1") })
	}
	if err := move(); err != nil {
		t.Fatal(err)
	}
	if err := move(); err != nil { // a repeat moves nothing more
		t.Fatal(err)
	}
	other := b.card()
	err := b.db.InTx(ctxb(), func(tx pgx.Tx) error { return b.l.MoveCardTx(ctxb(), tx, to, other, "reissue-1") })
	if !errors.Is(err, errs.ErrIdempotencyKey) {
		t.Errorf("key reused for other cards: err = %v", err)
	}
	got, old := b.bal(to), b.bal(from)
	eq(t, "new stored value", got.StoredValue, "88.80")
	eq(t, "new points", got.Points, "30")
	eq(t, "new pending", got.PendingPoints, "5")
	eq(t, "old stored value", old.StoredValue, "0")
	eq(t, "old points", old.Points, "0")
	lots := must(b.l.Lots(ctxb(), to))
	if len(lots) != 3 || !lots[0].ExpiresAt.Equal(endOf(day(2026, 4, 1))) || !lots[2].ExpiresAt.Equal(endOf(day(2026, 9, 1))) {
		t.Errorf("lots = %+v, want the original expiries", lots)
	}
	if lots := must(b.l.Lots(ctxb(), from)); len(lots) != 0 {
		t.Errorf("old card still has lots %+v", lots)
	}
	b.verify()
}

func TestRefundCard(t *testing.T) {
	b := setup(t)
	card := b.card()
	if err := b.recharge(card, "50.5"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		amount := d("0")
		err := b.db.InTx(ctxb(), func(tx pgx.Tx) error {
			var err error
			amount, err = b.l.RefundCardTx(ctxb(), tx, card, "cancel-1")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "refunded", amount, "50.5")
	}
	eq(t, "stored value", b.bal(card).StoredValue, "0")
	b.verify()
}

// Many goroutines spending from one card never overdraw it.
func TestConcurrentSpendNeverOverdraws(t *testing.T) {
	b := setup(t)
	card := b.card()
	b.earn(card, "100", b.clock.Now(), endOf(day(2027, 1, 1)))
	var ok atomic.Int64
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			_, err := b.spend(card, "7")
			switch {
			case err == nil:
				ok.Add(1)
			case !errors.Is(err, ledger.ErrInsufficientPoint):
				t.Errorf("spend: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 14 {
		t.Errorf("%d spends succeeded, want 14", ok.Load())
	}
	eq(t, "points", b.bal(card).Points, "2")
	b.verify()
}

func TestHistory(t *testing.T) {
	b := setup(t)
	card := b.card()
	for _, a := range []string{"1", "2", "3"} {
		if err := b.recharge(card, a); err != nil {
			t.Fatal(err)
		}
	}
	first, err := b.l.History(ctxb(), card, page.Request{First: 2})
	if err != nil || len(first.Items) != 2 || !first.HasNext || !first.Items[0].StoredValue.Equal(d("3")) {
		t.Fatalf("first page %+v, %v", first, err)
	}
	rest, err := b.l.History(ctxb(), card, page.Request{First: 2, After: first.Items[1].PostingID})
	if err != nil || len(rest.Items) != 1 || rest.HasNext || !rest.Items[0].StoredValue.Equal(d("1")) {
		t.Fatalf("second page %+v, %v", rest, err)
	}
}

// TestCardsBalanceTx: the balance of one asset on each card, zero for a card that never
// held it (the choice of a member's paying card and the stored-value cap read it).
func TestCardsBalanceTx(t *testing.T) {
	b := setup(t)
	full, empty := b.card(), b.card()
	if err := b.recharge(full, "12.34"); err != nil {
		t.Fatal(err)
	}
	err := b.tx(func(tx pgx.Tx) error {
		got, err := ledger.CardsBalanceTx(ctxb(), tx, ledger.CNY, full, empty)
		if err != nil {
			return err
		}
		eq(t, "stored value of the recharged card", got[full], "12.34")
		eq(t, "stored value of the empty card", got[empty], "0")
		pts, err := ledger.CardsBalanceTx(ctxb(), tx, ledger.Points, full)
		eq(t, "points", pts[full], "0")
		return err
	}, full, empty)
	if err != nil {
		t.Fatal(err)
	}
}
