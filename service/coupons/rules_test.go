package coupons

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestFreeSpans(t *testing.T) {
	for _, tc := range []struct {
		name  string
		taken []span
		slots int
		want  string
	}{
		{"none taken", nil, 100, "[{1 100}]"},
		{"no slots", nil, 0, "[]"},
		{"a prefix taken", []span{{1, 40}}, 100, "[{41 100}]"},
		{"all taken", []span{{1, 100}}, 100, "[]"},
		{"holes left by failed claims", []span{{1, 3}, {5, 9}, {12, 12}}, 20, "[{4 4} {10 11} {13 20}]"},
		{"issues outside the gate at the top", []span{{1, 10}, {96, 100}}, 100, "[{11 95}]"},
		{"only the top", []span{{100, 100}}, 100, "[{1 99}]"},
		{"taken beyond the slots (a budget below the stock)", []span{{1, 2}, {8, 9}}, 5, "[{3 5}]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fmt.Sprint(freeSpans(tc.taken, tc.slots))
			if got != tc.want {
				t.Errorf("freeSpans(%v, %d) = %s, want %s", tc.taken, tc.slots, got, tc.want)
			}
		})
	}
}

func TestUnavailable(t *testing.T) {
	now := time.Date(2026, 5, 6, 4, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	active := Template{Status: TemplateActive, TemplateInput: TemplateInput{TotalStock: 10}, Slots: 10}
	with := func(edit func(*Template)) Template { t := active; edit(&t); return t }
	for _, tc := range []struct {
		name string
		t    Template
		want error
	}{
		{"active with stock", with(func(t *Template) { t.ClaimedCount = 9 }), nil},
		{"paused", with(func(t *Template) { t.Status = TemplatePaused }), ErrNotActive},
		{"past its fixed validity", with(func(t *Template) { t.ValidUntil = &past }), ErrNotActive},
		{"before its fixed end", with(func(t *Template) { t.ValidUntil = &future }), nil},
		{"sold out", with(func(t *Template) { t.ClaimedCount = 10 }), ErrSoldOut},
		{"budget allows fewer than the stock", with(func(t *Template) { t.Slots, t.ClaimedCount = 4, 4 }), ErrBudgetExhausted},
		{"not active wins over sold out", with(func(t *Template) { t.Status, t.ClaimedCount = TemplateEnded, 10 }), ErrNotActive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := unavailable(tc.t, now); !errors.Is(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("unavailable = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExhaustedAndRemaining(t *testing.T) {
	stock := Template{TemplateInput: TemplateInput{TotalStock: 10}, Slots: 10, ClaimedCount: 3}
	budget := Template{TemplateInput: TemplateInput{TotalStock: 10}, Slots: 4, ClaimedCount: 5}
	if !errors.Is(exhausted(stock), ErrSoldOut) || !errors.Is(exhausted(budget), ErrBudgetExhausted) {
		t.Errorf("exhausted: stock %v, budget %v", exhausted(stock), exhausted(budget))
	}
	if remaining(stock) != 7 || remaining(budget) != 0 {
		t.Errorf("remaining: stock %d, budget %d", remaining(stock), remaining(budget))
	}
}

func TestShardOf(t *testing.T) {
	seen := map[int16]bool{}
	for slot := 1; slot <= issueShards; slot++ { // neighbouring slots count in different rows
		seen[shardOf(slot)] = true
	}
	if len(seen) != issueShards || shardOf(1) != shardOf(1+issueShards) {
		t.Errorf("shards of slots 1..%d: %v", issueShards, seen)
	}
}

func TestOutsideTops(t *testing.T) {
	at := func(n int) *int { return &n }
	for _, tc := range []struct {
		name string
		t    Template
		want string
	}{
		{"first issue outside the gate", Template{Slots: 100}, "[100]"},
		{"below the last one, then from the top", Template{Slots: 100, outsideSlot: at(96)}, "[96 100]"},
		{"a stale mark above the slots", Template{Slots: 100, outsideSlot: at(120)}, "[100]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(outsideTops(tc.t)); got != tc.want {
				t.Errorf("outsideTops = %s, want %s", got, tc.want)
			}
		})
	}
}
