package loyalty_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
)

func TestCountCardUses(t *testing.T) {
	b := setup(t)
	countType := service.NewID()
	if _, err := b.db.Pool.Exec(context.Background(), `INSERT INTO card_types (id, group_id, code, name, kind, service_name)
		VALUES ($1, $2, 'wash', 'Car wash', 'count', 'car wash')`, countType, b.org.GroupID); err != nil {
		t.Fatal(err)
	}
	m := b.member()
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE cards SET card_type_id = $2 WHERE id = $1`, m.Card, countType); err != nil {
		t.Fatal(err)
	}
	in := loyalty.UsesInput{MallID: b.org.MallID, CardNumber: m.Number, Uses: 10, Price: d("199"), IdempotencyKey: key()}
	got, err := b.svc.AddUses(b.desk, in)
	if err != nil || got.Left != 10 {
		t.Fatalf("add uses: %+v, %v", got, err)
	}
	var ok atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := b.svc.RedeemUses(b.desk, loyalty.UsesInput{MallID: b.org.MallID, CardNumber: m.Number, Uses: 3,
				IdempotencyKey: key()})
			switch {
			case err == nil:
				ok.Add(1)
			case !errors.Is(err, loyalty.ErrNoUsesLeft):
				t.Errorf("redeem: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 3 {
		t.Errorf("%d redemptions of 3 uses from 10, want 3", ok.Load())
	}
	eq(t, "uses", b.balances(m.Card).Uses, "1")
	sv := b.member()
	if _, err := b.svc.RedeemUses(b.desk, loyalty.UsesInput{MallID: b.org.MallID, CardNumber: sv.Number, Uses: 1,
		IdempotencyKey: key()}); !errors.Is(err, loyalty.ErrNotCountCard) {
		t.Errorf("stored-value card: %v", err)
	}
	if _, err := b.svc.AddUses(b.staff, in); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("merchant staff: %v", err)
	}
	b.verify()
}
