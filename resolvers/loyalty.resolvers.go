package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/page"
)

// RecordPurchase is the resolver for the recordPurchase field.
func (r *mutationResolver) RecordPurchase(ctx context.Context, input model.RecordPurchaseInput) (model.RecordPurchasePayload, error) {
	in, err := purchaseInput(input)
	if err == nil {
		var p loyalty.Purchase
		if p, err = r.Loyalty.RecordPurchase(ctx, in); err == nil {
			return model.RecordPurchasePayload{Purchase: purchaseModel(p), UserErrors: []model.UserError{}}, nil
		}
	}
	ue, err := userErrors(err)
	return model.RecordPurchasePayload{UserErrors: ue}, err
}

// RefundPurchase is the resolver for the refundPurchase field.
func (r *mutationResolver) RefundPurchase(ctx context.Context, input model.RefundPurchaseInput) (model.RefundPurchasePayload, error) {
	merchant, err := globalID("Merchant", input.MerchantID)
	if err == nil {
		var res loyalty.Refund
		res, err = r.Loyalty.RefundPurchase(ctx, loyalty.RefundInput{MerchantID: merchant, ReceiptNo: input.ReceiptNo,
			Amount: deref(input.Amount), IdempotencyKey: input.IdempotencyKey})
		if err == nil {
			return model.RefundPurchasePayload{Refund: refundModel(res), UserErrors: []model.UserError{}}, nil
		}
	}
	ue, err := userErrors(err)
	return model.RefundPurchasePayload{UserErrors: ue}, err
}

// RechargeCard is the resolver for the rechargeCard field.
func (r *mutationResolver) RechargeCard(ctx context.Context, input model.RechargeCardInput) (model.RechargeCardPayload, error) {
	mall, err := globalID("Mall", input.MallID)
	if err == nil {
		var res loyalty.Recharge
		res, err = r.Loyalty.RechargeCard(ctx, loyalty.RechargeInput{MallID: mall, CardNumber: input.CardNumber,
			Amount: input.Amount, IdempotencyKey: input.IdempotencyKey})
		if err == nil {
			return model.RechargeCardPayload{Recharge: &model.Recharge{Amount: res.Amount, Bonus: res.Bonus,
				Balance: res.Balance}, UserErrors: []model.UserError{}}, nil
		}
	}
	ue, err := userErrors(err)
	return model.RechargeCardPayload{UserErrors: ue}, err
}

// TransferPoints is the resolver for the transferPoints field.
func (r *mutationResolver) TransferPoints(ctx context.Context, input model.TransferPointsInput) (model.TransferPointsPayload, error) {
	card, err := globalID("Card", input.FromCardID)
	if err == nil {
		var res loyalty.Transfer
		res, err = r.Loyalty.TransferPoints(ctx, loyalty.TransferInput{FromCardID: card, ToCardNumber: input.ToCardNumber,
			Points: input.Points, IdempotencyKey: input.IdempotencyKey})
		if err == nil {
			return model.TransferPointsPayload{Transfer: &model.PointsTransfer{Points: res.Points},
				UserErrors: []model.UserError{}}, nil
		}
	}
	ue, err := userErrors(err)
	return model.TransferPointsPayload{UserErrors: ue}, err
}

// MyCardHistory is the resolver for the myCardHistory field.
func (r *queryResolver) MyCardHistory(ctx context.Context, cardID string, first *int, after *string) (model.CardMovementConnection, error) {
	id, err := globalID("Card", cardID)
	if err != nil {
		return model.CardMovementConnection{}, err
	}
	p, err := page.Parse(first, after)
	if err != nil {
		return model.CardMovementConnection{}, err
	}
	res, err := r.Loyalty.MyCardHistory(ctx, id, p)
	edges, info := connection(res, func(m ledger.Movement) uuid.UUID { return m.PostingID },
		func(c string, m ledger.Movement) model.CardMovementEdge {
			return model.CardMovementEdge{Cursor: c, Node: model.CardMovement{Kind: m.Kind, Memo: m.Memo, At: m.At,
				Points: m.Points, PendingPoints: m.PendingPoints, StoredValue: m.StoredValue, Uses: m.Uses}}
		})
	return model.CardMovementConnection{Edges: edges, PageInfo: info}, err
}

// MyCardValue is the resolver for the myCardValue field.
func (r *queryResolver) MyCardValue(ctx context.Context, cardID string) (model.CardValue, error) {
	id, err := globalID("Card", cardID)
	if err != nil {
		return model.CardValue{}, err
	}
	v, err := r.Loyalty.MyCardValue(ctx, id)
	if err != nil {
		return model.CardValue{}, err
	}
	return cardValueModel(cardID, v), nil
}

// Leaderboard is the resolver for the leaderboard field.
func (r *queryResolver) Leaderboard(ctx context.Context, mallID string, month *string, first *int) ([]model.LeaderboardEntry, error) {
	mall, err := globalID("Mall", mallID)
	if err != nil {
		return nil, err
	}
	n := min(max(deref(first), 1), 100)
	ranks, err := r.Loyalty.Leaderboard(ctx, mall, r.month(month), n)
	out := make([]model.LeaderboardEntry, len(ranks))
	for i, rk := range ranks {
		out[i] = rankModel(rk)
	}
	return out, err
}

// MyRank is the resolver for the myRank field.
func (r *queryResolver) MyRank(ctx context.Context, mallID string, month *string) (model.LeaderboardEntry, error) {
	mall, err := globalID("Mall", mallID)
	if err != nil {
		return model.LeaderboardEntry{}, err
	}
	rk, err := r.Loyalty.MyRank(ctx, mall, r.month(month), viewerID(ctx))
	return rankModel(rk), err
}

// MyNotifications is the resolver for the myNotifications field.
func (r *queryResolver) MyNotifications(ctx context.Context, first *int, after *string) (model.NotificationConnection, error) {
	p, err := page.Parse(first, after)
	if err != nil {
		return model.NotificationConnection{}, err
	}
	res, err := r.Loyalty.MyNotifications(ctx, p)
	edges, info := connection(res, func(n loyalty.Notification) uuid.UUID { return n.ID },
		func(c string, n loyalty.Notification) model.NotificationEdge {
			return model.NotificationEdge{Cursor: c, Node: model.Notification{Kind: n.Kind, Title: n.Title, Body: n.Body,
				CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}}
		})
	return model.NotificationConnection{Edges: edges, PageInfo: info}, err
}
