package members

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
)

func TestBatchLoaders(t *testing.T) {
	f := setup(t)
	a, b := f.member(), f.member()
	ca := f.card(a, "")
	ids := []uuid.UUID{a.ID, newID(), b.ID}
	ms, es := f.svc.MembersByID(f.deskA, ids)
	if es[0] != nil || ms[0].ID != a.ID || !errors.Is(es[1], errs.ErrNotFound) || es[2] != nil || ms[2].ID != b.ID {
		t.Fatalf("members: %v %v", ms, es)
	}
	if _, es := f.svc.MembersByID(f.deskB, ids); !errors.Is(es[0], errs.ErrNotFound) || !errors.Is(es[2], errs.ErrNotFound) {
		t.Fatalf("other group sees members: %v", es)
	}
	cards, es := f.svc.CardsOfMembers(f.deskA, []uuid.UUID{a.ID, b.ID})
	if es[0] != nil || len(cards[0]) != 1 || cards[0][0].ID != ca.ID || len(cards[1]) != 0 {
		t.Fatalf("cards: %v %v", cards, es)
	}
	if cards, es := f.svc.CardsOfMembers(f.deskB, []uuid.UUID{a.ID}); es[0] == nil || len(cards[0]) != 0 {
		t.Fatalf("other group sees cards: %v %v", cards, es)
	}
	types, es := f.svc.CardTypesByID(f.deskA, []uuid.UUID{f.cardTypeA, newID()})
	if es[0] != nil || types[0].ID != f.cardTypeA || es[1] == nil {
		t.Fatalf("types: %v %v", types, es)
	}
}
