package coupons

import (
	"time"
)

// The rules of issuing, as plain functions: what keeps a template from issuing, what
// the gate answers when it has no slot left, which count shard a slot counts in, and
// which slots are free.

// issueShards is how many rows a template's issued count is spread over: a coupon in
// slot s counts in shard s % issueShards, so the claims committing together (which hold
// slots close to each other) update different rows.
const issueShards = 16

// shardOf is the count shard of slot.
func shardOf(slot int) int16 { return int16(slot % issueShards) }

// unavailable is what keeps template t from issuing at now (not active or expired, out
// of stock, out of budget), or nil.
func unavailable(t Template, now time.Time) error {
	switch {
	case t.Status != TemplateActive || t.ValidUntil != nil && !t.ValidUntil.After(now):
		return ErrNotActive
	case t.ClaimedCount >= t.TotalStock:
		return ErrSoldOut
	case t.ClaimedCount >= t.Slots:
		return ErrBudgetExhausted
	}
	return nil
}

// exhausted is why a template none of whose slots is free issues nothing: its budget
// when that allows fewer coupons than its stock, else its stock.
func exhausted(t Template) error {
	if t.Slots < t.TotalStock {
		return ErrBudgetExhausted
	}
	return ErrSoldOut
}

// remaining is how many more coupons of t may be issued, by stock and by budget.
func remaining(t Template) int { return max(t.Slots-t.ClaimedCount, 0) }

// span is the slots first..last.
type span struct{ first, last int }

// freeSpans are the slots 1..slots outside taken (runs of taken slots, in order), as
// spans in order.
func freeSpans(taken []span, slots int) []span {
	var free []span
	next := 1
	for _, r := range taken {
		if r.first > next {
			free = append(free, span{next, min(r.first-1, slots)})
		}
		next = max(next, r.last+1)
		if next > slots {
			return free
		}
	}
	if next <= slots {
		free = append(free, span{next, slots})
	}
	return free
}

// outsideTops are where an issue outside the gate looks down from for a free slot: below
// the last slot it took (slots above it are taken), then once more from the top, for a
// slot a claim held and then gave up.
func outsideTops(t Template) []int {
	if t.outsideSlot == nil || *t.outsideSlot >= t.Slots {
		return []int{t.Slots}
	}
	return []int{*t.outsideSlot, t.Slots}
}
