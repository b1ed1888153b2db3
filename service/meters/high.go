package meters

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters/internal/queries"
)

// HighRule says when a meter's consumption is far above its unit's rolling average: the
// last 24 hours against the average of the Days 24-hour windows before them, of which
// at least MinHistory must have readings, above Factor times that average.
type HighRule struct {
	Days       int
	Factor     decimal.Decimal
	MinHistory int
}

// DefaultHighRule: three times the average of the previous week, with at least three
// days of history.
var DefaultHighRule = HighRule{Days: 7, Factor: decimal.NewFromInt(3), MinHistory: 3}

// Verdict is what HighConsumption decided.
type Verdict struct {
	High    bool
	Current decimal.Decimal // the last 24 hours
	Average decimal.Decimal // of the previous windows with readings
	History int             // how many previous windows had readings
}

// HighConsumption is the pure rule: current is far above the average of previous when
// there are at least r.MinHistory previous windows, their average is above zero (a
// unit that used nothing gives no basis) and current exceeds r.Factor times it.
func HighConsumption(current decimal.Decimal, previous []decimal.Decimal, r HighRule) Verdict {
	v := Verdict{Current: current, History: len(previous)}
	if len(previous) == 0 {
		return v
	}
	sum := decimal.Zero
	for _, p := range previous {
		sum = sum.Add(p)
	}
	v.Average = sum.Div(decimal.NewFromInt(int64(len(previous)))).Round(3)
	v.High = len(previous) >= r.MinHistory && v.Average.IsPositive() && current.GreaterThan(v.Average.Mul(r.Factor))
	return v
}

// CheckHighTx reads meter dev's consumption in the 24 hours up to at and in the
// r.Days windows before (windows without readings left out) inside tx (the reading's
// transaction) and applies HighConsumption.
func CheckHighTx(ctx context.Context, tx pgx.Tx, dev devices.Device, at time.Time, r HighRule) (Verdict, error) {
	const day = 24 * time.Hour
	from := at.Add(-time.Duration(r.Days+1) * day)
	s, err := seriesOf(ctx, queries.New(tx), dev, from, at)
	if err != nil {
		return Verdict{}, err
	}
	var previous []decimal.Decimal
	for i := 1; i <= r.Days; i++ {
		if u := s.Between(at.Add(-time.Duration(i+1)*day), at.Add(-time.Duration(i)*day)); !u.Partial {
			previous = append(previous, u.Amount)
		}
	}
	return HighConsumption(s.Between(at.Add(-day), at).Amount, previous, r), nil
}
