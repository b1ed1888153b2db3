package coupons

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// flashSale runs 2,000 concurrent claims (400 members × 5) of a stock of 100 with a limit
// of 2 per member: 1,000 at once, and 1,000 more as soon as 10 have succeeded, so that
// they arrive while the first wave is still committing. onWin is called with the number
// of successful claims after each success.
func flashSale(t *testing.T, f fixture, tpl Template, onWin func(n int64)) (ok int64) {
	t.Helper()
	members := f.world.Members(t, f.db, 400)
	var (
		wins     atomic.Int64
		wg, wave sync.WaitGroup
		second   = make(chan struct{})
		once     sync.Once
	)
	claim := func(i int) {
		_, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, members[i%len(members)]), tpl.ID, uuid.NewString())
		switch {
		case err == nil:
			n := wins.Add(1)
			if n == 10 {
				once.Do(func() { close(second) })
			}
			onWin(n)
		case errors.Is(err, ErrSoldOut), errors.Is(err, ErrLimitReached):
		default:
			t.Errorf("claim: %v", err)
		}
	}
	wave.Add(1)
	for i := range 1000 {
		wg.Go(func() { wave.Wait(); claim(i) })
	}
	wave.Done()
	<-second
	for i := 1000; i < 2000; i++ {
		wg.Go(func() { claim(i) })
	}
	wg.Wait()
	return wins.Load()
}

// checkAgreement checks PostgreSQL's truth and that the Redis gate matches it.
func checkAgreement(t *testing.T, f fixture, tpl Template) {
	t.Helper()
	var claimed, coupons, over int
	err := f.db.Pool.QueryRow(f.ctx, `SELECT claimed_count, (SELECT count(*) FROM coupons WHERE template_id = $1),
		(SELECT count(*) FROM (SELECT member_id FROM coupons WHERE template_id = $1 GROUP BY member_id
		HAVING count(*) > 2) x) FROM coupon_templates WHERE id = $1`, tpl.ID).Scan(&claimed, &coupons, &over)
	if err != nil || claimed != 100 || coupons != 100 || over != 0 {
		t.Fatalf("postgres: claimed=%d coupons=%d members over limit=%d (%v)", claimed, coupons, over, err)
	}
	gate, err := f.redis.HGetAll(f.ctx, f.svc.gateKey(tpl.ID)).Result()
	if err != nil || len(gate) == 0 {
		// The gate was deleted after the last claim; the next claim rebuilds it.
		if err := f.svc.rebuildGate(f.ctx, tpl.ID, -1, false); err != nil {
			t.Fatal(err)
		}
		gate, _ = f.redis.HGetAll(f.ctx, f.svc.gateKey(tpl.ID)).Result()
	}
	if gate["stock"] != "0" {
		t.Errorf("redis stock %q, want 0", gate["stock"])
	}
	rows, _ := f.db.Pool.Query(f.ctx, `SELECT member_id, claimed FROM coupon_member_claims WHERE template_id = $1`, tpl.ID)
	pg, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var (
			m uuid.UUID
			n int
		)
		err := r.Scan(&m, &n)
		return [2]string{memberField(m), strconv.Itoa(n)}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pg {
		if gate[p[0]] != p[1] {
			t.Errorf("member %s: redis %q, postgres %s", p[0], gate[p[0]], p[1])
		}
	}
	n := 0
	for k := range gate {
		if strings.HasPrefix(k, "m:") {
			n++
		}
	}
	if n != len(pg) {
		t.Errorf("redis has %d members, postgres %d", n, len(pg))
	}
}

func TestFlashSaleNeverOversells(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.PerMember = 2 })
	if got := flashSale(t, f, tpl, func(int64) {}); got != 100 {
		t.Fatalf("%d claims succeeded, want 100", got)
	}
	checkAgreement(t, f, tpl)
}

func TestFlashSaleSurvivesLostGate(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.PerMember = 2 })
	key := f.svc.gateKey(tpl.ID)
	if !strings.HasPrefix(key, f.redis.Prefix) {
		t.Fatalf("gate key %q outside the test prefix", key)
	}
	var deletes atomic.Int32
	got := flashSale(t, f, tpl, func(n int64) {
		if n == 10 || n == 50 || n == 90 { // Redis "loses" the gate mid-sale
			f.redis.Del(f.ctx, key)
			deletes.Add(1)
		}
	})
	if got != 100 || deletes.Load() != 3 {
		t.Fatalf("%d claims succeeded, want 100 (%d deletes)", got, deletes.Load())
	}
	var epoch int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT gate_epoch FROM coupon_templates WHERE id = $1`, tpl.ID).Scan(&epoch)
	if epoch < 2 {
		t.Errorf("gate epoch %d: the gate was not rebuilt after being lost", epoch)
	}
	checkAgreement(t, f, tpl)
}

func TestClaimRules(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.TotalStock = 2 })
	alice, bob, carol := f.world.Member(t, f.db), f.world.Member(t, f.db), f.world.Member(t, f.db)
	ctx := redemptiontest.Shopper(f.ctx, alice)
	c1, err := f.svc.Claim(ctx, tpl.ID, "k1")
	if err != nil || c1.Numeric == "" || c1.Token == "" || !c1.ValidUntil.Equal(c1.ValidFrom.AddDate(0, 0, 30)) {
		t.Fatalf("claim: %+v %v", c1, err)
	}
	if again, err := f.svc.Claim(ctx, tpl.ID, "k1"); err != nil || again.ID != c1.ID {
		t.Fatalf("replay: %+v %v", again, err)
	}
	if _, err := f.svc.Claim(ctx, tpl.ID, "k2"); !errors.Is(err, ErrLimitReached) {
		t.Fatalf("over limit: %v", err)
	}
	f.claim(t, tpl, bob)
	if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, carol), tpl.ID, "k3"); !errors.Is(err, ErrSoldOut) {
		t.Fatalf("sold out: %v", err)
	}
	staff := f.world.MallStaffAs(f.ctx, "member_ops")
	paused := f.template(t, f.cashInput())
	if _, err := f.svc.SetStatus(staff, paused.ID, "paused"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Claim(ctx, paused.ID, "k4"); !errors.Is(err, ErrNotActive) {
		t.Fatalf("paused: %v", err)
	}
	if _, err := f.svc.SetStatus(staff, paused.ID, "draft"); err == nil {
		t.Fatal("back to draft allowed")
	}
}

func TestIssueOutsideGateKeepsGateTrue(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.TotalStock = 3 })
	f.claim(t, tpl, f.world.Member(t, f.db))
	if err := f.inTx(t, func(tx pgx.Tx) error {
		_, err := f.svc.IssueTx(f.ctx, tx, tpl.ID, f.world.Member(t, f.db), "campaign")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.claim(t, tpl, f.world.Member(t, f.db))
	if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db)), tpl.ID, "x"); !errors.Is(err, ErrSoldOut) {
		t.Fatalf("fourth coupon of 3: %v", err)
	}
}
