package loyalty_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/internal/benchab"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
)

// The purchase benchmark compares RecordPurchase (a card paying 5 of 10 in stored
// value, earning points) with two baselines, alternating A B A B in one run:
//
//   - same-rows: one transaction writing exactly the rows the purchase writes, one
//     plain statement per row and nothing else (no reads, no locks): the idempotency
//     key (insert, then its response), per ledger posting the posting, the card
//     account's cached balance and the entries, the points lot and its move, the
//     leaderboard earning and the purchase row. TestPurchaseBaselineWritesSameRows
//     traces both and checks the tables and row counts agree.
//   - single-row: a transaction inserting one row.
//
//	go test -run '^$' -bench RecordPurchase ./service/loyalty

const (
	purchaseRounds     = 6
	purchasesPerRound  = 120
	purchaseGoroutines = 8
)

// entry is a ledger entry of the reference purchase.
type entry struct {
	Account uuid.UUID
	Asset   string
	Amount  decimal.Decimal
	Cached  bool
}

// posting is a ledger posting of the reference purchase with its entries.
type posting struct {
	Kind    string
	Entries []entry
}

// buyer is a member whose card pays, with what the baseline writes for it.
type buyer struct {
	member
	postings  []posting
	pointsAcc uuid.UUID // the card's points account (the lot's)
}

// buyers are n members holding stored value, each with the postings of a reference
// purchase of theirs (the shape every purchase of the benchmark repeats).
func (b bundle) buyers(n int) []buyer {
	b.t.Helper()
	ctx := context.Background()
	out := make([]buyer, n)
	for i := range out {
		m := b.memberWith("5000")
		p := b.bought(m, "10", "5", "0")
		out[i] = buyer{member: m}
		for _, key := range []string{"purchase:" + p.ID.String(), "earn:" + p.ID.String()} {
			rows, err := b.db.Pool.Query(ctx, `SELECT p.kind, e.account_id, e.asset, e.amount, a.cached
				FROM ledger_postings p JOIN ledger_entries e ON e.posting_id = p.id JOIN ledger_accounts a ON a.id = e.account_id
				WHERE p.key = $1 ORDER BY e.id`, key)
			if err != nil {
				b.t.Fatal(err)
			}
			var ps posting
			for rows.Next() {
				var e entry
				if err := rows.Scan(&ps.Kind, &e.Account, &e.Asset, &e.Amount, &e.Cached); err != nil {
					b.t.Fatal(err)
				}
				ps.Entries = append(ps.Entries, e)
			}
			if rows.Err() != nil || len(ps.Entries) == 0 {
				b.t.Fatalf("reference posting %s: %v", key, rows.Err())
			}
			out[i].postings = append(out[i].postings, ps)
		}
		if err := b.db.Pool.QueryRow(ctx, `SELECT id FROM ledger_accounts WHERE owner_id = $1 AND kind = 'card' AND asset = 'points'`,
			m.Card).Scan(&out[i].pointsAcc); err != nil {
			b.t.Fatal(err)
		}
	}
	return out
}

// sameRows is the same-rows baseline of one purchase by u: one statement per row.
func (b bundle) sameRows(ctx context.Context, db *storage.DB, u buyer) error {
	now := b.clock.Now()
	id, key := service.NewID(), service.NewID().String()
	return db.InTx(ctx, func(tx pgx.Tx) error {
		stmts := [][]any{{`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('bench.purchase', $1, '\x00')`, key}}
		var earnPosting uuid.UUID
		for _, p := range u.postings {
			pid := service.NewID()
			if p.Kind == "earn" {
				earnPosting = pid
			}
			stmts = append(stmts, []any{`INSERT INTO ledger_postings (id, group_id, kind, key, memo, created_at) VALUES ($1, $2, $3, $4, 'R', $5)`,
				pid, b.org.GroupID, p.Kind, p.Kind + ":" + id.String(), now})
			for _, e := range p.Entries {
				if e.Cached {
					stmts = append(stmts, []any{`UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2`, e.Amount, e.Account})
				}
			}
			for _, e := range p.Entries {
				stmts = append(stmts, []any{`INSERT INTO ledger_entries (posting_id, account_id, asset, amount) VALUES ($1, $2, $3, $4)`,
					pid, e.Account, e.Asset, e.Amount})
			}
		}
		lot := service.NewID()
		stmts = append(stmts,
			[]any{`INSERT INTO ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at)
				VALUES ($1, $2, $3, 'pending', 5, 5, $4, $5, $6, $4)`, lot, u.pointsAcc, u.Card, now, now.AddDate(1, 0, 0), earnPosting},
			[]any{`INSERT INTO ledger_lot_moves (lot_id, posting_id, amount) VALUES ($1, $2, 5)`, lot, earnPosting},
			[]any{`INSERT INTO loyalty_points_earned (id, mall_id, member_id, month, points, created_at) VALUES ($1, $2, $3, $4, 5, $5)`,
				service.NewID(), b.org.MallID, u.ID, now.Format("2006-01-02"), now},
			[]any{`INSERT INTO loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount,
				discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 10, 0, 10, 5, 0, 0, '[]', 5, 5, $8, $9)`,
				id, b.org.GroupID, b.org.MallID, b.org.MerchantID, "B" + key[24:], u.ID, u.Card, lot, now},
			[]any{`UPDATE idempotency_keys SET response = '{}' WHERE scope = 'bench.purchase' AND key = $1`, key})
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s[0].(string), s[1:]...); err != nil {
				return fmt.Errorf("%s: %w", s[0], err)
			}
		}
		return nil
	})
}

// singleRow is the bare baseline: a transaction inserting one row.
func singleRow(ctx context.Context, db *storage.DB) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO bench_rows (id, v) VALUES ($1, 1)`, service.NewID())
		return err
	})
}

func BenchmarkRecordPurchase(b *testing.B) {
	s := setup(b)
	ctx := context.Background()
	if _, err := s.db.Pool.Exec(ctx, `CREATE TABLE bench_rows (id uuid PRIMARY KEY, v numeric(18,2))`); err != nil {
		b.Fatal(err)
	}
	us := s.buyers(16)
	ours := benchab.Side{Name: "purchases/s", Run: func(i int) {
		if _, err := s.buy(us[i%len(us)].member, "10", "5", "0"); err != nil {
			b.Error(err)
		}
	}}
	b.Run("vs=same-rows", func(b *testing.B) {
		benchab.Alternate(b, purchaseRounds, purchasesPerRound, purchaseGoroutines, ours, benchab.Side{Name: "purchases/s",
			Run: func(i int) {
				if err := s.sameRows(ctx, s.db, us[i%len(us)]); err != nil {
					b.Error(err)
				}
			}})
	})
	b.Run("vs=single-row", func(b *testing.B) {
		benchab.Alternate(b, purchaseRounds, purchasesPerRound, purchaseGoroutines, ours, benchab.Side{Name: "commits/s",
			Run: func(int) {
				if err := singleRow(ctx, s.db); err != nil {
					b.Error(err)
				}
			}})
	})
}

// on is b with its services rebuilt on db (a traced pool on the same database).
func (b bundle) on(db *storage.DB) bundle {
	orgSvc := orgtest.Service(db)
	codes := redemption.New(redemption.Deps{DB: db, Redis: b.redis, Org: orgSvc, Now: b.clock.Now})
	b.db, b.orgs, b.ledger = db, orgSvc, ledger.New(ledger.Deps{DB: db, Now: b.clock.Now})
	b.cps = coupons.New(coupons.Deps{DB: db, Redis: b.redis, Org: orgSvc, Codes: codes, Now: b.clock.Now})
	b.svc = loyalty.New(loyalty.Deps{DB: db, Ledger: b.ledger, Redis: b.redis, Org: orgSvc, Coupons: b.cps,
		Zones: orgSvc.Zones(), Now: b.clock.Now})
	return b
}

// TestPurchaseBaselineWritesSameRows: the benchmark's same-rows baseline writes the
// same tables, the same number of rows each, as the purchase it stands for.
func TestPurchaseBaselineWritesSameRows(t *testing.T) {
	b := setup(t)
	us := b.buyers(1)
	tdb, tr := benchab.Traced(t, b.db)
	tb := b.on(tdb)
	start := time.Now()
	tb.bought(us[0].member, "10", "5", "0")
	real := tr.Take()
	if err := b.sameRows(context.Background(), tdb, us[0]); err != nil {
		t.Fatal(err)
	}
	base := tr.Take()
	got, want := benchab.Writes(base), benchab.Writes(real)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("baseline writes\n%v\nthe purchase writes\n%v", got, want)
	}
	t.Logf("purchase: %d statements in %d round trips, baseline %d in %d; writes %v (%s)", len(real),
		benchab.RoundTrips(real), len(base), benchab.RoundTrips(base), want, time.Since(start))
}
