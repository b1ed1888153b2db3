package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
)

// BenchmarkRecordPurchase measures purchases per second through the service layer
// (stored value + earned points, each its own transaction) against a bare
// single-row insert transaction measured in the same run.
//
//	go test -run '^$' -bench RecordPurchase -benchtime 200x ./service/loyalty
func BenchmarkRecordPurchase(b *testing.B) {
	s := setup(b)
	ctx := context.Background()
	if _, err := s.db.Pool.Exec(ctx, `CREATE TABLE bench_rows (id uuid PRIMARY KEY, v numeric(18,2))`); err != nil {
		b.Fatal(err)
	}
	ms := make([]member, 16)
	for i := range ms {
		ms[i] = s.member()
		s.recharge(ms[i], "100000")
	}
	start := time.Now()
	for range b.N {
		err := s.db.InTx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO bench_rows (id, v) VALUES ($1, 1)`, service.NewID())
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	baseline := float64(b.N) / time.Since(start).Seconds()
	b.ResetTimer()
	start = time.Now()
	for i := range b.N {
		if _, err := s.buy(ms[i%len(ms)], "10", "5", "0"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	rate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(rate, "purchases/s")
	b.ReportMetric(baseline, "baseline-tx/s")
	b.ReportMetric(rate/baseline, "x-baseline")
}
