package commissions

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/commissions/internal/queries"
	"github.com/atrium-mall/atrium/service/commissions/rule"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/storage"
)

// LoyaltyHook credits and reverses commission lines inside loyalty's purchase and
// refund transactions (loyalty.Hook); set by the composition root (Loyalty.AddHook).
type LoyaltyHook struct{ S *Service }

var _ loyalty.Hook = LoyaltyHook{}

// serverRoles may be named as a purchase's server.
var serverRoles = []auth.Role{auth.RoleMerchantStaff, auth.RoleTenantAdmin}

// PurchasedTx writes the purchase's lines (see the package comment). A server who is
// not staff of the merchant fails the purchase (COMMISSION_SERVER_NOT_STAFF).
func (h LoyaltyHook) PurchasedTx(ctx context.Context, tx pgx.Tx, e loyalty.PurchaseEvent) error {
	if len(e.Lines) == 0 && e.ServedBy == uuid.Nil {
		return nil
	}
	p := e.Place
	var staff *uuid.UUID
	if e.ServedBy != uuid.Nil {
		ok, err := h.S.org.ServesAt(ctx, tx, e.ServedBy, p.MerchantID, serverRoles...)
		if err != nil {
			return err
		}
		if !ok {
			return ErrServerNotStaff.At("input", "servedBy")
		}
		staff = &e.ServedBy
	}
	lines := e.Lines
	if len(lines) == 0 {
		lines = []loyalty.PurchaseLine{{Code: "", Category: p.Category, Quantity: 1, Amount: e.Amount}}
	}
	amounts := make([]decimal.Decimal, len(lines))
	for i, l := range lines {
		amounts[i] = l.Amount
	}
	paid := rule.Spread(amounts, e.Payable)
	var rules []rule.Rule
	q := queries.New(tx)
	if staff != nil {
		rows, err := q.RulesOf(ctx, p.GroupID, p.MerchantID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			rules = append(rules, rule.Rule{ID: r.ID, Scope: r.Scope, Key: r.MatchKey, Kind: r.Kind, Rate: r.Rate,
				Amount: r.Amount})
		}
	}
	month, err := openMonth(ctx, tx, p, e.At)
	if err != nil {
		return err
	}
	var b storage.Batch
	for i, l := range lines {
		rl := rule.Line{Code: l.Code, Category: l.Category, Quantity: l.Quantity, Paid: paid[i]}
		earned, ruleID := decimal.Zero, (*uuid.UUID)(nil)
		if r, ok := rule.Pick(rules, rl); ok && staff != nil {
			earned, ruleID = rule.Earn(r, rl), &r.ID
		}
		arg := queries.InsertLineParams{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID,
			MerchantID: p.MerchantID, StaffID: staff, Month: month, PurchaseID: e.PurchaseID, LineNo: int32(i + 1),
			Code: l.Code, Category: l.Category, Quantity: l.Quantity, Base: paid[i], Commission: earned, RuleID: ruleID,
			CreatedAt: e.At}
		b.Queue(func(q storage.Querier) { _ = queries.New(q).InsertLine(ctx, arg) })
	}
	return b.Send(ctx, tx)
}

// RefundedTx writes the refund's negative lines: each sale line's base and commission
// times the refund's share (rule.Reverse), dated by the refund.
func (h LoyaltyHook) RefundedTx(ctx context.Context, tx pgx.Tx, e loyalty.RefundEvent) error {
	p := e.Place
	q := queries.New(tx)
	sales, err := q.SaleLines(ctx, p.GroupID, e.PurchaseID)
	if err != nil || len(sales) == 0 {
		return err
	}
	month, err := openMonth(ctx, tx, p, e.At)
	if err != nil {
		return err
	}
	after := e.Before.Add(e.Amount)
	var b storage.Batch
	for _, l := range sales {
		base := rule.Reverse(l.Base, e.Before, after, e.Payable)
		comm := rule.Reverse(l.Commission, e.Before, after, e.Payable)
		if base.IsZero() && comm.IsZero() {
			continue
		}
		refund := e.RefundID
		arg := queries.InsertLineParams{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID,
			MerchantID: p.MerchantID, StaffID: l.StaffID, Month: month, PurchaseID: e.PurchaseID, RefundID: &refund,
			LineNo: l.LineNo, Code: l.Code, Category: l.Category, Quantity: 0, Base: base.Neg(), Commission: comm.Neg(),
			RuleID: l.RuleID, CreatedAt: e.At}
		b.Queue(func(q storage.Querier) { _ = queries.New(q).InsertLine(ctx, arg) })
	}
	if b.Len() == 0 {
		return nil
	}
	return b.Send(ctx, tx)
}

// RechargedTx: a recharge earns no commission.
func (LoyaltyHook) RechargedTx(context.Context, pgx.Tx, loyalty.RechargeEvent) error { return nil }
