package service

import (
	"errors"
	"testing"

	"github.com/google/uuid"
)

func TestInOrder(t *testing.T) {
	type item struct {
		id     uuid.UUID
		hidden bool
	}
	a, b, c, gone := item{id: NewID()}, item{id: NewID(), hidden: true}, item{id: NewID()}, NewID()
	missing, hidden := errors.New("missing"), errors.New("hidden")
	idOf := func(x item) uuid.UUID { return x.id }
	check := func(x item) error {
		if x.hidden {
			return hidden
		}
		return nil
	}
	ids := []uuid.UUID{c.id, gone, a.id, b.id, c.id}
	out, errs := InOrder(ids, []item{a, b, c}, idOf, check, missing)
	want := []item{c, {}, a, {}, c}
	wantErrs := []error{nil, missing, nil, hidden, nil}
	for i := range ids {
		if out[i] != want[i] || errs[i] != wantErrs[i] {
			t.Errorf("entry %d = %v, %v; want %v, %v", i, out[i], errs[i], want[i], wantErrs[i])
		}
	}
	if out, errs := InOrder(ids[:1], []item{c}, idOf, nil, missing); out[0] != c || errs[0] != nil {
		t.Errorf("without a check: %v, %v", out, errs)
	}
}
