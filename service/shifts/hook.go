package shifts

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/loyalty"
)

// LoyaltyHook records loyalty's till operations in the cashier's open shift, inside
// their transactions (loyalty.Hook): a purchase's cash part (its tender) and stored
// value part (STORED_VALUE), a refund's parts given back (negative), a desk recharge
// (its tender).
type LoyaltyHook struct{ S *Service }

var _ loyalty.Hook = LoyaltyHook{}

// PurchasedTx records a purchase.
func (h LoyaltyHook) PurchasedTx(ctx context.Context, tx pgx.Tx, e loyalty.PurchaseEvent) error {
	src := e.PurchaseID.String()
	if _, err := h.S.RecordTx(ctx, tx, Op{Place: e.Place, Cashier: e.Cashier, Kind: "PURCHASE", Tender: e.CashTender,
		Amount: e.Cash, SourceID: src, At: e.At}); err != nil {
		return err
	}
	_, err := h.S.RecordTx(ctx, tx, Op{Place: e.Place, Cashier: e.Cashier, Kind: "PURCHASE", Tender: TenderStoredValue,
		Amount: e.Stored, SourceID: src, At: e.At})
	return err
}

// RefundedTx records a refund (money out of the till: negative).
func (h LoyaltyHook) RefundedTx(ctx context.Context, tx pgx.Tx, e loyalty.RefundEvent) error {
	src := e.RefundID.String()
	if _, err := h.S.RecordTx(ctx, tx, Op{Place: e.Place, Cashier: e.Cashier, Kind: "REFUND", Tender: e.CashTender,
		Amount: e.Cash.Neg(), SourceID: src, At: e.At}); err != nil {
		return err
	}
	_, err := h.S.RecordTx(ctx, tx, Op{Place: e.Place, Cashier: e.Cashier, Kind: "REFUND", Tender: TenderStoredValue,
		Amount: e.Stored.Neg(), SourceID: src, At: e.At})
	return err
}

// RechargedTx records a desk recharge.
func (h LoyaltyHook) RechargedTx(ctx context.Context, tx pgx.Tx, e loyalty.RechargeEvent) error {
	_, err := h.S.RecordTx(ctx, tx, Op{Place: e.Place, Cashier: e.Cashier, Kind: "RECHARGE", Tender: e.Tender,
		Amount: e.Amount, SourceID: e.RechargeID.String(), At: e.At})
	return err
}
