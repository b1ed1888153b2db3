package meters

import (
	"time"

	"github.com/shopspring/decimal"
)

// The backwards rule, in Go for batches: InsertReading applies it in SQL to one reading
// against the stored ones; a batch applies it here to all its readings in arrival
// order, each against the stored history and the batch's readings before it (as if
// they had been stored one by one), and then stores the batch in one statement. The
// SQL rule stays the reference: the bridge's TestBatchMatchesOneByOne compares both.

// point is an unflagged reading of a meter: the only kind a later flag depends on.
type point struct {
	at    time.Time
	value decimal.Decimal
}

// history is what the flags of a meter's next readings depend on: its unflagged
// readings and its replacements in the span that matters (see ReadingHistory), with
// the batch's unflagged readings appended as they are decided.
type history struct {
	points       []point
	replacements []time.Time
}

// backwards is InsertReading's rule: a reading of value is flagged when its meter's
// last unflagged reading before it (prev; ok false when there is none) is higher, no
// replacement lies between the two (replaced), and the drop is not a plausible
// rollover (more than half of max, the counter's range, when it has one).
func backwards(prev point, ok bool, value decimal.Decimal, replaced bool, max *decimal.Decimal) bool {
	if !ok || !prev.value.GreaterThan(value) || replaced {
		return false
	}
	return max == nil || !prev.value.Sub(value).Mul(decimal.NewFromInt(2)).GreaterThan(*max)
}

// flag decides the flag of a reading of value at at (microseconds, as stored) against
// h, and adds it to h when it is unflagged.
func (h *history) flag(at time.Time, value decimal.Decimal, max *decimal.Decimal) string {
	prev, ok := h.before(at)
	if backwards(prev, ok, value, ok && h.replacedIn(prev.at, at), max) {
		return FlagBackwards
	}
	h.points = append(h.points, point{at: at, value: value})
	return FlagNone
}

// before returns the latest point strictly before at; of points at the same instant,
// the one added last (stored last).
func (h *history) before(at time.Time) (point, bool) {
	var best point
	ok := false
	for _, p := range h.points {
		if p.at.Before(at) && (!ok || !p.at.Before(best.at)) {
			best, ok = p, true
		}
	}
	return best, ok
}

// replacedIn reports whether a replacement lies in (from, to].
func (h *history) replacedIn(from, to time.Time) bool {
	for _, r := range h.replacements {
		if r.After(from) && !r.After(to) {
			return true
		}
	}
	return false
}
