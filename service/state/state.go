// Package state is the shape of every status field: a typed status, a typed event, and
// a transition table saying from which statuses an event may fire and which status it
// leaves. Contexts declare their machines next to their types (see members' card and
// coupons' code machines); an illegal transition is the context's own typed error.
package state

import (
	"fmt"

	"github.com/atrium-mall/atrium/service/errs"
)

// Machine is a transition table: for each event, the statuses it starts from and the
// status it leaves.
type Machine[S ~string, E ~string] struct {
	name  string
	err   *errs.Error
	edges map[E]map[S]S
}

// New declares a machine. name is the entity ("coupon", "booking"); err is the
// context's sentinel for an illegal transition.
func New[S ~string, E ~string](name string, err *errs.Error, edges map[E]map[S]S) Machine[S, E] {
	return Machine[S, E]{name: name, err: err, edges: edges}
}

// Next returns the status event leaves from status from, or the machine's error when
// event may not fire from there.
func (m Machine[S, E]) Next(event E, from S) (S, error) {
	to, ok := m.edges[event][from]
	if !ok {
		return from, m.err.Msgf("cannot %s a %s that is %s", event, m.name, from)
	}
	return to, nil
}

// Can reports whether event may fire from status from.
func (m Machine[S, E]) Can(event E, from S) bool {
	_, ok := m.edges[event][from]
	return ok
}

// From lists the statuses event may fire from (for a conditional UPDATE's WHERE
// status = ANY(...)), in no particular order.
func (m Machine[S, E]) From(event E) []string {
	out := make([]string, 0, len(m.edges[event]))
	for s := range m.edges[event] {
		out = append(out, string(s))
	}
	return out
}

// String names the machine for logs.
func (m Machine[S, E]) String() string { return fmt.Sprintf("state.Machine(%s)", m.name) }
