package billing

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing/ageing"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
)

// KindDepositApplied is a statement entry: deposit applied to arrears (it lowers what
// the tenant owes like a payment).
const KindDepositApplied ageing.Kind = "DEPOSIT_APPLIED"

// moveKinds maps a line move's kind to its statement entry's.
var moveKinds = map[string]ageing.Kind{"deposit": KindDepositApplied, "waiver": ageing.KindWaiver,
	"payment": ageing.KindPayment, "reversal": ageing.KindReversal, "credit": ageing.KindPayment}

// TenantAgeing is one tenant's outstanding statement.
type TenantAgeing struct {
	MerchantID uuid.UUID
	ageing.Ageing
}

// merchantAt places a merchant and checks the caller is finance of its mall or, with
// tenant, its TENANT_ADMIN. An unknown merchant is FORBIDDEN.
func (s *Service) merchantAt(ctx context.Context, merchantID uuid.UUID, tenant bool) (org.Place, error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MerchantPlace(ctx, nil, merchantID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	mall := p.Ref()
	mall.MerchantID = uuid.Nil
	if v.Can(mall, financeRoles...) || tenant && v.Can(p.Ref(), tenantRoles...) {
		return p, nil
	}
	return p, errs.ErrForbidden
}

// TenantStatement is a tenant's statement of account over [from, to] (days of its
// mall): the opening balance (everything before from), the activity in date order —
// issued bills (BILL) and late-fee bills (LATE_FEE) on their issue day, raising the
// balance; deposit applications (DEPOSIT_APPLIED), waivers (WAIVER) and, once they
// exist, payments (PAYMENT) on the day they count from, lowering it — and the closing
// balance = opening + activity (ageing.NewStatement). Through today the closing balance
// is the tenant's tenant_receivable balance. FINANCE or ADMIN of the tenant's mall.
func (s *Service) TenantStatement(ctx context.Context, merchantID uuid.UUID, from, to schedule.Date) (ageing.Statement, error) {
	p, err := s.merchantAt(ctx, merchantID, false)
	if err != nil {
		return ageing.Statement{}, err
	}
	return s.statement(ctx, p, from, to)
}

// MyStatement is TenantStatement of the calling TENANT_ADMIN's merchant.
func (s *Service) MyStatement(ctx context.Context, from, to schedule.Date) (ageing.Statement, error) {
	m, err := tenantMerchant(ctx)
	if err != nil {
		return ageing.Statement{}, err
	}
	p, err := s.merchantAt(ctx, m, true)
	if err != nil {
		return ageing.Statement{}, err
	}
	return s.statement(ctx, p, from, to)
}

func (s *Service) statement(ctx context.Context, p org.Place, from, to schedule.Date) (ageing.Statement, error) {
	if from.IsZero() || to.Before(from) {
		return ageing.Statement{}, errs.Invalid("to", "a statement runs from a day to a day not before it")
	}
	q := queries.New(s.db.Pool)
	bills, err := q.IssuedBillsOfMerchantAll(ctx, p.MerchantID)
	if err != nil {
		return ageing.Statement{}, err
	}
	var entries []ageing.Entry
	for _, b := range bills {
		if b.IssuedAt == nil {
			continue
		}
		e := ageing.Entry{On: schedule.DateOf(b.IssuedAt.In(p.Loc)), Kind: ageing.KindBill, Ref: b.ID.String(),
			Amount: b.Gross, Text: "bill " + b.Period}
		if BillKind(b.Kind) == BillLateFees {
			e.Kind, e.Text = ageing.KindLateFee, "late fees of "+b.Period
		}
		entries = append(entries, e)
	}
	moves, err := q.MovesOfMerchant(ctx, p.MerchantID)
	if err != nil {
		return ageing.Statement{}, err
	}
	for _, m := range moves {
		entries = append(entries, ageing.Entry{On: schedule.DateOf(m.OnDay), Kind: moveKinds[m.Kind], Ref: m.RefID.String(),
			Amount: m.Amount.Neg(), Text: m.Kind})
	}
	return ageing.NewStatement(entries, schedule.Period{Start: from, End: to})
}

// Outstanding is a tenant's outstanding statement as of a day: its open items (lines of
// bills issued by then, less what moved off them by then) in ageing buckets
// (ageing.Age); as of today its Total is the tenant_receivable balance to the fen.
// Credit is zero until payments keep tenant credit. FINANCE or ADMIN of its mall.
func (s *Service) Outstanding(ctx context.Context, merchantID uuid.UUID, asOf schedule.Date) (TenantAgeing, error) {
	p, err := s.merchantAt(ctx, merchantID, false)
	if err != nil {
		return TenantAgeing{}, err
	}
	return s.outstanding(ctx, p, asOf)
}

// outstanding is the ageing of the merchant of p (empty buckets when it owes nothing).
func (s *Service) outstanding(ctx context.Context, p org.Place, asOf schedule.Date) (TenantAgeing, error) {
	if asOf.IsZero() {
		asOf = schedule.DateOf(s.now().In(p.Loc))
	}
	out, err := s.ageings(ctx, p, asOf, &p.MerchantID)
	if err != nil {
		return TenantAgeing{}, err
	}
	if len(out) > 0 {
		return out[0], nil
	}
	a, err := ageing.Age(nil, decimal.Zero, asOf)
	return TenantAgeing{MerchantID: p.MerchantID, Ageing: a}, err
}

// MyOutstanding is Outstanding of the calling TENANT_ADMIN's merchant.
func (s *Service) MyOutstanding(ctx context.Context, asOf schedule.Date) (TenantAgeing, error) {
	m, err := tenantMerchant(ctx)
	if err != nil {
		return TenantAgeing{}, err
	}
	p, err := s.merchantAt(ctx, m, true)
	if err != nil {
		return TenantAgeing{}, err
	}
	return s.outstanding(ctx, p, asOf)
}

// Arrears lists the tenants of a mall with an amount past due as of a day, each with
// its ageing, by merchant id: FINANCE or ADMIN of the mall.
func (s *Service) Arrears(ctx context.Context, mallID uuid.UUID, asOf schedule.Date) ([]TenantAgeing, error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return nil, err
	}
	all, err := s.ageings(ctx, p, asOf, nil)
	var out []TenantAgeing
	for _, t := range all {
		if !t.Total.Equal(t.Rows[0].Amount) { // something beyond CURRENT
			out = append(out, t)
		}
	}
	return out, err
}

// ageings ages the open items of a mall's tenants (or one) as of a day.
func (s *Service) ageings(ctx context.Context, p org.Place, asOf schedule.Date, merchant *uuid.UUID) ([]TenantAgeing, error) {
	if asOf.IsZero() {
		asOf = schedule.DateOf(s.now().In(p.Loc))
	}
	before := asOf.AddDays(1).In(p.Loc)
	rows, err := queries.New(s.db.Pool).OpenItems(ctx, queries.OpenItemsParams{GroupID: p.GroupID, MallID: p.MallID,
		AsOf: asOf.In(time.UTC), IssuedBefore: &before, MerchantID: merchant})
	if err != nil {
		return nil, err
	}
	var out []TenantAgeing
	var items []ageing.Item
	flush := func(m uuid.UUID) error {
		a, err := ageing.Age(items, decimal.Zero, asOf)
		if err == nil && a.Total.IsPositive() {
			out = append(out, TenantAgeing{MerchantID: m, Ageing: a})
		}
		items = nil
		return err
	}
	for i, r := range rows {
		if r.Outstanding.IsPositive() {
			items = append(items, ageing.Item{LineID: r.ID.String(), BillID: r.BillID.String(), Code: r.Code,
				Due: schedule.DateOf(r.DueOn), Outstanding: r.Outstanding})
		}
		if i == len(rows)-1 || rows[i+1].MerchantID != r.MerchantID {
			if err := flush(r.MerchantID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
