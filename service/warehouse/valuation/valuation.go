// Package valuation is the arithmetic of the gift warehouse, as pure functions: moving
// average cost (移动加权平均) of what leaves a warehouse, the value of stock found in a
// stocktake, how a counted receipt differs from what was due, and whether a purchase
// order is fully received.
//
// A balance is a quantity and its value in fen. Receipts add quantity × unit cost; an
// outgoing movement takes value × n / quantity rounded half up, and the last unit takes
// all that is left, so a warehouse that is emptied holds exactly zero fen and the
// rounding never accumulates.
package valuation

import "errors"

// ErrShort is an outgoing movement larger than the balance.
var ErrShort = errors.New("valuation: not enough stock")

// Balance is the stock of one item in one warehouse.
type Balance struct {
	Quantity int64
	ValueFen int64
}

// Out is the cost in fen of taking n (> 0) units from b at moving average cost.
func Out(b Balance, n int64) (int64, error) {
	switch {
	case n <= 0 || n > b.Quantity:
		return 0, ErrShort
	case n == b.Quantity:
		return b.ValueFen, nil
	}
	return share(b.ValueFen, n, b.Quantity), nil
}

// AtAverage is the value of n more units at b's average cost (stock found in a
// stocktake, 盘盈); zero when b is empty (no cost known).
func AtAverage(b Balance, n int64) int64 {
	if b.Quantity <= 0 || n <= 0 {
		return 0
	}
	return share(b.ValueFen, n, b.Quantity)
}

// share is value × n / q rounded half up (value, n, q ≥ 0, q > 0).
func share(value, n, q int64) int64 {
	return (2*value*n + q) / (2 * q)
}

// Discrepancy is how a counted receipt line differs from what was still due on it.
type Discrepancy struct {
	Short int64 // counted less than due (短收)
	Over  int64 // counted more than due (超收)
}

// Receipt compares counted with due (ordered less already received, never below zero).
func Receipt(ordered, received, counted int64) Discrepancy {
	due := max(ordered-received, 0)
	if counted < due {
		return Discrepancy{Short: due - counted}
	}
	return Discrepancy{Over: counted - due}
}

// Line is a purchase order line's ordered and received quantities.
type Line struct {
	Ordered, Received int64
}

// FullyReceived reports whether every line has received at least what it ordered.
func FullyReceived(lines []Line) bool {
	for _, l := range lines {
		if l.Received < l.Ordered {
			return false
		}
	}
	return len(lines) > 0
}
