package members

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCardMachine(t *testing.T) {
	t.Parallel()
	statuses := []CardStatus{StatusActive, StatusLost, StatusFrozen, StatusCancelled, StatusReplaced}
	want := map[Op]map[CardStatus]CardStatus{ // every (op, from) pair not listed is refused
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
			exp, legal := allowed[from]
			t.Run(fmt.Sprintf("%s from %s", op, from), func(t *testing.T) {
				to, err := cardMachine.Next(op, from)
				switch {
				case legal && (err != nil || to != exp):
					t.Errorf("got %q, %v; want %q", to, err, exp)
				case !legal && !errors.Is(err, ErrCardTransition):
					t.Errorf("got %q, %v; want refusal", to, err)
				}
			})
		}
	}
}

func TestMemberMachine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		from MemberStatus
		want MemberStatus
		err  error
	}{
		{"merge an active identity", MemberActive, MemberMerged, nil},
		{"merge a merged identity again", MemberMerged, "", ErrMemberInactive},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			to, err := memberMachine.Next(OpMerge, tc.from)
			if tc.err != nil && !errors.Is(err, tc.err) || tc.err == nil && (err != nil || to != tc.want) {
				t.Fatalf("got %q, %v; want %q, %v", to, err, tc.want, tc.err)
			}
		})
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
