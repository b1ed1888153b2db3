package members

import (
	"errors"
	"testing"
	"time"
)

func TestTransitionTable(t *testing.T) {
	t.Parallel()
	statuses := []string{StatusActive, StatusLost, StatusFrozen, StatusCancelled, StatusReplaced}
	want := map[Op]map[string]string{ // every (op, from) pair not listed is refused
		OpReportLoss: {StatusActive: StatusLost},
		OpCancelLoss: {StatusLost: StatusActive},
		OpFreeze:     {StatusActive: StatusFrozen},
		OpUnfreeze:   {StatusFrozen: StatusActive},
		OpReissue:    {StatusActive: StatusReplaced, StatusLost: StatusReplaced},
		OpTransfer:   {StatusActive: StatusActive},
		OpCancel:     {StatusActive: StatusCancelled, StatusLost: StatusCancelled, StatusFrozen: StatusCancelled},
	}
	for op, allowed := range want {
		for _, from := range statuses {
			to, err := Transition(op, from)
			if exp, ok := allowed[from]; ok {
				if err != nil || to != exp {
					t.Errorf("%s from %s = %q, %v; want %q", op, from, to, err, exp)
				}
			} else if !errors.Is(err, ErrCardTransition) {
				t.Errorf("%s from %s = %q, %v; want refusal", op, from, to, err)
			}
		}
	}
}

func TestUsable(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Second), now.Add(time.Hour)
	cases := []struct {
		c    Card
		want error
	}{
		{Card{Status: StatusActive}, nil},
		{Card{Status: StatusActive, ExpiresAt: &future}, nil},
		{Card{Status: StatusActive, ExpiresAt: &past}, ErrCardExpired},
		{Card{Status: StatusLost}, ErrCardLost},
		{Card{Status: StatusFrozen}, ErrCardFrozen},
		{Card{Status: StatusReplaced}, ErrCardReplaced},
		{Card{Status: StatusCancelled}, ErrCardCancelled},
	}
	for _, c := range cases {
		if err := c.c.Usable(now); !errors.Is(err, c.want) && err != c.want {
			t.Errorf("%+v: %v, want %v", c.c, err, c.want)
		}
	}
}
