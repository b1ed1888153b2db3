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

// accountIDs returns the ids of the legs' accounts: those that exist in one round trip,
// the others through accountID (which creates them).
func accountIDs(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, legs []Leg) ([]uuid.UUID, error) {
	in := queries.AccountIDsParams{GroupID: groupID}
	for _, l := range legs {
		in.Kinds, in.Owners, in.Assets = append(in.Kinds, l.Account.Kind), append(in.Owners, l.Account.Owner), append(in.Assets, string(l.Account.Asset))
	}
	rows, err := queries.New(tx).AccountIDs(ctx, in)
	if err != nil {
		return nil, err
	}
	found := make(map[Account]uuid.UUID, len(rows))
	for _, r := range rows {
		found[Account{Kind: r.Kind, Owner: r.OwnerID, Asset: Asset(r.Asset)}] = r.ID
	}
	ids := make([]uuid.UUID, len(legs))
	for i, l := range legs {
		id, ok := found[l.Account]
		if !ok {
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
func (s *Service) LockCardsTx(ctx context.Context, tx pgx.Tx, cardIDs ...uuid.UUID) (uuid.UUID, error) {
	groupID, err := cardGroup(ctx, tx, cardIDs)
	if err != nil {
		return groupID, err
	}
	in := queries.InsertCardAccountsParams{GroupID: groupID}
	for _, c := range cardIDs {
		for _, a := range cardAccounts(c) {
			in.Kinds, in.Owners, in.Assets = append(in.Kinds, a.Kind), append(in.Owners, a.Owner), append(in.Assets, string(a.Asset))
			in.Ids = append(in.Ids, service.NewID())
		}
	}
	q := queries.New(tx)
	if err := q.InsertCardAccounts(ctx, in); err != nil {
		return groupID, storage.MapError(err)
	}
	return groupID, q.LockCardAccounts(ctx, cardIDs)
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
