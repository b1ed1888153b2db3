package loyalty

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
)

// VerifiedDay is one merchant's verified sales of one business day: what shoppers
// paid (payable) for the purchases recorded at the merchant that day, less what was
// refunded that day of any of its purchases. It may be negative (a day of refunds).
type VerifiedDay struct {
	MerchantID uuid.UUID
	Day        time.Time // midnight of the business day, in the zone asked for
	Amount     decimal.Decimal
}

// VerifiedSales is loyalty's read for the rent base (the sales context): per merchant
// of mallID (or only merchantID, when not uuid.Nil) and per business day in loc, the
// verified sales of the days in [from, to) (from and to are midnights in loc). One
// receipt recorded with recordPurchase serves the member's points and the rent base.
// There is no access check: the caller has authorized the read of the mall or merchant.
func (s *Service) VerifiedSales(ctx context.Context, mallID, merchantID uuid.UUID, loc *time.Location, from, to time.Time) ([]VerifiedDay, error) {
	var merchant *uuid.UUID
	if merchantID != uuid.Nil {
		merchant = &merchantID
	}
	rows, err := queries.New(s.db.Pool).VerifiedSalesByDay(ctx, queries.VerifiedSalesByDayParams{MallID: mallID,
		Tz: loc.String(), FromAt: from, ToAt: to, MerchantID: merchant})
	if err != nil {
		return nil, fmt.Errorf("loyalty: verified sales: %w", err)
	}
	out := make([]VerifiedDay, len(rows))
	for i, r := range rows {
		out[i] = VerifiedDay{MerchantID: r.MerchantID, Amount: r.Amount,
			Day: time.Date(r.Day.Year(), r.Day.Month(), r.Day.Day(), 0, 0, 0, 0, loc)}
	}
	return out, nil
}
