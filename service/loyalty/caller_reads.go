package loyalty

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// PurchaseSummary is a purchase as another context shows it (caller recognition).
type PurchaseSummary struct {
	ID           uuid.UUID
	MallID       uuid.UUID
	MerchantID   uuid.UUID
	ReceiptNo    string
	Amount       decimal.Decimal
	Payable      decimal.Decimal
	PointsEarned decimal.Decimal
	Refunded     decimal.Decimal
	CreatedAt    time.Time
}

// RecentPurchasesOf returns a member's latest n purchases in group, newest first
// (exported read without an access check: the caller checks access to the member).
func RecentPurchasesOf(ctx context.Context, q storage.Querier, group, member uuid.UUID, n int) ([]PurchaseSummary, error) {
	rows, err := queries.New(q).RecentPurchasesOfMember(ctx, queries.RecentPurchasesOfMemberParams{MemberID: member,
		GroupID: group, Lim: int32(n)})
	out := make([]PurchaseSummary, len(rows))
	for i, r := range rows {
		out[i] = PurchaseSummary(r)
	}
	return out, err
}
