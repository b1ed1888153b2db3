package redemption

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// BenchmarkRedeem measures redemptions per second (token verification, scope check,
// idempotency record, conditional UPDATE, event) against a baseline measured in the
// same run: the bare SELECT … FOR UPDATE then UPDATE of the code's status.
func BenchmarkRedeem(b *testing.B) {
	db := storetest.DB(b)
	clock := redemptiontest.NewClock(time.Now())
	w := redemptiontest.NewWorld(b, db)
	svc := newService(b, db, Config{}, clock.Now)
	n := max(b.N, 200)
	member := w.Member(b, db)
	codes := make([]Code, 2*n)
	ctx := b.Context()
	for i := range codes {
		_ = db.InTx(ctx, func(tx pgx.Tx) (err error) {
			codes[i], err = svc.IssueTx(ctx, tx, IssueInput{Kind: KindCoupon, SubjectID: service.NewID(), MemberID: member,
				MallID: w.MallID, ValidFrom: clock.Now().Add(-time.Hour), ValidUntil: clock.Now().Add(time.Hour)})
			return err
		})
	}
	staff := w.MallStaff(ctx)
	b.ResetTimer()
	got := redemptiontest.Rate(n, 32, func(i int) { _, _ = svc.Redeem(staff, codes[i].Token, uuid.NewString()) })
	base := redemptiontest.Rate(n, 32, func(i int) {
		_ = db.InTx(ctx, func(tx pgx.Tx) error {
			var status string
			if err := tx.QueryRow(ctx, `SELECT status FROM redemption_codes WHERE id = $1 FOR UPDATE`,
				codes[n+i].ID).Scan(&status); err != nil || status != "issued" {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE redemption_codes SET status = 'redeemed' WHERE id = $1`, codes[n+i].ID)
			return err
		})
	})
	b.StopTimer()
	b.ReportMetric(got, "redemptions/s")
	b.ReportMetric(base, "baseline-redemptions/s")
	b.ReportMetric(got/base, "x-baseline")
}
