package redemption

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/internal/benchab"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// The redemption benchmark compares Redeem (token verification, scope check,
// idempotency record, conditional UPDATE, redemption row, event) with two baselines,
// alternating A B A B in one run:
//
//   - same-rows: one transaction writing exactly the rows a redemption writes, one
//     plain statement per row: the idempotency key (insert, then its response), the
//     code's status and the redemption. TestRedeemBaselineWritesSameRows traces both
//     and checks the tables and row counts agree.
//   - single-row: a transaction inserting one row.
//
//	go test -run '^$' -bench Redeem ./service/redemption

const (
	redeemRounds     = 6
	redeemsPerRound  = 150
	redeemGoroutines = 8
)

type redeemBench struct {
	db    *storage.DB
	svc   *Service
	staff context.Context
	codes []Code
}

func newRedeemBench(tb testing.TB, n int) redeemBench {
	db := storetest.DB(tb)
	clock := redemptiontest.NewClock(time.Now())
	w := redemptiontest.NewWorld(tb, db)
	svc := newService(tb, db, Config{}, clock.Now)
	member := w.Member(tb, db)
	ctx := context.Background()
	codes := make([]Code, n)
	for i := range codes {
		if err := db.InTx(ctx, func(tx pgx.Tx) (err error) {
			codes[i], err = svc.IssueTx(ctx, tx, IssueInput{Kind: KindCoupon, SubjectID: service.NewID(), MemberID: member,
				MallID: w.MallID, ValidFrom: clock.Now().Add(-time.Hour), ValidUntil: clock.Now().Add(24 * time.Hour)})
			return err
		}); err != nil {
			tb.Fatal(err)
		}
	}
	return redeemBench{db: db, svc: svc, staff: w.MallStaff(ctx), codes: codes}
}

// sameRows is the same-rows baseline of redeeming c: one statement per row.
func sameRows(ctx context.Context, db *storage.DB, c Code) error {
	key := uuid.NewString()
	return db.InTx(ctx, func(tx pgx.Tx) error {
		for _, s := range [][]any{
			{`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('bench.redeem', $1, '\x00')`, key},
			{`UPDATE redemption_codes SET status = 'redeemed' WHERE id = $1`, c.ID},
			{`INSERT INTO redemptions (id, code_id, staff_id, redeemed_at, offline) VALUES ($1, $2, $3, now(), false)`,
				service.NewID(), c.ID, service.NewID()},
			{`INSERT INTO notify_events (id, group_id, mall_id, kind, recipient_kind, recipient_id, payload, dedupe_key,
				created_at) SELECT $1, group_id, id, 'redemption_done', 'member', $2, '{}', $3, now() FROM malls WHERE id = $4`,
				service.NewID(), c.MemberID, "bench:" + key, c.MallID},
			{`UPDATE idempotency_keys SET response = '{}' WHERE scope = 'bench.redeem' AND key = $1`, key},
		} {
			if _, err := tx.Exec(ctx, s[0].(string), s[1:]...); err != nil {
				return fmt.Errorf("%s: %w", s[0], err)
			}
		}
		return nil
	})
}

// BenchmarkRedeem alternates redemptions with the same-rows baseline, then with a bare
// single-row commit. Each sub-benchmark issues its own codes when Go runs it (it may run
// it more than once: a code is redeemed once).
func BenchmarkRedeem(b *testing.B) {
	n := redeemRounds * redeemsPerRound
	ctx := context.Background()
	redeem := func(r redeemBench) benchab.Side {
		return benchab.Side{Name: "redemptions/s", Run: func(i int) {
			if _, err := r.svc.Redeem(r.staff, r.codes[i].Token, uuid.NewString()); err != nil {
				b.Error(err)
			}
		}}
	}
	b.Run("vs=same-rows", func(b *testing.B) {
		r := newRedeemBench(b, 2*n) // the first n for Redeem, the others for the same-rows baseline
		benchab.Alternate(b, redeemRounds, redeemsPerRound, redeemGoroutines, redeem(r), benchab.Side{Name: "redemptions/s",
			Run: func(i int) {
				if err := sameRows(ctx, r.db, r.codes[n+i]); err != nil {
					b.Error(err)
				}
			}})
	})
	b.Run("vs=single-row", func(b *testing.B) {
		r := newRedeemBench(b, n)
		if _, err := r.db.Pool.Exec(ctx, `CREATE TABLE bench_rows (id uuid PRIMARY KEY)`); err != nil {
			b.Fatal(err)
		}
		benchab.Alternate(b, redeemRounds, redeemsPerRound, redeemGoroutines, redeem(r), benchab.Side{Name: "commits/s",
			Run: func(int) {
				if err := r.db.InTx(ctx, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, `INSERT INTO bench_rows (id) VALUES ($1)`, service.NewID())
					return err
				}); err != nil {
					b.Error(err)
				}
			}})
	})
}

// TestRedeemBaselineWritesSameRows: the benchmark's same-rows baseline writes the same
// tables, the same number of rows each, as the redemption it stands for.
func TestRedeemBaselineWritesSameRows(t *testing.T) {
	r := newRedeemBench(t, 2)
	tdb, tr := benchab.Traced(t, r.db)
	svc := newService(t, tdb, Config{}, r.svc.now)
	if _, err := svc.Redeem(r.staff, r.codes[0].Token, uuid.NewString()); err != nil {
		t.Fatal(err)
	}
	real := tr.Take()
	if err := sameRows(context.Background(), tdb, r.codes[1]); err != nil {
		t.Fatal(err)
	}
	base := tr.Take()
	got, want := benchab.Writes(base), benchab.Writes(real)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("baseline writes\n%v\nthe redemption writes\n%v", got, want)
	}
	t.Logf("redemption: %d statements in %d round trips, baseline %d in %d; writes %v", len(real), benchab.RoundTrips(real),
		len(base), benchab.RoundTrips(base), want)
}
