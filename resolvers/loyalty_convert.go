package resolvers

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// purchaseInput maps recordPurchase's input to the service's.
func purchaseInput(in model.RecordPurchaseInput) (loyalty.PurchaseInput, error) {
	out := loyalty.PurchaseInput{CardNumber: strings.TrimSpace(deref(in.CardNumber)), Amount: in.Amount,
		ReceiptNo: in.ReceiptNo, StoredValue: decimalOr0(in.StoredValue), Points: decimalOr0(in.Points),
		IdempotencyKey: in.IdempotencyKey}
	var err error
	if out.MerchantID, err = globalID("Merchant", in.MerchantID); err != nil {
		return out, err
	}
	if in.MemberID != nil {
		if out.MemberID, err = globalID("Member", *in.MemberID); err != nil {
			return out, err
		}
	}
	payCard, err := optGlobalID("Card", in.PayCardID)
	if err != nil {
		return out, err
	}
	if payCard != nil {
		out.PayCardID = *payCard
	}
	out.CouponIDs, err = couponIDs(in.CouponIds)
	return out, err
}

// couponIDs parses Coupon global IDs; none is nil.
func couponIDs(ids []string) ([]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out := make([]uuid.UUID, len(ids))
	for i, id := range ids {
		u, err := relay.ParseAs("Coupon", id)
		if err != nil {
			return nil, errs.Invalid("input.couponIds."+strconv.Itoa(i), "%q is not a Coupon ID", id)
		}
		out[i] = u
	}
	return out, nil
}

func decimalOr0(d *decimal.Decimal) decimal.Decimal {
	if d == nil {
		return decimal.Zero
	}
	return *d
}

func purchaseModel(p loyalty.Purchase) *model.Purchase {
	return &model.Purchase{ID: relay.ID("Purchase", p.ID), ReceiptNo: p.ReceiptNo, Amount: p.Amount,
		DiscountRate: p.DiscountRate, CouponDiscount: p.CouponDiscount, MallFundedDiscount: p.MallFunded, Payable: p.Payable, StoredValue: p.StoredValue, PointsUsed: p.PointsUsed,
		PointsValue: p.PointsValue, Cash: p.Cash, PointsEarned: p.PointsEarned, TierUpgraded: p.Upgraded,
		CreatedAt: p.CreatedAt}
}

func refundModel(r loyalty.Refund) *model.PurchaseRefund {
	restored := make([]string, len(r.CouponsRestored))
	for i, id := range r.CouponsRestored {
		restored[i] = relay.ID("Coupon", id)
	}
	return &model.PurchaseRefund{Amount: r.Amount, StoredValue: r.StoredValue, PointsBack: r.PointsBack,
		PointsClawedBack: r.PointsClawed, Cash: r.Cash, CouponsRestored: restored, CouponFunding: r.CouponFunding}
}

func cardValueModel(cardID string, v loyalty.CardValue) model.CardValue {
	out := model.CardValue{CardID: cardID, Points: v.Points, PendingPoints: v.PendingPoints, StoredValue: v.StoredValue,
		Uses: v.Uses, Lots: make([]model.PointsLot, len(v.Lots))}
	for i, l := range v.Lots {
		out.Lots[i] = model.PointsLot{Amount: l.Amount, Remaining: l.Remaining, Status: upper[model.PointsLotStatus](string(l.Status)),
			AvailableAt: l.AvailableAt, ExpiresAt: l.ExpiresAt}
	}
	return out
}

// usesPayload is a count card's uses after addCardUses or redeemCardUses.
func usesPayload(u loyalty.Uses) model.CardUsesPayload {
	id, left := relay.ID("Card", u.CardID), int(u.Left)
	return model.CardUsesPayload{CardID: &id, UsesLeft: &left, UserErrors: []model.UserError{}}
}

func rankModel(r loyalty.Rank) model.LeaderboardEntry {
	return model.LeaderboardEntry{Rank: r.Rank, MemberID: relay.ID("Member", r.MemberID), Points: r.Points}
}

// month is the requested leaderboard month, or the current one.
func (r *queryResolver) month(m *string) string {
	if m != nil && *m != "" {
		return *m
	}
	return r.Loyalty.CurrentMonth()
}

// viewerID is the viewer's id (uuid.Nil when anonymous).
func viewerID(ctx context.Context) uuid.UUID {
	if v := auth.ViewerFrom(ctx); v != nil {
		return v.ID
	}
	return uuid.Nil
}

// NodeTier loads a Tier for node(id:) (node.go).
func (r *Resolver) NodeTier(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Loyalty.Tier(ctx, id)
}
