package schedule

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// key names what a line charges: its code and the bill period it belongs to. An
// ADJUSTMENT counts towards the key of the lines it corrects (Of, Period).
type key struct {
	code Code
	bill string
}

func keyOf(l Line) key {
	if l.Code == CodeAdjustment {
		return key{l.Of, l.Period.String()}
	}
	return key{l.Code, l.BillPeriod.String()}
}

// Adjust applies "a period already billed never changes": given every line billed so
// far (adjustments included) and the lines recomputed after a retroactive amendment
// or an early termination, it returns one ADJUSTMENT line per charge and billed period
// whose recomputed total differs from the billed total — the difference, billed in
// the period `in`, due on `due`. A billed charge missing from the recomputed lines is
// reversed in full. Billed lines themselves are never touched; recomputed lines of
// periods not yet billed are left to Pending.
func Adjust(billed, recomputed []Line, in Period, due Date) []Line {
	was, order := totals(billed)
	now, _ := totals(recomputed)
	var out []Line
	for _, k := range order {
		diff := now[k].amount.Sub(was[k].amount)
		if diff.IsZero() {
			continue
		}
		out = append(out, Line{
			Code: CodeAdjustment, Of: k.code, Period: was[k].period, BillPeriod: in, DueDate: due,
			Amount: diff,
			Basis: fmt.Sprintf("%s %s: billed %s, now %s, difference %s", k.code, was[k].period,
				was[k].amount.StringFixed(2), now[k].amount.StringFixed(2), diff.StringFixed(2)),
		})
	}
	return out
}

// Pending returns the recomputed lines whose charge and bill period have not been
// billed yet: what the next bill run bills as they are.
func Pending(billed, recomputed []Line) []Line {
	was, _ := totals(billed)
	var out []Line
	for _, l := range recomputed {
		if _, ok := was[keyOf(l)]; !ok {
			out = append(out, l)
		}
	}
	return out
}

type total struct {
	amount decimal.Decimal
	period Period
}

// totals sums lines per key, remembering the keys' first-seen order.
func totals(ls []Line) (map[key]total, []key) {
	sums, order := map[key]total{}, []key(nil)
	for _, l := range ls {
		k := keyOf(l)
		t, ok := sums[k]
		if !ok {
			order, t.period = append(order, k), l.BillPeriod
			if l.Code == CodeAdjustment {
				t.period = l.Period
			}
		}
		t.amount = t.amount.Add(l.Amount)
		sums[k] = t
	}
	return sums, order
}
