package coupons

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/internal/benchab"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// The flash-sale benchmark is a real sale: saleClaimers members claim a template of
// saleStock at the same moment, and each side is timed until every claimer has an
// answer (a coupon or sold out). The gate (Claim) alternates A B A B with the naive
// transaction (naiveClaim) in one run, each round on fresh templates; after every
// round both sides must have issued no more than the stock.
//
//	go test -run '^$' -bench FlashSale ./service/coupons
const (
	saleClaimers = 2000
	saleStock    = 100
	saleRounds   = 4
	salePool     = 16 // PostgreSQL connections, shared by both sides
)

// naiveClaim is the baseline: lock the template with SELECT … FOR UPDATE, count what
// it has issued and, when stock is left, write the rows a claim writes with the same
// statements — the idempotency key (insert, then its response), the member's claim
// count, the coupon in the next slot and the issued count's shard (one statement, as
// ClaimInSlot), and the coupon's redemption code — all on PostgreSQL for every
// claimer, one after another on the template's row.
func naiveClaim(ctx context.Context, f fixture, templateID, member uuid.UUID, keyID int32) error {
	return f.db.InTx(ctx, func(tx pgx.Tx) error {
		var mall uuid.UUID
		var total int
		if err := tx.QueryRow(ctx, `SELECT mall_id, total_stock FROM coupon_templates WHERE id = $1 FOR UPDATE`,
			templateID).Scan(&mall, &total); err != nil {
			return err
		}
		var issued int
		if err := tx.QueryRow(ctx, `SELECT coalesce(sum(issued), 0) FROM coupon_issue_counts WHERE mall_id = $1 AND template_id = $2`,
			mall, templateID).Scan(&issued); err != nil {
			return err
		}
		if issued >= total {
			return ErrSoldOut
		}
		key, coupon, now, slot := uuid.NewString(), service.NewID(), f.clock.Now(), issued+1
		numeric, _ := rand.Int(rand.Reader, big.NewInt(1e12))
		for _, s := range [][]any{
			{`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('bench.claim', $1, '\x00')`, key},
			{naiveClaimInSlot, templateID, member, 1, coupon, slot, "claim", now, now.Add(time.Hour), now, mall, shardOf(slot)},
			{`INSERT INTO redemption_codes (id, kind, subject_id, member_id, mall_id, numeric_code, nonce, key_id, valid_from, valid_until)
				VALUES ($1, 'coupon', $2, $3, $4, $5, '\x0102030405060708', $6, $7, $8)`,
				service.NewID(), coupon, member, f.world.MallID, fmt.Sprintf("%012d", numeric), keyID, now, now.Add(time.Hour)},
			{`UPDATE idempotency_keys SET response = '{}' WHERE scope = 'bench.claim' AND key = $1`, key},
		} {
			if _, err := tx.Exec(ctx, s[0].(string), s[1:]...); err != nil {
				return fmt.Errorf("%s: %w", s[0], err)
			}
		}
		return nil
	})
}

// naiveClaimInSlot is the statement ClaimInSlot (internal/queries/claims.sql).
const naiveClaimInSlot = `WITH m AS (
    INSERT INTO coupon_member_claims (template_id, member_id, claimed) VALUES ($1, $2, 1)
    ON CONFLICT (template_id, member_id) DO UPDATE SET claimed = coupon_member_claims.claimed + 1
    WHERE coupon_member_claims.claimed < $3::integer
    RETURNING claimed),
c AS (
    INSERT INTO coupons (id, template_id, member_id, seq, slot, source, valid_from, valid_until)
    SELECT $4, t.id, $2, m.claimed, $5::integer, $6, $7, $8
    FROM m, coupon_templates t
    WHERE t.id = $1 AND t.status = 'active' AND (t.valid_until IS NULL OR t.valid_until > $9::timestamptz)
        AND $5::integer BETWEEN 1 AND t.slots
    ON CONFLICT (template_id, slot) DO NOTHING
    RETURNING seq),
n AS (
    INSERT INTO coupon_issue_counts (mall_id, template_id, shard, issued)
    SELECT $10, $1, $11, 1 FROM c
    ON CONFLICT (mall_id, template_id, shard) DO UPDATE SET issued = coupon_issue_counts.issued + 1
    RETURNING issued)
SELECT coalesce((SELECT claimed FROM m), 0)::integer AS claimed, coalesce((SELECT seq FROM c), 0)::integer AS seq,
    (SELECT count(*) FROM n)::integer AS counted`

func BenchmarkFlashSale(b *testing.B) {
	f := setup(b)
	f.db = benchab.Pool(b, f.db, salePool)
	f.svc = New(Deps{DB: f.db, Redis: f.redis, Org: orgtest.Service(f.db), Codes: f.codes, Now: f.clock.Now})
	members := f.world.Members(b, f.db, saleClaimers)
	in := f.cashInput()
	in.TotalStock = saleStock
	var gated, naive []Template
	for range saleRounds {
		gated, naive = append(gated, f.template(b, in)), append(naive, f.template(b, in))
	}
	warm := f.template(b, in) // a code issued: the signing key exists
	f.claim(b, warm, members[0])
	var keyID int32
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT key_id FROM redemption_codes LIMIT 1`).Scan(&keyID); err != nil {
		b.Fatal(err)
	}
	// Every connection of the pool open and both sides' statements prepared on it, so
	// that no side pays for them in its first round.
	warmGate, warmNaive := f.template(b, in), f.template(b, in)
	benchab.Time(2*salePool, 2*salePool, func(i int) {
		m := members[1+i]
		if _, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, m), warmGate.ID, uuid.NewString()); err != nil {
			b.Error(err)
		}
		if err := naiveClaim(f.ctx, f, warmNaive.ID, m, keyID); err != nil {
			b.Error(err)
		}
	})
	var unexpected atomic.Int64
	answer := func(err error) {
		if err != nil && !errors.Is(err, ErrSoldOut) && unexpected.Add(1) <= 3 {
			b.Errorf("claim: %v", err)
		}
	}
	res := benchab.Alternate(b, saleRounds, saleClaimers, saleClaimers,
		benchab.Side{Name: "claimers-answered/s", Run: func(i int) {
			_, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, members[i%saleClaimers]), gated[i/saleClaimers].ID, uuid.NewString())
			answer(err)
		}},
		benchab.Side{Name: "claimers-answered/s", Run: func(i int) {
			answer(naiveClaim(f.ctx, f, naive[i/saleClaimers].ID, members[i%saleClaimers], keyID))
		}})
	for r := range saleRounds {
		for side, tpl := range map[string]Template{"gate": gated[r], "naive": naive[r]} {
			var issued, counted, maxSlot int
			if err := f.db.Pool.QueryRow(f.ctx, `SELECT count(*), coalesce(max(slot), 0),
				(SELECT coalesce(sum(issued), 0) FROM coupon_issue_counts WHERE template_id = $1)
				FROM coupons WHERE template_id = $1`, tpl.ID).Scan(&issued, &maxSlot, &counted); err != nil {
				b.Fatal(err)
			}
			if issued > saleStock || maxSlot > saleStock || issued != counted {
				b.Errorf("round %d, %s: %d coupons issued (highest slot %d), counted %d, stock %d",
					r, side, issued, maxSlot, counted, saleStock)
			}
		}
	}
	b.ReportMetric(float64(saleClaimers)/benchab.Median(res.Ours)*1000, "ms-all-answered")
	b.ReportMetric(float64(saleClaimers)/benchab.Median(res.Base)*1000, "base-ms-all-answered")
}

// TestNaiveClaimWritesSameRows: a winning naive claim writes the same tables, the same
// number of rows each, as a claim through the gate — by the statements' command tags
// and by the rows each table gains (which also sees the rows written in CTEs).
func TestNaiveClaimWritesSameRows(t *testing.T) {
	f := setup(t)
	members := f.world.Members(t, f.db, 3)
	tpl := f.template(t, f.cashInput())
	f.claim(t, tpl, members[0]) // the signing key exists, the gate is built
	var keyID int32
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT key_id FROM redemption_codes LIMIT 1`).Scan(&keyID); err != nil {
		t.Fatal(err)
	}
	tdb, tr := benchab.Traced(t, f.db)
	f.db = tdb
	f.svc = New(Deps{DB: tdb, Redis: f.redis, Org: orgtest.Service(tdb), Codes: f.codes, Now: f.clock.Now})
	rows0 := tableRows(t, f)
	f.claim(t, tpl, members[1])
	real, rows1 := tr.Take(), tableRows(t, f)
	if err := naiveClaim(f.ctx, f, tpl.ID, members[2], keyID); err != nil {
		t.Fatal(err)
	}
	base, rows2 := tr.Take(), tableRows(t, f)
	got, want := benchab.Writes(base), benchab.Writes(real)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("naive claim writes\n%v\na claim through the gate writes\n%v", got, want)
	}
	for table := range rows0 {
		if ours, naive := rows1[table]-rows0[table], rows2[table]-rows1[table]; ours != naive || ours != 1 {
			t.Errorf("%s: a claim adds %d rows, the naive claim %d", table, ours, naive)
		}
	}
	t.Logf("claim: %d statements, naive %d; writes %v", len(real), len(base), want)
}

// tableRows counts the rows of the tables a claim adds a row to.
func tableRows(t *testing.T, f fixture) map[string]int {
	out := map[string]int{}
	for _, table := range []string{"idempotency_keys", "coupon_member_claims", "coupons", "redemption_codes", "coupon_issue_counts"} {
		var n int
		if err := f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}
