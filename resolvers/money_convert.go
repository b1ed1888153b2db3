package resolvers

import (
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

// fenOf converts an amount input in CNY (yuan) to fen: 0 or more, at most two
// decimals, below 10^14 yuan.
func fenOf(field string, d decimal.Decimal) (int64, error) {
	if d.IsNegative() || !d.Equal(d.Round(2)) || d.GreaterThan(decimal.New(1, 14)) {
		return 0, errs.Invalid(field, "an amount in CNY of 0 or more with at most two decimals")
	}
	return d.Shift(2).IntPart(), nil
}

// optFenOf is fenOf of an optional amount; omitted is 0.
func optFenOf(field string, d *decimal.Decimal) (int64, error) {
	if d == nil {
		return 0, nil
	}
	return fenOf(field, *d)
}
