package reports_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/benchab"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/reports"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// BenchmarkReportsAtScale seeds two fresh databases with 100,000 and 10 million
// ledger entries (half as many postings and purchases, a third as many points lots and
// their moves, a hundredth as many card events, 2,000 members registered and a tenth of them exited,
// spread over the three years before now, written by set-based SQL) and rolls each up
// once (the seeding time, per million rows too, and the catch-up time are printed).
// Both databases are then settled, so neither side pays for the other's bulk load
// while it is timed: VACUUM (ANALYZE) of every seeded and rollup table (autovacuum
// has nothing left to do) and a CHECKPOINT (dirty pages written). Then the reports
// are timed over the last three months alternating the sides, A B A B: after one
// untimed warm-up round, each of benchRounds rounds runs every report on the small
// database, then on the large one, and each report's time per side is its median
// over the rounds. It prints the times and their ratio (large ÷ small, target ≤ 2: a
// report reads rollups, never the ledger). Metrics for make bench's table: reports/s
// at the large size (every report once, in turn) as ours, at 100,000 as the baseline,
// and x-min, x-med, x-max the per-report time ratios large ÷ small (here, unlike a
// rate ratio, lower is better). ATRIUM_BENCH_REPORT_ROWS sets the large size (default
// 10,000,000), e.g. for a quicker look.
func BenchmarkReportsAtScale(b *testing.B) {
	large := 10_000_000
	if v, err := strconv.Atoi(os.Getenv("ATRIUM_BENCH_REPORT_ROWS")); err == nil && v > 0 {
		large = v
	}
	sizes := []int{100_000, large}
	fixtures := make([]*fixture, len(sizes))
	tracers := make([]*stmtTracer, len(sizes))
	for i, n := range sizes {
		tracers[i] = &stmtTracer{}
		f := newFixtureOn(b, storetest.DB(b), servicetest.DBTracer(tracers[i]))
		start := time.Now()
		seedLedger(b, f, n)
		seeded := time.Since(start)
		start = time.Now()
		res, err := f.set.Reports.RollUpInBatches(f.ctx, 100_000)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Printf("reports bench: %d ledger rows seeded in %s (%s per million), rolled up in %s (%v)\n", n,
			seeded.Round(time.Second), (seeded * 1_000_000 / time.Duration(n)).Round(100*time.Millisecond),
			time.Since(start).Round(time.Second), res)
		fixtures[i] = f
	}
	start := time.Now()
	for _, f := range fixtures {
		for _, t := range benchTables {
			f.exec("VACUUM (ANALYZE) " + t)
		}
	}
	fixtures[0].exec("CHECKPOINT")
	fmt.Printf("reports bench: both databases vacuumed, analysed and checkpointed in %s\n",
		time.Since(start).Round(time.Second))
	runs := make([]map[string]func() error, len(sizes))
	for i, f := range fixtures {
		runs[i] = reportRuns(f)
	}
	names := slices.Sorted(maps.Keys(runs[0]))
	samples := make([]map[string][]float64, len(sizes))
	for i := range samples {
		samples[i] = map[string][]float64{}
	}
	for round := -1; round < benchRounds; round++ { // round −1: warm-up, not kept
		for _, k := range names {
			for i := range sizes {
				start := time.Now()
				if err := runs[i][k](); err != nil {
					b.Fatalf("%s at %d: %v", k, sizes[i], err)
				}
				if round >= 0 {
					samples[i][k] = append(samples[i][k], float64(time.Since(start)))
				}
			}
		}
	}
	times := make([]map[string]time.Duration, len(sizes))
	for i := range sizes {
		times[i] = map[string]time.Duration{}
		for _, k := range names {
			times[i][k] = time.Duration(benchab.Median(samples[i][k]))
		}
	}
	b.ResetTimer()
	var ratios []float64
	fmt.Printf("%-24s %14s %14s %7s\n", "report", fmt.Sprint(sizes[0]), fmt.Sprint(sizes[1]), "ratio")
	for _, k := range names {
		r := float64(times[1][k]) / float64(times[0][k])
		ratios = append(ratios, r)
		fmt.Printf("%-24s %14s %14s %7.2f\n", k, times[0][k].Round(time.Microsecond), times[1][k].Round(time.Microsecond), r)
	}
	b.StopTimer()
	var sum [2]time.Duration
	for i := range sizes {
		for _, d := range times[i] {
			sum[i] += d
		}
	}
	b.ReportMetric(float64(len(names))/sum[1].Seconds(), "reports/s")
	b.ReportMetric(float64(len(names))/sum[0].Seconds(), "base-reports/s")
	b.ReportMetric(slices.Min(ratios), "x-min")
	b.ReportMetric(benchab.Median(ratios), "x-med")
	b.ReportMetric(slices.Max(ratios), "x-max")
	b.ReportMetric(0, "ns/op")
	if os.Getenv("ATRIUM_BENCH_REPORT_EXPLAIN") != "" {
		for i, f := range fixtures {
			explainReports(b, f, tracers[i], runs[i], sizes[i])
		}
	}
}

// explainReports prints EXPLAIN (ANALYZE, BUFFERS) of every statement the rollup-backed
// reports send that reads a rollup or the ledger (ATRIUM_BENCH_REPORT_EXPLAIN set).
func explainReports(b *testing.B, f *fixture, tr *stmtTracer, runs map[string]func() error, n int) {
	for _, k := range []string{"members", "memberCards", "points", "groupPoints", "consumption"} {
		tr.start()
		if err := runs[k](); err != nil {
			b.Fatal(err)
		}
		for _, st := range tr.stop() {
			if !strings.Contains(st.sql, "report_") && !strings.Contains(st.sql, "ledger_") {
				continue
			}
			rs, err := f.set.DB.Pool.Query(f.ctx, "EXPLAIN (ANALYZE, BUFFERS) "+st.sql, st.args...)
			if err != nil {
				b.Fatal(err)
			}
			plan, err := pgx.CollectRows(rs, pgx.RowTo[string])
			if err != nil {
				b.Fatal(err)
			}
			first, _, _ := strings.Cut(strings.TrimSpace(st.sql), "\n")
			fmt.Printf("--- %s at %d: %s\n%s\n", k, n, first, strings.Join(plan, "\n"))
		}
	}
}

// stmtTracer records the statements (and their arguments) of a pool while started.
type stmtTracer struct {
	mu    sync.Mutex
	on    bool
	stmts []tracedStmt
}

type tracedStmt struct {
	sql  string
	args []any
}

func (t *stmtTracer) start() { t.mu.Lock(); defer t.mu.Unlock(); t.on, t.stmts = true, nil }

func (t *stmtTracer) stop() []tracedStmt {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.on = false
	return t.stmts
}

func (t *stmtTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.on {
		t.stmts = append(t.stmts, tracedStmt{sql: d.SQL, args: d.Args})
	}
	return ctx
}

func (t *stmtTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// benchRounds is how many timed rounds the bench runs (each report once per side).
const benchRounds = 15

// benchTables are the tables the bench seeds or its roll-up writes, settled (VACUUM
// (ANALYZE)) before the timing.
var benchTables = []string{"members", "member_exits", "cards", "card_events", "ledger_accounts", "ledger_postings",
	"ledger_entries", "ledger_lots", "ledger_lot_moves", "loyalty_purchases", "report_watermarks", "report_card_months",
	"report_member_months", "report_consumption_months", "report_points_months", "report_points_expiry"}

// reportRuns is every report over the last three months (the arrears as of today) on a
// fixture's mall, by name.
func reportRuns(f *fixture) map[string]func() error {
	ctx := adminOf(f.mall)
	groupCtx := servicetest.Context(servicetest.Staff(auth.RoleFinance, auth.LevelGroup, f.group))
	to := reports.MonthOf(now.In(shanghai))
	last3 := reports.Range{From: reports.MonthOf(now.In(shanghai).AddDate(0, -2, 0)), To: to}
	return map[string]func() error{
		"members":     func() error { _, err := f.set.Reports.Members(ctx, f.mall, last3); return err },
		"memberCards": func() error { _, err := f.set.Reports.Cards(ctx, f.mall, last3); return err },
		"consumption": func() error { _, err := f.set.Reports.Consumption(ctx, f.mall, last3); return err },
		"points":      func() error { _, err := f.set.Reports.Points(ctx, f.mall, last3); return err },
		"occupancy":   func() error { _, err := f.set.Reports.Occupancy(ctx, f.mall); return err },
		"coupons":     func() error { _, err := f.set.Reports.Coupons(ctx, f.mall); return err },
		"pipeline":    func() error { _, err := f.set.Reports.Pipeline(ctx, f.mall, last3); return err },
		"arrears": func() error {
			_, err := f.set.Reports.Arrears(ctx, f.mall, schedule.DateOf(now.In(shanghai)))
			return err
		},
		"patrol":   func() error { _, err := f.set.Reports.Patrol(ctx, f.mall, last3); return err },
		"bookings": func() error { _, err := f.set.Reports.Bookings(ctx, f.mall, last3); return err },
		"sla":      func() error { _, err := f.set.Reports.WorkOrderSLA(ctx, f.mall, last3); return err },
		"energy":   func() error { _, err := f.set.Reports.Energy(ctx, f.mall, last3); return err },
		"groupPoints": func() error {
			_, err := f.set.Reports.GroupPoints(groupCtx, f.group, last3)
			return err
		},
	}
}

// seedLedger writes n ledger entries (n/2 points postings of two entries into 2,000
// members' cards), n/3 points lots (one per posting into an available account, a year
// to expire), n/2 purchases and n/100 card events over the three years before now, and
// analyses the tables. The 2,000 members (registered over the three years, a tenth of
// them exited), their cards and accounts go by COPY; the
// bulk is set-based SQL on the server (INSERT … SELECT over generate_series, in chunks
// of seedChunk rows, each its own statement), so nothing crosses the wire per row: a
// posting's id is md5(run, i) as a uuid, which its two entries compute again.
func seedLedger(b *testing.B, f *fixture, n int) {
	ctx := f.ctx
	const holders = 2000
	members, cards := make([]uuid.UUID, holders), make([]uuid.UUID, holders)
	avail, pend := make([]uuid.UUID, holders), make([]uuid.UUID, holders)
	tiers := []any{nil, f.silver, f.gold}
	types := []uuid.UUID{f.ecard, f.stored}
	// newest is the latest instant a row gets (settled by then); rows spread over three
	// years before it.
	newest := now.Add(-reports.Settle - time.Minute)
	const spanSecs = 3 * 365 * 24 * 3600
	registered := func(i int) time.Time { return newest.Add(-time.Duration(i) * (spanSecs / holders) * time.Second) }
	copyRows(b, f, "members", []string{"id", "group_id", "registered_mall_id", "tier_id", "name", "registered_at"},
		holders, func(i int) []any {
			members[i] = uuid.New()
			return []any{members[i], f.group, f.mall, tiers[i%3], "M", registered(i)}
		})
	// Every tenth member exited (approved) halfway between registering and newest.
	copyRows(b, f, "member_exits", []string{"id", "group_id", "member_id", "status", "applied_by", "applied_at",
		"decided_at"}, holders/10, func(i int) []any {
		at := registered(10 * i).Add(newest.Sub(registered(10*i)) / 2)
		return []any{uuid.New(), f.group, members[10*i], "APPROVED", "bench", at, at}
	})
	copyRows(b, f, "cards", []string{"id", "group_id", "member_id", "card_type_id", "number", "issued_at"}, holders,
		func(i int) []any {
			cards[i] = uuid.New()
			return []any{cards[i], f.group, members[i], types[i%2], fmt.Sprintf("B%d-%d", n, i), now}
		})
	copyRows(b, f, "ledger_accounts", []string{"id", "group_id", "kind", "owner_id", "asset", "cached"}, 2*holders,
		func(i int) []any {
			id, kind := uuid.New(), "card"
			if i%2 == 1 {
				kind = "card_pending"
				pend[i/2] = id
			} else {
				avail[i/2] = id
			}
			return []any{id, f.group, kind, cards[i/2], "points", true}
		})
	run := uuid.NewString()[:8] // keeps this run's ids and keys apart from another's
	chunks := func(total int, stmt string, args ...any) {
		for lo := 0; lo < total; lo += seedChunk {
			hi := min(lo+seedChunk, total) - 1
			if _, err := f.set.DB.Pool.Exec(ctx, stmt, append([]any{lo, hi}, args...)...); err != nil {
				b.Fatalf("seed: %v\n%s", err, stmt)
			}
		}
	}
	chunks(max(n/100, 1), `INSERT INTO card_events (id, card_id, group_id, action, to_status, operator_kind, at)
		SELECT gen_random_uuid(), ($3::uuid[])[1 + i % 2000], $4,
			(ARRAY['issue', 'issue', 'issue', 'reissue', 'cancel'])[1 + i % 5], 'active', 'staff',
			$5::timestamptz - random() * $6 * interval '1 second'
		FROM generate_series($1::int, $2::int) i`, cards, f.group, newest, spanSecs)
	chunks(n/2, `INSERT INTO ledger_postings (id, group_id, kind, key, created_at)
		SELECT md5($3 || '-' || i)::uuid, $4, 'earn', $3 || '-' || i, $5::timestamptz - (i::bigint * 2654435761 % $6) * interval '1 second'
		FROM generate_series($1::int, $2::int) i`, run, f.group, newest, spanSecs)
	chunks(n/2, `INSERT INTO ledger_entries (posting_id, account_id, asset, amount)
		SELECT md5($3 || '-' || i)::uuid, CASE WHEN i % 3 = 0 THEN ($4::uuid[])[1 + i % 2000] ELSE ($5::uuid[])[1 + i % 2000] END,
			'points', 1 + i % 50
		FROM generate_series($1::int, $2::int) i
		UNION ALL
		SELECT md5($3 || '-' || i)::uuid, $6::uuid, 'points', -(1 + i % 50)
		FROM generate_series($1::int, $2::int) i`, run, pend, avail, f.issuance)
	// A lot per posting into an available account (the posting's time, a year to expire):
	// expired by newest, else available and untouched.
	chunks(n/2, `INSERT INTO ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at,
			posting_id, created_at)
		SELECT gen_random_uuid(), ($3::uuid[])[1 + i % 2000], ($4::uuid[])[1 + i % 2000],
			CASE WHEN at + interval '1 year' <= $5::timestamptz THEN 'expired' ELSE 'available' END, 1 + i % 50,
			CASE WHEN at + interval '1 year' <= $5::timestamptz THEN 0 ELSE 1 + i % 50 END, at, at + interval '1 year',
			md5($6 || '-' || i)::uuid, at
		FROM (SELECT i, $5::timestamptz - (i::bigint * 2654435761 % $7) * interval '1 second' AS at
			FROM generate_series($1::int, $2::int) i WHERE i % 3 <> 0) x`, avail, cards, newest, run, spanSecs)
	// Their moves, as the ledger writes them: each lot's amount when created and, for an
	// expired lot, all of it out again (on the lot's posting).
	if _, err := f.set.DB.Pool.Exec(ctx, `INSERT INTO ledger_lot_moves (lot_id, posting_id, amount)
		SELECT l.id, l.posting_id, m.amount FROM ledger_lots l
		CROSS JOIN LATERAL (VALUES (l.amount, 0), (-l.amount, 1)) m(amount, k)
		WHERE l.account_id = ANY($1::uuid[]) AND (m.k = 0 OR l.status = 'expired')`, avail); err != nil {
		b.Fatalf("seed lot moves: %v", err)
	}
	chunks(n/2, `INSERT INTO loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id,
			pay_card_id, amount, discount_rate, payable, stored_value, points_used, points_value, cash, points_earned, created_at)
		SELECT gen_random_uuid(), $3, $4, CASE WHEN i % 2 = 0 THEN $5::uuid ELSE $6::uuid END, $7 || '-' || i,
			($8::uuid[])[1 + i % 2000], ($9::uuid[])[1 + i % 2000], ($9::uuid[])[1 + i % 2000], 10 + i % 500, 1,
			10 + i % 500, 0, 0, 0, 10 + i % 500, 0, $10::timestamptz - random() * $11 * interval '1 second'
		FROM generate_series($1::int, $2::int) i`, f.group, f.mall, f.coffee, f.shoe, run, members, cards, newest, spanSecs)
	for _, t := range []string{"members", "member_exits", "cards", "card_events", "ledger_accounts", "ledger_postings",
		"ledger_entries", "ledger_lots", "ledger_lot_moves", "loyalty_purchases"} {
		f.exec("ANALYZE " + t)
	}
}

// seedChunk is how many rows one seeding statement writes.
const seedChunk = 500_000

// copyRows COPYs n rows made by row(i) into table.
func copyRows(b *testing.B, f *fixture, table string, cols []string, n int, row func(i int) []any) {
	i := 0
	_, err := f.set.DB.Pool.CopyFrom(context.Background(), pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		return row(i - 1), nil
	}))
	if err != nil {
		b.Fatalf("copy %s: %v", table, err)
	}
}
