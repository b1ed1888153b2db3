// Package points holds the alliance merchants' pure rules: the points a consumption
// earns at a merchant's ratio and rounding rule, and the parsing of a file's cells.
package points

import (
	"github.com/shopspring/decimal"
)

// Rounding is how a fractional number of points becomes whole.
type Rounding string

// The rounding rules.
const (
	Down   Rounding = "DOWN"    // 129 yuan at 1 point per 10 yuan → 12
	HalfUp Rounding = "HALF_UP" // → 13 (12.9)
	Up     Rounding = "UP"      // → 13
)

// Valid reports whether r is a known rule.
func (r Rounding) Valid() bool { return r == Down || r == HalfUp || r == Up }

// Ratio is a merchant's conversion: PerUnit points for every Unit yuan.
type Ratio struct {
	Unit     decimal.Decimal // yuan, > 0
	PerUnit  decimal.Decimal // points, > 0
	Rounding Rounding
}

// Of returns the whole points amount earns at r (zero for a non-positive amount).
func Of(amount decimal.Decimal, r Ratio) decimal.Decimal {
	if !amount.IsPositive() || !r.Unit.IsPositive() || !r.PerUnit.IsPositive() {
		return decimal.Zero
	}
	raw := amount.Mul(r.PerUnit).DivRound(r.Unit, 8)
	switch r.Rounding {
	case Up:
		return raw.Ceil()
	case HalfUp:
		return raw.Round(0)
	default:
		return raw.Floor()
	}
}
