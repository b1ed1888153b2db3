package members

import (
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestCardMachine(t *testing.T) {
	t.Parallel()
	statuses := []CardStatus{StatusActive, StatusLost, StatusFrozen, StatusCancelled, StatusReplaced}
	// every (op, from) pair not listed is refused
	statetest.Check(t, cardMachine.Next, ErrCardTransition, statetest.All(statuses, map[Op]map[CardStatus]CardStatus{
		OpReportLoss: {StatusActive: StatusLost},
		OpCancelLoss: {StatusLost: StatusActive},
		OpFreeze:     {StatusActive: StatusFrozen},
		OpUnfreeze:   {StatusFrozen: StatusActive},
		OpReissue:    {StatusActive: StatusReplaced, StatusLost: StatusReplaced},
		OpTransfer:   {StatusActive: StatusActive},
		OpCancel:     {StatusActive: StatusCancelled, StatusLost: StatusCancelled, StatusFrozen: StatusCancelled},
	})...)
}

func TestMemberMachine(t *testing.T) {
	t.Parallel()
	statetest.Check(t, memberMachine.Next, ErrMemberInactive,
		statetest.Legal("merge an active identity", OpMerge, MemberActive, MemberMerged),
		statetest.Refused("merge a merged identity again", OpMerge, MemberMerged),
	)
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
