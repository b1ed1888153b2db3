package loyalty_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/loyalty"
)

type atomicCount = atomic.Int64

// world is the randomized test's shared view of members and their current cards.
type world struct {
	mu       sync.Mutex
	members  []member
	receipts []string
}

func (w *world) pick(r *rand.Rand) (int, member) {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := r.IntN(len(w.members))
	return i, w.members[i]
}

// expected are the business outcomes a random operation may meet.
var expected = []error{loyalty.ErrInsufficient, loyalty.ErrInsufficientPoint, loyalty.ErrRefundTooLarge,
	loyalty.ErrTransferLimit, loyalty.ErrCardReplaced, loyalty.ErrTransferSelf, loyalty.ErrOverpay,
	loyalty.ErrStoredValueCap}

// Thousands of mixed operations from many goroutines, then Verify finds no breach.
// ATRIUM_SEED=n replays a run.
func TestRandomizedOperationsKeepLedgerSound(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("ATRIUM_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("randomized test failed with ATRIUM_SEED=%d", seed)
		}
	})
	b := setup(t)
	if err := b.svc.SetProgram(b.admin, loyalty.Program{GroupID: b.org.GroupID, TierBasis: "spend", TierWindowDays: 30,
		PointsExpiryDays: 2, ReturnWindowDays: 1, PointValue: d("0.01"), TransferMax: 500, TransferDailyMax: 100000}); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.SetRechargeBonus(b.admin, b.org.GroupID, d("100"), d("10")); err != nil {
		t.Fatal(err)
	}
	w := &world{}
	for range 12 {
		m := b.memberWith("300")
		w.members = append(w.members, m)
	}
	const workers, ops = 8, 250
	var wg sync.WaitGroup
	var ok, refused atomicCount
	for g := range workers {
		r := rand.New(rand.NewPCG(seed, uint64(g)))
		wg.Go(func() {
			for range ops {
				err := b.randomOp(r, w)
				switch {
				case err == nil:
					ok.Add(1)
				case isExpected(err):
					refused.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("seed %d: %d operations done, %d refused by business rules", seed, ok.Load(), refused.Load())
	if ok.Load() < workers*ops/2 {
		t.Errorf("only %d operations succeeded", ok.Load())
	}
	b.verify()
}

func isExpected(err error) bool {
	for _, e := range expected {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func amount(r *rand.Rand, max int) decimal.Decimal {
	return decimal.New(int64(r.IntN(max*100)+1), -2)
}

func (b bundle) randomOp(r *rand.Rand, w *world) error {
	_, m := w.pick(r)
	switch n := r.IntN(100); {
	case n < 10:
		_, err := b.svc.RechargeCard(b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number,
			Amount: amount(r, 150), IdempotencyKey: key()})
		return err
	case n < 55:
		total := amount(r, 80)
		sv := decimal.Min(total, amount(r, 60)).Mul(decimal.NewFromInt(int64(r.IntN(2))))
		pts := decimal.NewFromInt(int64(r.IntN(3) * r.IntN(200)))
		receipt := "R" + key()
		_, err := b.svc.RecordPurchase(b.staff, loyalty.PurchaseInput{MerchantID: b.org.MerchantID, CardNumber: m.Number,
			Amount: total, StoredValue: sv, Points: pts, ReceiptNo: receipt, IdempotencyKey: key()})
		if err == nil {
			w.mu.Lock()
			w.receipts = append(w.receipts, receipt)
			w.mu.Unlock()
		}
		return err
	case n < 70:
		w.mu.Lock()
		if len(w.receipts) == 0 {
			w.mu.Unlock()
			return nil
		}
		receipt := w.receipts[r.IntN(len(w.receipts))]
		w.mu.Unlock()
		refund := decimal.Zero
		if r.IntN(2) == 0 {
			refund = amount(r, 20)
		}
		_, err := b.svc.RefundPurchase(b.staff, loyalty.RefundInput{MerchantID: b.org.MerchantID, ReceiptNo: receipt,
			Amount: refund, IdempotencyKey: key()})
		return err
	case n < 82:
		_, to := w.pick(r)
		_, err := b.svc.TransferPoints(shopperCtx(m.ID), loyalty.TransferInput{FromCardID: m.Card, ToCardNumber: to.Number,
			Points: decimal.NewFromInt(int64(r.IntN(100) + 1)), IdempotencyKey: key()})
		return err
	case n < 90:
		b.clock.Add(time.Duration(r.IntN(12)) * time.Hour)
		if _, err := b.ledger.ReleasePending(context.Background(), b.clock.Now()); err != nil {
			return err
		}
		_, err := b.ledger.ExpireLots(context.Background(), b.clock.Now())
		return err
	default:
		return b.reissue(r, w)
	}
}

// reissue does what the members context does on 补卡: a new card, the old one
// replaced, every balance and lot moved, in one transaction.
func (b bundle) reissue(r *rand.Rand, w *world) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := r.IntN(len(w.members))
	old := w.members[i]
	id := service.NewID()
	number := "N" + id.String()[24:]
	err := b.db.InTx(context.Background(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), `SELECT 1 FROM cards WHERE id = $1 FOR UPDATE`, old.Card); err != nil {
			return err
		}
		if _, err := tx.Exec(context.Background(), `INSERT INTO cards (id, group_id, member_id, card_type_id, number)
			VALUES ($1, $2, $3, $4, $5)`, id, b.org.GroupID, old.ID, b.org.CardType, number); err != nil {
			return err
		}
		if _, err := tx.Exec(context.Background(), `UPDATE cards SET status = 'replaced', replaced_by = $2 WHERE id = $1`,
			old.Card, id); err != nil {
			return err
		}
		return b.ledger.MoveCardTx(context.Background(), tx, old.Card, id, "reissue:"+id.String())
	})
	if err == nil {
		w.members[i] = member{ID: old.ID, Card: id, Number: number}
	}
	return err
}
