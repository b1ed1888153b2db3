package alliance

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/alliance/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
)

// MonthStats is a merchant's standing rows of one business month (YYYY-MM).
type MonthStats struct {
	Month   string
	Rows    int64
	Members int64
	Amount  decimal.Decimal
	Points  decimal.Decimal
}

// Stats returns a merchant's rows, members, amount and points per business month
// (the managing mall's zone) from..to (YYYY-MM, at most 36 months), reverted runs
// excluded.
func (s *Service) Stats(ctx context.Context, merchantID uuid.UUID, from, to string) ([]MonthStats, error) {
	m, p, err := s.merchant(ctx, s.db.Pool, merchantID)
	if err != nil {
		return nil, err
	}
	f, err1 := time.ParseInLocation("2006-01", from, p.Loc)
	t, err2 := time.ParseInLocation("2006-01", to, p.Loc)
	if err1 != nil || err2 != nil || t.Before(f) || t.After(f.AddDate(3, 0, 0)) {
		return nil, errs.Invalid("from", "give from..to as YYYY-MM, in order, at most 36 months")
	}
	rows, err := queries.New(s.db.Pool).MonthlyStats(ctx, queries.MonthlyStatsParams{Zone: p.Loc.String(),
		GroupID: m.GroupID, MerchantID: m.ID, FromAt: f, ToAt: t.AddDate(0, 1, 0)})
	if err != nil {
		return nil, fmt.Errorf("alliance stats: %w", err)
	}
	out := make([]MonthStats, len(rows))
	for i, r := range rows {
		out[i] = MonthStats{Month: r.Month, Rows: r.Rows, Members: r.Members, Amount: r.Amount, Points: r.Points}
	}
	return out, nil
}
