package schedule

import "github.com/shopspring/decimal"

// Fee is the late fee (滞纳金) on an amount unpaid since due, as of day on: overdue ×
// RatePerDay × the days after due + GraceDays up to and including on, at most
// CapPercent % of overdue (no cap when zero), rounded to cents like every line.
// Nothing is due within the grace days. Billing calls it; the rule lives here with
// the terms it reads.
func (l LateFee) Fee(overdue decimal.Decimal, due, on Date) decimal.Decimal {
	days := on.Sub(due) - l.GraceDays
	if days <= 0 || !overdue.IsPositive() {
		return decimal.Zero
	}
	fee := overdue.Mul(l.RatePerDay).Mul(decimal.NewFromInt(int64(days)))
	if l.CapPercent.IsPositive() {
		fee = decimal.Min(fee, overdue.Mul(l.CapPercent).Div(hundred))
	}
	return cents(fee)
}
