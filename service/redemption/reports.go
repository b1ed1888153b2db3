package redemption

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
)

// MerchantDay is the number of live (not voided) redemptions at a merchant on a
// business day of the mall; MerchantID is uuid.Nil for redemptions by mall staff.
type MerchantDay struct {
	MerchantID uuid.UUID
	Day        time.Time // midnight UTC of the mall's calendar day
	Count      int
}

// RedemptionsPerMerchantDay reports a mall's redemptions per merchant per day in
// [from, to), for the mall's admin, finance and member-ops staff. Days are the mall's
// business days (its time zone, from org).
func (s *Service) RedemptionsPerMerchantDay(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]MerchantDay, error) {
	mall, err := s.org.AtMall(ctx, mallID, reportRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).RedemptionsPerMerchantDay(ctx, queries.RedemptionsPerMerchantDayParams{
		Zone: mall.Loc.String(), MallID: mallID, FromTime: from, ToTime: to})
	if err != nil {
		return nil, err
	}
	out := make([]MerchantDay, len(rows))
	for i, r := range rows {
		out[i] = MerchantDay{MerchantID: r.MerchantID, Day: r.Day, Count: int(r.Count)}
	}
	return out, nil
}
