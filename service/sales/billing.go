package sales

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/sales/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Billing's batched reads and closings. A bill run reads the declared sales of the
// merchants of a batch of contracts (MonthsTx) and hands them to leasing as the base
// of percentage rent; once it has billed a month's percentage rent it closes that
// merchant's sales through the month (CloseManyTx), in the batch's transaction, so the
// base billed never changes. These calls trust their caller: billing authorized the
// run's starter (FINANCE or ADMIN of the mall) and runs them from its job.

// MonthsTx returns, per merchant of merchants at a mall, the declared sales of each
// calendar month in [from, to) that has any (the month's declaration when there is
// one, else the sum of its days), keyed by the month's first day (midnight UTC).
func (s *Service) MonthsTx(ctx context.Context, db storage.Querier, group, mall uuid.UUID, merchants []uuid.UUID,
	from, to time.Time) (map[uuid.UUID]map[time.Time]decimal.Decimal, error) {
	rows, err := queries.New(db).DeclaredMonths(ctx, queries.DeclaredMonthsParams{GroupID: group, MallID: mall,
		MerchantIds: merchants, FirstDay: firstOfMonth(from), NextFirst: firstOfMonth(to)})
	if err != nil {
		return nil, fmt.Errorf("sales: declared months: %w", err)
	}
	out := map[uuid.UUID]map[time.Time]decimal.Decimal{}
	for _, r := range rows {
		amount, by := declaredOf(queries.DeclaredOfMonthRow{MerchantID: r.MerchantID, HasMonth: r.HasMonth,
			MonthTotal: r.MonthTotal, DaysTotal: r.DaysTotal, Days: r.Days})
		if by == DeclaredByNone {
			continue
		}
		if out[r.MerchantID] == nil {
			out[r.MerchantID] = map[time.Time]decimal.Decimal{}
		}
		m := r.Month
		out[r.MerchantID][time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)] = amount
	}
	return out, nil
}

// CloseManyTx closes each merchant's sales at a mall through its day (inclusive) in tx;
// a closing never moves back. by is who closes (uuid.Nil: a job).
func (s *Service) CloseManyTx(ctx context.Context, tx pgx.Tx, group, mall uuid.UUID, through map[uuid.UUID]time.Time, by uuid.UUID) error {
	if len(through) == 0 {
		return nil
	}
	in := queries.CloseManyParams{GroupID: group, MallID: mall, ClosedBy: by, ClosedAt: s.now()}
	for m, d := range through {
		in.MerchantIds, in.Days = append(in.MerchantIds, m), append(in.Days, d)
	}
	return queries.New(tx).CloseMany(ctx, in)
}
