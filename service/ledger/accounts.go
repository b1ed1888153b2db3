package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// accountID returns the id of the group's account, creating it on first use. It
// never locks an existing row, so hot system accounts stay lock-free.
func accountID(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, a Account) (uuid.UUID, error) {
	q := queries.New(tx)
	sel := queries.AccountIDParams{GroupID: groupID, Kind: a.Kind, OwnerID: a.Owner, Asset: string(a.Asset)}
	id, err := q.AccountID(ctx, sel)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return id, err
	}
	err = q.InsertAccount(ctx, queries.InsertAccountParams{ID: service.NewID(), GroupID: groupID, Kind: a.Kind,
		OwnerID: a.Owner, Asset: string(a.Asset), Cached: a.cached()})
	if err != nil {
		return id, storage.MapError(err)
	}
	return q.AccountID(ctx, sel)
}

// accountsParams looks up the accounts of legs in a group (AccountIDs).
func accountsParams(groupID uuid.UUID, legs []Leg) queries.AccountIDsParams {
	in := queries.AccountIDsParams{GroupID: groupID}
	for _, l := range legs {
		in.Kinds, in.Owners, in.Assets = append(in.Kinds, l.Account.Kind), append(in.Owners, l.Account.Owner), append(in.Assets, string(l.Account.Asset))
	}
	return in
}

// accountIDs returns the ids of the legs' accounts: those found (by AccountIDs), the
// others through accountID (which creates them).
func accountIDs(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, legs []Leg, found []queries.AccountIDsRow) ([]uuid.UUID, error) {
	byAccount := make(map[Account]uuid.UUID, len(found))
	for _, r := range found {
		byAccount[Account{Kind: r.Kind, Owner: r.OwnerID, Asset: Asset(r.Asset)}] = r.ID
	}
	ids := make([]uuid.UUID, len(legs))
	for i, l := range legs {
		id, ok := byAccount[l.Account]
		if !ok {
			var err error
			if id, err = accountID(ctx, tx, groupID, l.Account); err != nil {
				return nil, err
			}
		}
		ids[i] = id
	}
	return ids, nil
}

// cardAccounts lists the accounts every card has.
func cardAccounts(cardID uuid.UUID) []Account {
	return []Account{Card(cardID, Points), Card(cardID, CNY), Card(cardID, Uses), CardPending(cardID)}
}

// LockCardsTx creates the accounts of the cards if needed and locks them all in id
// order. Call it first in any transaction that changes card balances or lots: it
// makes the rest of the transaction serial per card and free of deadlocks. It returns
// the group of the first card (all cards must share a group).
//
// Cards get their accounts on first use, so the lock comes first: one statement locks
// the accounts and returns each with its card's group, which proves the cards exist and
// share a group when every account is there. Only a card without its accounts yet
// takes the long way (check the cards, create the accounts, lock again); the accounts
// it locked first are a subset it locks again in the same order, and a deadlock with
// another first use of the same card is retried by the caller's transaction.
func (s *Service) LockCardsTx(ctx context.Context, tx pgx.Tx, cardIDs ...uuid.UUID) (uuid.UUID, error) {
	var b storage.Batch
	lock := s.QueueLockCards(ctx, &b, cardIDs...)
	if err := b.Send(ctx, tx); err != nil {
		return uuid.Nil, err
	}
	groupID, _, err := lock.Finish(ctx, tx)
	return groupID, err
}

// CardLock is LockCardsTx queued in a caller's batch (QueueLockCards).
type CardLock struct {
	cards  []uuid.UUID
	locked []queries.LockCardAccountsRow
}

// QueueLockCards queues LockCardsTx's lock in b, for a caller that sends more
// statements in the same round trip: those queued after it run once the lock is held.
// Call Finish after sending b.
func (s *Service) QueueLockCards(ctx context.Context, b *storage.Batch, cardIDs ...uuid.UUID) *CardLock {
	l := &CardLock{cards: cardIDs}
	collect := func(rows pgx.Rows) (err error) {
		l.locked, err = pgx.CollectRows(rows, pgx.RowToStructByPos[queries.LockCardAccountsRow])
		return err
	}
	if len(cardIDs) == 1 { // the usual lock set: a statement of fixed shape (a generic plan, no planning per call)
		b.Queue(func(q storage.Querier) { _, _ = queries.New(q).LockCardAccountsOf(ctx, cardIDs[0]) }).Query(collect)
		return l
	}
	b.Queue(func(q storage.Querier) { _, _ = queries.New(q).LockCardAccounts(ctx, cardIDs) }).Query(collect)
	return l
}

// Finish completes the lock once its batch was sent and returns the cards' group.
// When a card had no accounts yet it creates them and locks again (LockCardsTx's long
// way) and reports it (created): the statements sent after the lock then ran before
// all the accounts were locked.
func (l *CardLock) Finish(ctx context.Context, tx pgx.Tx) (groupID uuid.UUID, created bool, err error) {
	if groupID, ok := allLocked(l.cards, l.locked); ok {
		return groupID, false, nil
	}
	if groupID, err = cardGroup(ctx, tx, l.cards); err != nil {
		return groupID, true, err
	}
	in := queries.InsertCardAccountsParams{GroupID: groupID}
	for _, c := range l.cards {
		for _, a := range cardAccounts(c) {
			in.Kinds, in.Owners, in.Assets = append(in.Kinds, a.Kind), append(in.Owners, a.Owner), append(in.Assets, string(a.Asset))
			in.Ids = append(in.Ids, service.NewID())
		}
	}
	q := queries.New(tx)
	if err := q.InsertCardAccounts(ctx, in); err != nil {
		return groupID, true, storage.MapError(err)
	}
	_, err = q.LockCardAccounts(ctx, l.cards)
	return groupID, true, err
}

// allLocked is the cards' group when locked holds every account of every card and
// their cards share one group (ok false otherwise: a card is missing, lacks an account
// or the cards span groups).
func allLocked(cardIDs []uuid.UUID, locked []queries.LockCardAccountsRow) (groupID uuid.UUID, ok bool) {
	have := make(map[Account]bool, len(locked))
	for i, r := range locked {
		if i > 0 && r.GroupID != groupID {
			return uuid.Nil, false
		}
		groupID = r.GroupID
		have[Account{Kind: r.Kind, Owner: r.OwnerID, Asset: Asset(r.Asset)}] = true
	}
	for _, c := range cardIDs {
		for _, a := range cardAccounts(c) {
			if !have[a] {
				return uuid.Nil, false
			}
		}
	}
	return groupID, len(locked) > 0 && groupID != uuid.Nil
}

// cardGroup returns the group of the cards; they must exist and share one group.
func cardGroup(ctx context.Context, tx pgx.Tx, cardIDs []uuid.UUID) (uuid.UUID, error) {
	row, err := queries.New(tx).CardGroup(ctx, cardIDs)
	if err != nil {
		return uuid.Nil, err
	}
	distinct := map[uuid.UUID]bool{}
	for _, c := range cardIDs {
		distinct[c] = true
	}
	if row.Found != int64(len(distinct)) || row.Groups != 1 || row.GroupID == uuid.Nil {
		return uuid.Nil, ErrCardNotFound.Msgf("card not found or cards of different groups: %v", cardIDs)
	}
	return row.GroupID, nil
}

// balanceOf reads an account's cached balance (zero for an unknown account).
func balanceOf(ctx context.Context, q queries.DBTX, groupID uuid.UUID, a Account) (decimal.Decimal, error) {
	amount, err := queries.New(q).AccountBalance(ctx, queries.AccountBalanceParams{GroupID: groupID, Kind: a.Kind,
		OwnerID: a.Owner, Asset: string(a.Asset)})
	if errors.Is(err, pgx.ErrNoRows) {
		return decimal.Decimal{}, nil
	}
	if err != nil {
		return amount, fmt.Errorf("balance of %v: %w", a, err)
	}
	return amount, nil
}
