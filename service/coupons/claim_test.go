package coupons

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

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

// checkTruth checks PostgreSQL's truth after a sale of a stock of 100 with a limit of
// 2: 100 coupons in slots 1..100, counted 100 in the count's shards, nobody over the limit.
func checkTruth(t *testing.T, f fixture, tpl Template) {
	t.Helper()
	var coupons, slots, maxSlot, counted, over int
	err := f.db.Pool.QueryRow(f.ctx, `SELECT count(*), count(DISTINCT slot), max(slot),
		(SELECT sum(issued) FROM coupon_issue_counts WHERE template_id = $1),
		(SELECT count(*) FROM (SELECT member_id FROM coupons WHERE template_id = $1 GROUP BY member_id
		HAVING count(*) > 2) x) FROM coupons WHERE template_id = $1`, tpl.ID).Scan(&coupons, &slots, &maxSlot, &counted, &over)
	if err != nil || coupons != 100 || slots != 100 || maxSlot != 100 || counted != 100 || over != 0 {
		t.Fatalf("postgres: coupons=%d slots=%d max slot=%d counted=%d members over limit=%d (%v)",
			coupons, slots, maxSlot, counted, over, err)
	}
	if got, err := f.svc.Template(f.ctx, tpl.ID); err != nil || got.ClaimedCount != 100 || remaining(got) != 0 {
		t.Fatalf("template: claimed %d, remaining %d (%v)", got.ClaimedCount, remaining(got), err)
	}
}

// checkAgreement checks that the Redis gate matches PostgreSQL: no free slot left and
// the members' counts as PostgreSQL counts them.
func checkAgreement(t *testing.T, f fixture, tpl Template) {
	t.Helper()
	keys := f.svc.gateKeys(tpl.ID)
	gate, err := f.redis.HGetAll(f.ctx, keys[0]).Result()
	if err != nil || len(gate) == 0 {
		t.Fatalf("no gate (%v)", err)
	}
	if free, _ := f.redis.LRange(f.ctx, keys[1], 0, -1).Result(); len(free) != 1 || free[0] != "end:"+gate["gen"] {
		t.Errorf("redis free slots %q, want none", free)
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

// checkSettled checks a sale whose gate was lost: PostgreSQL's truth, the gate refuses
// every further claim, and a gate rebuilt now agrees with PostgreSQL.
func checkSettled(t *testing.T, f fixture, tpl Template) {
	t.Helper()
	checkTruth(t, f, tpl)
	if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db)), tpl.ID, "late"); !errors.Is(err, ErrSoldOut) {
		t.Fatalf("claim after the sale: %v", err)
	}
	if err := f.svc.rebuildGate(f.ctx, tpl.ID, "", true); err != nil {
		t.Fatal(err)
	}
	checkAgreement(t, f, tpl)
}

func TestFlashSaleNeverOversells(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.PerMember = 2 })
	if got := flashSale(t, f, tpl, func(int64) {}); got != 100 {
		t.Fatalf("%d claims succeeded, want 100", got)
	}
	checkTruth(t, f, tpl)
	checkAgreement(t, f, tpl)
}

func TestFlashSaleSurvivesLostGate(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.PerMember = 2 })
	keys := f.svc.gateKeys(tpl.ID)
	if !strings.HasPrefix(keys[0], f.redis.Prefix) {
		t.Fatalf("gate key %q outside the test prefix", keys[0])
	}
	var deletes atomic.Int32
	got := flashSale(t, f, tpl, func(n int64) {
		switch n {
		case 10, 50: // Redis "loses" the gate mid-sale
			f.redis.Del(f.ctx, keys[0])
			deletes.Add(1)
		case 30, 90: // or its list of free slots
			f.redis.Del(f.ctx, keys[1])
			deletes.Add(1)
		}
	})
	if got != 100 || deletes.Load() != 4 {
		t.Fatalf("%d claims succeeded, want 100 (%d deletes)", got, deletes.Load())
	}
	checkSettled(t, f, tpl)
}

// TestFlashSaleSurvivesRedisFlush empties Redis (every key of the test's prefix: the
// server is shared) three times during a sale, while winners are committing.
func TestFlashSaleSurvivesRedisFlush(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.PerMember = 2 })
	var flushes atomic.Int32
	got := flashSale(t, f, tpl, func(n int64) {
		if n == 20 || n == 60 || n == 95 {
			flushPrefix(t, f)
			flushes.Add(1)
		}
	})
	if got != 100 || flushes.Load() != 3 {
		t.Fatalf("%d claims succeeded, want 100 (%d flushes)", got, flushes.Load())
	}
	checkSettled(t, f, tpl)
}

// flushPrefix deletes every key of the test's Redis prefix.
func flushPrefix(t *testing.T, f fixture) {
	iter := f.redis.Scan(f.ctx, 0, f.redis.Prefix+"*", 1000).Iterator()
	for iter.Next(f.ctx) {
		f.redis.Del(f.ctx, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Error(err)
	}
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

// TestFailedClaimGivesItsSlotBack: a winner whose transaction fails (here its member
// does not exist) gives its slot back, and the next claim gets it.
func TestFailedClaimGivesItsSlotBack(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.TotalStock = 2 })
	if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, uuid.New()), tpl.ID, "ghost"); err == nil {
		t.Fatal("a claim by a member who does not exist succeeded")
	}
	a, b := f.claim(t, tpl, f.world.Member(t, f.db)), f.claim(t, tpl, f.world.Member(t, f.db))
	if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db)), tpl.ID, "third"); !errors.Is(err, ErrSoldOut) {
		t.Fatalf("third claim of 2: %v", err)
	}
	var slots []int
	rows, _ := f.db.Pool.Query(f.ctx, `SELECT slot FROM coupons WHERE id = ANY($1) ORDER BY slot`, []uuid.UUID{a.ID, b.ID})
	slots, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil || fmt.Sprint(slots) != "[1 2]" {
		t.Fatalf("slots %v (%v), want [1 2]: the failed claim's slot was not reused", slots, err)
	}
}

// TestMemberLimitUnderConcurrency: one member sends 60 claims with different keys at
// once, while the gate is lost twice; exactly the limit succeeds.
func TestMemberLimitUnderConcurrency(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.PerMember = 3 })
	member := f.world.Member(t, f.db)
	var wins atomic.Int64
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			if i == 20 || i == 40 {
				f.redis.Del(f.ctx, f.svc.gateKeys(tpl.ID)...)
			}
			_, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, member), tpl.ID, fmt.Sprintf("k%d", i))
			switch {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, ErrLimitReached):
				t.Errorf("claim: %v", err)
			}
		})
	}
	wg.Wait()
	var n int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM coupons WHERE template_id = $1`, tpl.ID).Scan(&n)
	if wins.Load() != 3 || n != 3 {
		t.Fatalf("%d claims succeeded, %d coupons: want 3", wins.Load(), n)
	}
}

// TestConcurrentReplays: 30 claims with one idempotency key at once issue one coupon,
// return it to every caller, and give the other 29 slots back.
func TestConcurrentReplays(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.TotalStock, in.PerMember = 31, 40 })
	member := f.world.Member(t, f.db)
	ids := make([]uuid.UUID, 30)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			c, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, member), tpl.ID, "same")
			if err != nil {
				t.Errorf("claim: %v", err)
			}
			ids[i] = c.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("replays returned coupons %v and %v", ids[0], id)
		}
	}
	for range 30 { // the other 30 slots are free
		f.claim(t, tpl, member)
	}
	if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, member), tpl.ID, "last"); !errors.Is(err, ErrSoldOut) {
		t.Fatalf("32nd claim of 31: %v", err)
	}
}

// TestIssuesOutsideAndThroughTheGateTogether: campaign issues (outside the gate) and
// claims of one template at the same time never issue more than its stock.
func TestIssuesOutsideAndThroughTheGateTogether(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.TotalStock = 40 })
	members := f.world.Members(t, f.db, 120)
	var wins atomic.Int64
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Go(func() {
			var err error
			if i%3 == 0 {
				err = f.inTx(t, func(tx pgx.Tx) error {
					_, err := f.svc.IssueTx(f.ctx, tx, tpl.ID, m, "campaign")
					return err
				})
			} else {
				_, err = f.svc.Claim(redemptiontest.Shopper(f.ctx, m), tpl.ID, "k")
			}
			switch {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, ErrSoldOut):
				t.Errorf("issue %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	var n, distinct, top int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT count(*), count(DISTINCT slot), max(slot) FROM coupons WHERE template_id = $1`,
		tpl.ID).Scan(&n, &distinct, &top)
	if wins.Load() != 40 || n != 40 || distinct != 40 || top != 40 {
		t.Fatalf("%d issued, %d coupons in %d slots up to %d: want 40", wins.Load(), n, distinct, top)
	}
}

// TestBudgetBoundsTheSlots: a budget that allows fewer coupons than the stock bounds
// the slots, and the gate says so.
func TestBudgetBoundsTheSlots(t *testing.T) {
	f := setup(t)
	budget := decimal.NewFromInt(120) // 2 coupons of 50
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.BudgetCap = &budget })
	if tpl.Slots != 2 {
		t.Fatalf("slots %d, want 2", tpl.Slots)
	}
	f.claim(t, tpl, f.world.Member(t, f.db))
	f.claim(t, tpl, f.world.Member(t, f.db))
	if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db)), tpl.ID, "k"); !errors.Is(err, ErrBudgetExhausted) {
		t.Fatalf("third claim: %v", err)
	}
	got, err := f.svc.Template(f.ctx, tpl.ID)
	if err != nil || got.ClaimedCount != 2 || !got.BudgetUsed.Equal(decimal.NewFromInt(100)) {
		t.Fatalf("template: claimed %d, budget used %s (%v)", got.ClaimedCount, got.BudgetUsed, err)
	}
}

// TestFlashSaleSurvivesStaleGate: Redis comes back with an old copy of the gate (a
// replica that lagged, a restore from a snapshot) mid-sale: slots it still offers were
// taken since, and members' counts are behind. The slot key and the member's row
// refuse what the gate wrongly grants; the sale still issues exactly the stock.
func TestFlashSaleSurvivesStaleGate(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.PerMember = 2 })
	keys := f.svc.gateKeys(tpl.ID)
	var (
		mu     sync.Mutex // winners call in any order
		saved  [2]string
		dumped bool
	)
	var restores atomic.Int32
	got := flashSale(t, f, tpl, func(n int64) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case n >= 30 && !dumped:
			for i, k := range keys {
				saved[i], _ = f.redis.Dump(f.ctx, k).Result()
			}
			dumped = true
		case n >= 70 && dumped && restores.Load() == 0:
			for i, k := range keys {
				if err := f.redis.RestoreReplace(f.ctx, k, 0, saved[i]).Err(); err != nil {
					t.Error(err)
				}
			}
			restores.Add(1)
		}
	})
	if got != 100 || restores.Load() != 1 {
		t.Fatalf("%d claims succeeded, want 100 (%d restores)", got, restores.Load())
	}
	checkSettled(t, f, tpl)
}
