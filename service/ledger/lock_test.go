package ledger_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
)

// TestLockCardsChecksTheCards: LockCardsTx refuses an unknown card and cards of two
// groups, whether their accounts exist yet (the lock alone decides) or not (the long
// way checks the cards), and returns the group of cards that share one.
func TestLockCardsChecksTheCards(t *testing.T) {
	b := setup(t)
	other := ledgertest.NewOrg(t, b.db)
	mine, theirs := b.card(), other.Card
	theirCard, _ := theirs(t, b.db, other.Member(t, b.db))
	withAccounts := b.card()
	if err := b.recharge(withAccounts, "10"); err != nil { // creates its accounts
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		cards []uuid.UUID
		ok    bool
	}{
		{"a new card", []uuid.UUID{mine}, true},
		{"a card with its accounts", []uuid.UUID{withAccounts}, true},
		{"two cards of the group", []uuid.UUID{withAccounts, b.card()}, true},
		{"an unknown card", []uuid.UUID{service.NewID()}, false},
		{"a known and an unknown card", []uuid.UUID{withAccounts, service.NewID()}, false},
		{"cards of two groups", []uuid.UUID{withAccounts, theirCard}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var group uuid.UUID
			err := b.db.InTx(ctxb(), func(tx pgx.Tx) (err error) {
				group, err = b.l.LockCardsTx(ctxb(), tx, c.cards...)
				return err
			})
			switch {
			case c.ok && (err != nil || group != b.org.GroupID):
				t.Errorf("LockCardsTx = %v, %v; want the group %v", group, err, b.org.GroupID)
			case !c.ok && !errors.Is(err, ledger.ErrCardNotFound):
				t.Errorf("LockCardsTx = %v, want CARD_NOT_FOUND", err)
			}
		})
	}
	// after both have their accounts, the lock statement alone sees the two groups
	if err := b.db.InTx(ctxb(), func(tx pgx.Tx) error {
		_, err := b.l.LockCardsTx(ctxb(), tx, theirCard)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	err := b.db.InTx(ctxb(), func(tx pgx.Tx) error {
		_, err := b.l.LockCardsTx(ctxb(), tx, withAccounts, theirCard)
		return err
	})
	if !errors.Is(err, ledger.ErrCardNotFound) {
		t.Errorf("cards of two groups, both with accounts: %v, want CARD_NOT_FOUND", err)
	}
}
