package shifts

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/shifts/internal/queries"
)

// Count is what was counted of a tender at the close.
type Count struct {
	Tender string
	Amount decimal.Decimal
}

// Tally is a tender's line of a closed shift.
type Tally struct {
	Tender   string
	Expected decimal.Decimal // the tender's operations, plus the float for CASH
	Counted  decimal.Decimal
	Variance decimal.Decimal // Counted − Expected: over > 0, short < 0
}

// Result is OVER, SHORT or EVEN.
func (t Tally) Result() string {
	switch {
	case t.Variance.IsPositive():
		return "OVER"
	case t.Variance.IsNegative():
		return "SHORT"
	}
	return "EVEN"
}

// Expected is what a shift's till should hold of each tender: the float (CASH) plus
// the sum of its operations of that tender. Pure: totals per tender in, expected out,
// CASH always present.
func Expected(float decimal.Decimal, totals map[string]decimal.Decimal) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{TenderCash: float}
	for t, v := range totals {
		out[t] = out[t].Add(v)
	}
	return out
}

// Close closes a shift (its cashier, or an admin/finance over its place — tenant admin
// for a merchant's till) with the counted amount per tender (a tender not counted
// counts 0); it records expected, counted and variance per tender. A second close is
// SHIFT_ALREADY_CLOSED; of concurrent closes one wins.
func (s *Service) Close(ctx context.Context, id uuid.UUID, counts []Count) (Report, error) {
	seen := map[string]decimal.Decimal{}
	for _, c := range counts {
		switch {
		case !slices.Contains(Tenders, c.Tender):
			return Report{}, errs.Invalid("input.counts", "unknown tender %q", c.Tender)
		case c.Amount.IsNegative() || !c.Amount.Equal(c.Amount.Round(2)):
			return Report{}, errs.Invalid("input.counts", "a counted amount is at least 0 with at most two decimals")
		}
		if _, dup := seen[c.Tender]; dup {
			return Report{}, errs.Invalid("input.counts", "tender %s counted twice", c.Tender)
		}
		seen[c.Tender] = c.Amount
	}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		r, _, err := s.shiftFor(ctx, tx, id)
		if err != nil {
			return err
		}
		q := queries.New(tx)
		n, err := q.CloseSession(ctx, queries.CloseSessionParams{ID: id, ClosedAt: ptr(s.now()), ClosedBy: ptr(access.Actor(ctx))})
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrAlreadyClosed.At("id")
		}
		totals, err := q.TenderTotals(ctx, r.GroupID, id)
		if err != nil {
			return err
		}
		sums := map[string]decimal.Decimal{}
		for _, t := range totals {
			sums[t.Tender] = t.Total
		}
		exp := Expected(r.FloatCash, sums)
		for t := range seen {
			if _, ok := exp[t]; !ok {
				exp[t] = decimal.Zero
			}
		}
		for _, t := range Tenders {
			e, ok := exp[t]
			if !ok {
				continue
			}
			c, counted := seen[t]
			if !counted && t == TenderStoredValue {
				c = e // stored value is the ledger's, not the drawer's: it balances by itself
			}
			if err := q.InsertCount(ctx, queries.InsertCountParams{GroupID: r.GroupID, ShiftID: id, Tender: t,
				Expected: e, Counted: c, Variance: c.Sub(e)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	return s.Report(ctx, id)
}

func ptr[T any](v T) *T { return &v }

// KindTotal is a shift's operations of one kind and tender.
type KindTotal struct {
	Kind   string
	Tender string
	Total  decimal.Decimal
	Ops    int
}

// Report is a shift with its operations by kind and tender, its totals per tender and,
// once closed, its count.
type Report struct {
	Shift   Shift
	ByKind  []KindTotal
	Totals  []KindTotal // per tender (Kind "")
	Tallies []Tally     // once closed
	// Expected per tender now (for an open shift: what the close will expect).
	Expected map[string]decimal.Decimal
}

// Report is a shift's report: its cashier, or admins/finance over its place (tenant
// admins for a merchant's till).
func (s *Service) Report(ctx context.Context, id uuid.UUID) (Report, error) {
	r, _, err := s.shiftFor(ctx, s.db.Pool, id)
	if err != nil {
		return Report{}, err
	}
	q := queries.New(s.db.Pool)
	out := Report{Shift: shiftOf(r)}
	kinds, err := q.KindTotals(ctx, r.GroupID, id)
	if err != nil {
		return out, err
	}
	for _, k := range kinds {
		out.ByKind = append(out.ByKind, KindTotal{Kind: k.Kind, Tender: k.Tender, Total: k.Total, Ops: int(k.Ops)})
	}
	totals, err := q.TenderTotals(ctx, r.GroupID, id)
	if err != nil {
		return out, err
	}
	sums := map[string]decimal.Decimal{}
	for _, t := range totals {
		out.Totals = append(out.Totals, KindTotal{Tender: t.Tender, Total: t.Total, Ops: int(t.Ops)})
		sums[t.Tender] = t.Total
	}
	out.Expected = Expected(r.FloatCash, sums)
	counts, err := q.Counts(ctx, r.GroupID, id)
	for _, c := range counts {
		out.Tallies = append(out.Tallies, Tally{Tender: c.Tender, Expected: c.Expected, Counted: c.Counted, Variance: c.Variance})
	}
	return out, err
}

// Shifts lists the shifts of a place (a merchant's tills, or the mall's desk when
// merchant is uuid.Nil), latest first, at most 100: admins and finance (tenant admins
// for a merchant).
func (s *Service) Shifts(ctx context.Context, mall, merchant uuid.UUID) ([]Shift, error) {
	if _, err := access.Staff(ctx); err != nil {
		return nil, err
	}
	p, err := s.place(ctx, nil, mall, merchant)
	if err != nil {
		return nil, err
	}
	if err := access.At(ctx, p.Ref(), readersOf(merchant)...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).SessionsOfMall(ctx, queries.SessionsOfMallParams{GroupID: p.GroupID,
		MallID: p.MallID, MerchantID: nilIfZero(merchant), Lim: 100})
	out := make([]Shift, len(rows))
	for i, r := range rows {
		out[i] = shiftOf(r)
	}
	return out, err
}
