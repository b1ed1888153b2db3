// Package statetest checks a transition table (a state.Machine's Next, or a context's
// exported wrapper of it) against a table of expected moves, the one shape every
// context's machine test has.
package statetest

import (
	"errors"
	"fmt"
	"testing"
)

// Case is one row: Event fired from each of From leaves To, or, when To is "", is
// refused with the machine's error and leaves the status as it was.
type Case[S, E ~string] struct {
	Name  string
	Event E
	From  []S
	To    S
}

// Legal is a move event makes from from, leaving to.
func Legal[S, E ~string](name string, event E, from, to S) Case[S, E] {
	return Case[S, E]{Name: name, Event: event, From: []S{from}, To: to}
}

// Refused is event refused from each status of from.
func Refused[S, E ~string](name string, event E, from ...S) Case[S, E] {
	return Case[S, E]{Name: name, Event: event, From: from}
}

// Check runs every case through next, a subtest for each status a case starts from;
// refusals must be errors.Is refusal.
func Check[S, E ~string](t *testing.T, next func(E, S) (S, error), refusal error, cases ...Case[S, E]) {
	t.Helper()
	for _, tc := range cases {
		for _, from := range tc.From {
			name := tc.Name
			if len(tc.From) > 1 {
				name = fmt.Sprintf("%s (from %s)", tc.Name, from)
			}
			t.Run(name, func(t *testing.T) {
				got, err := next(tc.Event, from)
				switch {
				case tc.To == "" && (!errors.Is(err, refusal) || got != from):
					t.Fatalf("%s from %s = %s, %v; want %v, staying %s", tc.Event, from, got, err, refusal, from)
				case tc.To != "" && (err != nil || got != tc.To):
					t.Fatalf("%s from %s = %s, %v; want %s", tc.Event, from, got, err, tc.To)
				}
			})
		}
	}
}

// All is every event of legal from every status in statuses: the moves legal lists
// lead where it says, every other pair is refused.
func All[S, E ~string](statuses []S, legal map[E]map[S]S) []Case[S, E] {
	var out []Case[S, E]
	for ev, moves := range legal {
		for _, from := range statuses {
			out = append(out, Case[S, E]{Name: fmt.Sprintf("%s from %s", ev, from), Event: ev, From: []S{from}, To: moves[from]})
		}
	}
	return out
}
