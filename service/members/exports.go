package members

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/storage"
)

// Members owns members, cards and card types. What other contexts need of them goes
// through the functions below (exported on purpose), inside the caller's transaction
// where it passes one: loyalty keeps tiers, ledger/loyalty/bookings/arrivals spend from
// cards, and every path that spends from a card asks Card.Usable.

// CardForShare reads a card through tx and locks it FOR SHARE (a value operation keeps
// the card from changing status under it); no access check.
func CardForShare(ctx context.Context, tx storage.Querier, id uuid.UUID) (Card, error) {
	return scanCard(tx.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.id = $1 FOR SHARE OF c`, id))
}

// CardForUpdate reads a card through tx and locks it FOR UPDATE; no access check.
func CardForUpdate(ctx context.Context, tx storage.Querier, id uuid.UUID) (Card, error) {
	return scanCard(tx.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.id = $1 FOR UPDATE OF c`, id))
}

// CardByNumberIn reads the card with number in group through q, whatever its status;
// no access check. An unknown number is ErrCardNotFound.
func CardByNumberIn(ctx context.Context, q storage.Querier, group uuid.UUID, number string) (Card, error) {
	if number == "" || len(number) > 32 {
		return Card{}, ErrCardNotFound
	}
	return scanCard(q.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.number = $1 AND c.group_id = $2`, number, group))
}

// CardByUIDIn reads the card with a physical UID through q, whatever its status; no
// access check. An unknown UID is ErrCardNotFound.
func CardByUIDIn(ctx context.Context, q storage.Querier, uid string) (Card, error) {
	if uid == "" || len(uid) > 64 {
		return Card{}, ErrCardNotFound
	}
	return scanCard(q.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.uid = $1`, uid))
}

// DefaultCardIn reads the member's default card in group through q: the oldest active
// primary card. None is ErrCardNotFound.
func DefaultCardIn(ctx context.Context, q storage.Querier, member, group uuid.UUID) (Card, error) {
	return scanCard(q.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.member_id = $1 AND c.group_id = $2
		AND c.status = 'active' AND c.primary_card_id IS NULL ORDER BY c.issued_at, c.id LIMIT 1`, member, group))
}

// TierForUpdate returns the member's current loyalty tier (nil: none) and locks the
// member row until tx ends, so concurrent reviews of one member serialise.
func TierForUpdate(ctx context.Context, tx storage.Querier, member uuid.UUID) (*uuid.UUID, error) {
	var tier *uuid.UUID
	err := tx.QueryRow(ctx, `SELECT tier_id FROM members WHERE id = $1 FOR UPDATE`, member).Scan(&tier)
	if err != nil {
		return nil, storage.MapError(err)
	}
	return tier, nil
}

// SetTier records the member's loyalty tier (nil: none) reached at since. Loyalty
// decides the tier; members keeps it.
func SetTier(ctx context.Context, tx storage.Querier, member uuid.UUID, tier *uuid.UUID, since time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE members SET tier_id = $2, tier_since = $3 WHERE id = $1`, member, tier, since)
	return err
}

// TieredBefore lists the members of group holding a tier reached at or before since
// (the tier review's candidates), in id order.
func TieredBefore(ctx context.Context, q storage.Querier, group uuid.UUID, since time.Time) ([]uuid.UUID, error) {
	rows, err := q.Query(ctx, `SELECT id FROM members WHERE group_id = $1 AND tier_id IS NOT NULL AND tier_since <= $2
		ORDER BY id`, group, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
