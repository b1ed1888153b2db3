package coupons

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// naiveClaim is the baseline: read the stock with SELECT … FOR UPDATE, then UPDATE,
// then INSERT, all on PostgreSQL for every claim.
func naiveClaim(ctx context.Context, f fixture, templateID, member uuid.UUID) error {
	return f.db.InTx(ctx, func(tx pgx.Tx) error {
		var claimed, total int
		if err := tx.QueryRow(ctx, `SELECT claimed_count, total_stock FROM coupon_templates WHERE id = $1 FOR UPDATE`,
			templateID).Scan(&claimed, &total); err != nil {
			return err
		}
		if claimed >= total {
			return ErrSoldOut
		}
		if _, err := tx.Exec(ctx, `UPDATE coupon_templates SET claimed_count = claimed_count + 1 WHERE id = $1`,
			templateID); err != nil {
			return err
		}
		now := f.clock.Now()
		_, err := tx.Exec(ctx, `INSERT INTO coupons (id, template_id, member_id, seq, valid_from, valid_until)
			VALUES ($1, $2, $3, 1, $4, $5)`, service.NewID(), templateID, member, now, now.Add(time.Hour))
		return err
	})
}

// BenchmarkFlashSaleClaims measures claims per second of a flash sale (stock of 1 in
// 20 attempts) through the gate, against the naive transaction in the same run.
func BenchmarkFlashSaleClaims(b *testing.B) {
	f := setup(b)
	n := max(b.N, 200)
	members := f.world.Members(b, f.db, n)
	in := f.cashInput()
	in.TotalStock = n / 20
	gated, naive := f.template(b, in), f.template(b, in)
	b.ResetTimer()
	gatedRate := redemptiontest.Rate(n, 64, func(i int) {
		_, _ = f.svc.Claim(redemptiontest.Shopper(f.ctx, members[i]), gated.ID, uuid.NewString())
	})
	naiveRate := redemptiontest.Rate(n, 64, func(i int) { _ = naiveClaim(f.ctx, f, naive.ID, members[i]) })
	b.StopTimer()
	b.ReportMetric(gatedRate, "claims/s")
	b.ReportMetric(naiveRate, "baseline-claims/s")
	b.ReportMetric(gatedRate/naiveRate, "x-baseline")
}
