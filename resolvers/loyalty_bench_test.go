package resolvers_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
)

// BenchmarkRecordPurchaseGraphQL measures recordPurchase through the GraphQL layer
// against a bare single-row insert transaction measured in the same run.
//
//	go test -run '^$' -bench RecordPurchaseGraphQL -benchtime 200x ./resolvers
func BenchmarkRecordPurchaseGraphQL(b *testing.B) {
	a, org, staff := newLoyaltyAPI(b)
	ctx := context.Background()
	if _, err := a.DB.Pool.Exec(ctx, `CREATE TABLE bench_rows (id uuid PRIMARY KEY)`); err != nil {
		b.Fatal(err)
	}
	member := org.Member(b, a.DB)
	_, number := org.Card(b, a.DB, member)
	v := staff()
	baseline := servicetest.PerSecond(b.N, func(int) {
		err := a.DB.InTx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO bench_rows (id) VALUES ($1)`, service.NewID())
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	})
	b.ResetTimer()
	rate := servicetest.PerSecond(b.N, func(i int) {
		out := a.As(v, recordPurchase, map[string]any{"in": map[string]any{
			"merchantId": relay.ID("Merchant", org.MerchantID), "cardNumber": number, "amount": "10",
			"receiptNo": fmt.Sprintf("B%d", i), "idempotencyKey": fmt.Sprintf("k%d", i)}})
		if field(out, "data", "recordPurchase", "purchase", "id") == nil {
			b.Fatalf("recordPurchase: %v", out)
		}
	})
	b.StopTimer()
	b.ReportMetric(rate, "purchases/s")
	b.ReportMetric(baseline, "baseline-tx/s")
	b.ReportMetric(rate/baseline, "x-baseline")
}
