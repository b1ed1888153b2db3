package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/payments"
)

// referenceTypes names the global ID type of what each purpose pays for.
var referenceTypes = map[string]string{payments.PurposeRecharge: "Card", "BILL": "Bill"}

func paymentOrderOut(o payments.Order) *model.PaymentOrder {
	ref := o.ReferenceID.String()
	if t, ok := referenceTypes[o.Purpose]; ok {
		ref = relay.ID(t, o.ReferenceID)
	}
	return &model.PaymentOrder{ID: relay.ID("PaymentOrder", o.ID), OutTradeNo: o.OutTradeNo, MallID: relay.ID("Mall", o.MallID),
		Purpose: o.Purpose, ReferenceID: ref, PayerKind: string(o.PayerKind), Amount: o.Amount(), Refunded: o.Refunded(),
		Mode: model.PaymentMode(o.Mode), Status: model.PaymentOrderStatus(o.Status), Description: o.Description,
		CodeURL: optString(o.CodeURL), ExpiresAt: o.ExpiresAt, TransactionID: optString(o.TransactionID), PaidAt: o.PaidAt,
		ClosedAt: o.ClosedAt, SettleError: optString(o.SettleError), CreatedAt: o.CreatedAt}
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func paymentOrderConnection(res page.Result[payments.Order]) model.PaymentOrderConnection {
	edges, info := connection(res, func(o payments.Order) uuid.UUID { return o.ID },
		func(cur string, o payments.Order) model.PaymentOrderEdge {
			return model.PaymentOrderEdge{Cursor: cur, Node: *paymentOrderOut(o)}
		})
	return model.PaymentOrderConnection{Edges: edges, PageInfo: info}
}

func jsapiOut(p *payments.JSAPIParams) *model.WeChatPayJsapiParams {
	if p == nil {
		return nil
	}
	return &model.WeChatPayJsapiParams{AppID: p.AppID, TimeStamp: p.TimeStamp, NonceStr: p.NonceStr, Package: p.Package,
		SignType: p.SignType, PaySign: p.PaySign}
}

func paymentRefundOut(r payments.Refund) model.PaymentRefund {
	return model.PaymentRefund{ID: relay.ID("PaymentRefund", r.ID), OutRefundNo: r.OutRefundNo, Amount: r.Amount(),
		Reason: r.Reason, Status: string(r.Status), WechatStatus: optString(r.WeChatStatus), CreatedAt: r.CreatedAt,
		FinishedAt: r.FinishedAt}
}

func paymentNotificationOut(n payments.NotificationRecord) model.PaymentNotification {
	return model.PaymentNotification{ID: relay.ID("PaymentNotification", n.ID), Source: n.Source,
		NotificationID: n.NotificationID, EventType: n.EventType, OutTradeNo: optString(n.OutTradeNo),
		OutRefundNo: optString(n.OutRefundNo), Outcome: upper[model.PaymentNotificationOutcome](n.Outcome),
		Reason: n.Reason, ReceivedAt: n.ReceivedAt}
}

// Node loaders of the payments context (node.go).

// NodePaymentOrder loads a PaymentOrder for node(id:).
func (r *Resolver) NodePaymentOrder(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	o, err := r.Services.Payments.Order(ctx, id)
	if err != nil {
		return nil, err
	}
	return paymentOrderOut(o), nil
}
