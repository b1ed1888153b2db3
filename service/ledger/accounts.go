package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/storage"
)

// accountID returns the id of the group's account, creating it on first use. It
// never locks an existing row, so hot system accounts stay lock-free.
func accountID(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, a Account) (uuid.UUID, error) {
	const sel = `SELECT id FROM ledger_accounts WHERE group_id = $1 AND kind = $2 AND owner_id = $3 AND asset = $4`
	var id uuid.UUID
	err := tx.QueryRow(ctx, sel, groupID, a.Kind, a.Owner, string(a.Asset)).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return id, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		service.NewID(), groupID, a.Kind, a.Owner, string(a.Asset), a.cached())
	if err != nil {
		return id, storage.MapError(err)
	}
	err = tx.QueryRow(ctx, sel, groupID, a.Kind, a.Owner, string(a.Asset)).Scan(&id)
	return id, err
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
	var kinds, assets []string
	var ids, owners []uuid.UUID
	for _, c := range cardIDs {
		for _, a := range cardAccounts(c) {
			kinds, owners, assets = append(kinds, a.Kind), append(owners, a.Owner), append(assets, string(a.Asset))
			ids = append(ids, service.NewID())
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached)
		SELECT i, $1, k, o, a, true FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[]) AS t(i, k, o, a)
		ORDER BY o, k, a
		ON CONFLICT DO NOTHING`, groupID, ids, kinds, owners, assets)
	if err != nil {
		return groupID, storage.MapError(err)
	}
	_, err = tx.Exec(ctx, `SELECT id FROM ledger_accounts WHERE owner_id = ANY($1) AND cached
		ORDER BY id FOR UPDATE`, cardIDs)
	return groupID, err
}

// cardGroup returns the group of the cards; they must exist and share one group.
func cardGroup(ctx context.Context, tx pgx.Tx, cardIDs []uuid.UUID) (uuid.UUID, error) {
	var n, groups int
	var groupID *uuid.UUID
	err := tx.QueryRow(ctx, `SELECT count(*), count(DISTINCT group_id), (array_agg(group_id))[1]
		FROM cards WHERE id = ANY($1)`, cardIDs).Scan(&n, &groups, &groupID)
	if err != nil {
		return uuid.Nil, err
	}
	distinct := map[uuid.UUID]bool{}
	for _, c := range cardIDs {
		distinct[c] = true
	}
	if n != len(distinct) || groups != 1 || groupID == nil {
		return uuid.Nil, ErrCardNotFound.Msgf("card not found or cards of different groups: %v", cardIDs)
	}
	return *groupID, nil
}

// balanceOf reads an account's cached balance (zero for an unknown account).
func balanceOf(ctx context.Context, q storage.Querier, groupID uuid.UUID, a Account) (amount decimal.Decimal, err error) {
	err = q.QueryRow(ctx, `SELECT balance FROM ledger_accounts WHERE group_id = $1 AND kind = $2 AND owner_id = $3 AND asset = $4`,
		groupID, a.Kind, a.Owner, string(a.Asset)).Scan(&amount)
	if errors.Is(err, pgx.ErrNoRows) {
		return amount, nil
	}
	if err != nil {
		return amount, fmt.Errorf("balance of %v: %w", a, err)
	}
	return amount, nil
}
