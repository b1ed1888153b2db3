package resolvers_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/internal/benchab"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
)

// BenchmarkRecordPurchaseGraphQL measures recordPurchase through the GraphQL layer
// against a bare single-row insert transaction, alternating A B A B in one run (the
// same-rows comparison of the purchase itself is BenchmarkRecordPurchase in
// service/loyalty).
//
//	go test -run '^$' -bench RecordPurchaseGraphQL ./resolvers
func BenchmarkRecordPurchaseGraphQL(b *testing.B) {
	a, org, staff := newLoyaltyAPI(b)
	ctx := context.Background()
	if _, err := a.DB.Pool.Exec(ctx, `CREATE TABLE bench_rows (id uuid PRIMARY KEY)`); err != nil {
		b.Fatal(err)
	}
	member := org.Member(b, a.DB)
	_, number := org.Card(b, a.DB, member)
	v := staff()
	benchab.Alternate(b, 5, 60, 4,
		benchab.Side{Name: "purchases/s", Run: func(i int) {
			out := a.As(v, recordPurchase, map[string]any{"in": map[string]any{
				"merchantId": relay.ID("Merchant", org.MerchantID), "cardNumber": number, "amount": "10",
				"receiptNo": fmt.Sprintf("B%d", i), "idempotencyKey": fmt.Sprintf("k%d", i)}})
			if field(out, "data", "recordPurchase", "purchase", "id") == nil {
				b.Errorf("recordPurchase: %v", out)
			}
		}},
		benchab.Side{Name: "commits/s", Run: func(int) {
			err := a.DB.InTx(ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO bench_rows (id) VALUES ($1)`, service.NewID())
				return err
			})
			if err != nil {
				b.Error(err)
			}
		}})
}
