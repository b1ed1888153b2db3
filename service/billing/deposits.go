package billing

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing/alloc"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// byDueDate is the waterfall of a deposit applied to arrears: one group, so the oldest
// due lines are paid first (ties by line id), whatever their code.
var byDueDate = alloc.Waterfall{}

// arrearsAllocation spreads amount over a contract's open lines (locked), oldest due
// first; DEPOSIT lines are left out (a deposit does not pay itself). More than the
// arrears is ABOVE_ARREARS: a deposit applied leaves no credit.
func (s *Service) arrearsAllocation(ctx context.Context, tx pgx.Tx, contractID uuid.UUID, amount decimal.Decimal) (alloc.Allocation, error) {
	rows, err := queries.New(tx).OpenLinesOfContract(ctx, contractID)
	if err != nil {
		return alloc.Allocation{}, err
	}
	var items []alloc.Item
	for _, l := range rows {
		if isDeposit(l.Code, l.OfCode) {
			continue
		}
		items = append(items, alloc.Item{LineID: l.ID.String(), BillID: l.BillID.String(), Code: l.Code,
			Due: schedule.DateOf(l.DueOn), Outstanding: l.Outstanding})
	}
	a, err := alloc.Allocate(amount, items, byDueDate)
	if err != nil {
		return a, err
	}
	if a.Credit.IsPositive() {
		return a, ErrAboveArrears.Msgf("%s is more than the contract's arrears of %s", amount, a.Allocated())
	}
	return a, nil
}

// isDeposit reports whether a line is a deposit (or its adjustment).
func isDeposit(code, of string) bool {
	return code == string(schedule.CodeDeposit) || code == string(schedule.CodeAdjustment) && of == string(schedule.CodeDeposit)
}
