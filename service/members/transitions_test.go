package members

import (
	"errors"
	"testing"
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
