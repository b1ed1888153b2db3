package billing_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/internal/benchab"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// benchContracts is how many contracts BenchmarkBillRun bills (ATRIUM_BENCH_CONTRACTS).
func benchContracts(b *testing.B) int {
	if s := os.Getenv("ATRIUM_BENCH_CONTRACTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("ATRIUM_BENCH_CONTRACTS=%q", s)
		}
		return n
	}
	return 5000
}

// BenchmarkBillRun bills 5,000 contracts (seeded through leasing's service: a unit and a
// contract, submitted and approved, each) for a month — contracts per second, batches
// of 200 per transaction — against a bare single-row INSERT transaction (one row per
// commit, on one connection as a run uses one) measured in the same run, alternating
// the two, one month per round.
func BenchmarkBillRun(b *testing.B) {
	f := setup(b, time.Date(2026, 12, 20, 10, 0, 0, 0, sh))
	n := benchContracts(b)
	ctx := context.Background()
	merchants := []uuid.UUID{f.a, f.b}
	benchab.Time(n, 8, func(i int) { f.contract(b, merchants[i%2], terms(schedule.D(2027, 1, 1), 36, 10900)) })
	if _, err := f.base.DB.Pool.Exec(ctx, `CREATE TABLE bench_rows (id uuid PRIMARY KEY)`); err != nil {
		b.Fatal(err)
	}
	const rounds, commits = 3, 1000
	var res benchab.Result
	b.ResetTimer()
	for r := range rounds {
		period := schedule.Month{Year: 2027, Month: time.Month(1 + r)}.String()
		ours := float64(n) / benchab.Time(1, 1, func(int) {
			if run := f.run(b, period); run.Billed != n {
				b.Fatalf("billed %d of %d", run.Billed, n)
			}
		}).Seconds()
		base := benchab.Rate(commits, 1, func(int) {
			if err := f.base.DB.InTx(ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO bench_rows (id) VALUES ($1)`, service.NewID())
				return err
			}); err != nil {
				b.Fatal(err)
			}
		})
		res.Ours, res.Base, res.Ratio = append(res.Ours, ours), append(res.Base, base), append(res.Ratio, ours/base)
	}
	b.StopTimer()
	b.Logf("%d contracts: %.0f contracts/s (rounds %v) vs %.0f single-row commits/s, ratio %.2f× (%.2f–%.2f)",
		n, benchab.Median(res.Ours), res.Ours, benchab.Median(res.Base), benchab.Median(res.Ratio),
		slices.Min(res.Ratio), slices.Max(res.Ratio))
	res.Report(b, "contracts/s", "commits/s")
}
