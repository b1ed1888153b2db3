package members

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Members owns members, cards and card types. What other contexts need of them goes
// through the functions below (exported on purpose), inside the caller's transaction
// where it passes one: loyalty keeps tiers, ledger/loyalty/bookings/arrivals spend from
// cards, and every path that spends from a card asks Card.Usable.

// CardForShare reads a card through tx and locks it FOR SHARE (a value operation keeps
// the card from changing status under it); no access check.
func CardForShare(ctx context.Context, tx storage.Querier, id uuid.UUID) (Card, error) {
	return rowCard(queries.New(tx).CardByIDForShare(ctx, id))
}

// CardOf reads a card through q without locking it; no access check. An unknown id
// is ErrCardNotFound.
func CardOf(ctx context.Context, q storage.Querier, id uuid.UUID) (Card, error) {
	return rowCard(queries.New(q).CardByID(ctx, id))
}

// CardForUpdate reads a card through tx and locks it FOR UPDATE; no access check.
func CardForUpdate(ctx context.Context, tx storage.Querier, id uuid.UUID) (Card, error) {
	return rowCard(queries.New(tx).CardByIDForUpdate(ctx, id))
}

// CardByNumberIn reads the card with number in group through q, whatever its status;
// no access check. An unknown number is ErrCardNotFound.
func CardByNumberIn(ctx context.Context, q storage.Querier, group uuid.UUID, number string) (Card, error) {
	if number == "" || len(number) > 32 {
		return Card{}, ErrCardNotFound
	}
	return rowCard(queries.New(q).CardByNumberInGroup(ctx, number, group))
}

// PrimaryCardByNumberForShare finds the primary card with number in group through tx
// and locks it FOR SHARE in the same statement (one round trip for the lookup and its
// lock), whatever its status; no access check. An unknown number, or a supplementary
// card's, is ErrCardNotFound.
func PrimaryCardByNumberForShare(ctx context.Context, tx storage.Querier, group uuid.UUID, number string) (Card, error) {
	if number == "" || len(number) > 32 {
		return Card{}, ErrCardNotFound
	}
	return rowCard(queries.New(tx).PrimaryCardByNumberInGroupForShare(ctx, number, group))
}

// SupplementaryCardByNumberForUpdate is PrimaryCardByNumberForShare for a
// supplementary card, locked FOR UPDATE.
func SupplementaryCardByNumberForUpdate(ctx context.Context, tx storage.Querier, group uuid.UUID, number string) (Card, error) {
	if number == "" || len(number) > 32 {
		return Card{}, ErrCardNotFound
	}
	return rowCard(queries.New(tx).SupplementaryCardByNumberInGroupForUpdate(ctx, number, group))
}

// CardByUIDIn reads the card with a physical UID through q, whatever its status; no
// access check. An unknown UID is ErrCardNotFound.
func CardByUIDIn(ctx context.Context, q storage.Querier, uid string) (Card, error) {
	if uid == "" || len(uid) > 64 {
		return Card{}, ErrCardNotFound
	}
	return rowCard(queries.New(q).CardByUID(ctx, uid))
}

// DefaultCardIn reads the member's default card in group through q: the oldest active
// primary card. None is ErrCardNotFound.
func DefaultCardIn(ctx context.Context, q storage.Querier, member, group uuid.UUID) (Card, error) {
	return rowCard(queries.New(q).DefaultCardInGroup(ctx, queries.DefaultCardInGroupParams{
		MemberID: member, GroupID: group, Status: string(StatusActive)}))
}

// DefaultCardInForShare is DefaultCardIn locked FOR SHARE by the statement that finds it.
func DefaultCardInForShare(ctx context.Context, tx storage.Querier, member, group uuid.UUID) (Card, error) {
	return rowCard(queries.New(tx).DefaultCardInGroupForShare(ctx, queries.DefaultCardInGroupForShareParams{
		MemberID: member, GroupID: group, Status: string(StatusActive)}))
}

// TierForUpdate returns the member's current loyalty tier (nil: none) and locks the
// member row until tx ends, so concurrent reviews of one member serialise.
func TierForUpdate(ctx context.Context, tx storage.Querier, member uuid.UUID) (*uuid.UUID, error) {
	tier, err := queries.New(tx).TierForUpdate(ctx, member)
	if err != nil {
		return nil, fmt.Errorf("lock member %s: %w", member, storage.MapError(err))
	}
	return tier, nil
}

// SetTier records the member's loyalty tier (nil: none) reached at since. Loyalty
// decides the tier; members keeps it.
func SetTier(ctx context.Context, tx storage.Querier, member uuid.UUID, tier *uuid.UUID, since time.Time) error {
	err := queries.New(tx).SetTier(ctx, queries.SetTierParams{TierID: tier, TierSince: since, ID: member})
	if err != nil {
		return fmt.Errorf("set tier of member %s: %w", member, err)
	}
	return nil
}

// TierHolder is a member holding a tier (the tier review's unit).
type TierHolder struct {
	MemberID uuid.UUID
	TierID   uuid.UUID
}

// TierHoldersForUpdate returns up to limit members of group after the member id after
// (id order; uuid.Nil: from the start) holding a tier reached at or before since, and
// locks them until tx ends: one batch of the tier review, serialised with purchases'
// upgrades (TierForUpdate).
func TierHoldersForUpdate(ctx context.Context, tx storage.Querier, group uuid.UUID, since time.Time, after uuid.UUID,
	limit int) ([]TierHolder, error) {
	rows, err := queries.New(tx).TierHoldersForUpdate(ctx, queries.TierHoldersForUpdateParams{GroupID: group,
		After: after, Since: since, Lim: int32(limit)})
	if err != nil {
		return nil, fmt.Errorf("tier holders of group %s: %w", group, err)
	}
	out := make([]TierHolder, len(rows))
	for i, r := range rows {
		out[i] = TierHolder{MemberID: r.ID, TierID: r.TierID}
	}
	return out, nil
}

// TierMove moves a member from one tier to another (To nil: no tier).
type TierMove struct {
	MemberID uuid.UUID
	From     uuid.UUID
	To       *uuid.UUID
}

// SetTiers applies moves in one statement, each reached at since, to the members that
// still hold the move's From tier (a member moved meanwhile is left alone, so a
// replayed batch applies nothing twice). It returns the members moved. Loyalty decides
// the tiers; members keeps them.
func SetTiers(ctx context.Context, tx storage.Querier, moves []TierMove, since time.Time) ([]uuid.UUID, error) {
	if len(moves) == 0 {
		return nil, nil
	}
	p := queries.SetTiersParams{Since: since, Ids: make([]uuid.UUID, len(moves)), TierIds: make([]uuid.UUID, len(moves)),
		FromTierIds: make([]uuid.UUID, len(moves))}
	for i, m := range moves {
		p.Ids[i], p.FromTierIds[i] = m.MemberID, m.From
		if m.To != nil {
			p.TierIds[i] = *m.To
		}
	}
	moved, err := queries.New(tx).SetTiers(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("set tiers of %d members: %w", len(moves), err)
	}
	return moved, nil
}

// TieredBefore lists the members of group holding a tier reached at or before since
// (the tier review's candidates), in id order.
func TieredBefore(ctx context.Context, q storage.Querier, group uuid.UUID, since time.Time) ([]uuid.UUID, error) {
	ids, err := queries.New(q).TieredBefore(ctx, group, since)
	if err != nil {
		return nil, fmt.Errorf("members tiered before %s: %w", since, err)
	}
	return ids, nil
}

// StoredValueCardsIn reads the member's active primary cards in group whose kind holds
// stored value (KindHoldings), oldest first, through q; no access check.
func StoredValueCardsIn(ctx context.Context, q storage.Querier, member, group uuid.UUID) ([]Card, error) {
	var kinds []string
	for _, k := range cardKinds {
		if KindHoldings(k).StoredValue {
			kinds = append(kinds, k)
		}
	}
	return rowCards(queries.New(q).StoredValueCardsInGroup(ctx, queries.StoredValueCardsInGroupParams{
		MemberID: member, GroupID: group, Status: string(StatusActive), Kinds: kinds}))
}

// OpenIDOf returns the WeChat openid bound to member ("" when none), read through q;
// no access check (payments pays a shopper's order with it).
func OpenIDOf(ctx context.Context, q storage.Querier, member uuid.UUID) (string, error) {
	r, err := queries.New(q).WeChatIdentity(ctx, member)
	if err != nil {
		return "", fmt.Errorf("WeChat identity: %w", err)
	}
	if r.Openid == nil {
		return "", nil
	}
	return *r.Openid, nil
}
