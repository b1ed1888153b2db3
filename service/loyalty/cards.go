package loyalty

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
)

// card is a member card as loyalty sees it.
type card struct {
	ID           uuid.UUID
	GroupID      uuid.UUID
	MemberID     uuid.UUID
	Status       string
	PrimaryID    *uuid.UUID
	SpendLimit   *decimal.Decimal
	Kind         string // card type kind
	DiscountRate *decimal.Decimal
}

const cardCols = `c.id, c.group_id, c.member_id, c.status, c.primary_card_id, c.spend_limit, t.kind, t.discount_rate
	FROM cards c JOIN card_types t ON t.id = c.card_type_id`

func scanCard(row pgx.Row) (card, error) {
	var c card
	err := row.Scan(&c.ID, &c.GroupID, &c.MemberID, &c.Status, &c.PrimaryID, &c.SpendLimit, &c.Kind, &c.DiscountRate)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrCardNotFound
	}
	return c, err
}

// usable says why a card cannot pay or earn, if it cannot.
func (c card) usable(field string) error {
	switch c.Status {
	case "active":
		return nil
	case "lost":
		return ErrCardLost.At(field)
	case "frozen":
		return ErrCardFrozen.At(field)
	case "replaced":
		return ErrCardReplaced.At(field)
	default:
		return ErrCardCancelled.At(field)
	}
}

// findCard finds the card with number, or the member's first active primary card, in
// group, and locks it: FOR UPDATE when it is a supplementary card (its daily limit is
// checked), FOR SHARE otherwise (it cannot change status under the purchase).
func findCard(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, number string, member uuid.UUID) (card, error) {
	c, err := lookupCard(ctx, tx, groupID, number, member)
	if err != nil {
		return c, err
	}
	if c.PrimaryID != nil {
		return scanCard(tx.QueryRow(ctx, `SELECT `+cardCols+` WHERE c.id = $1 FOR UPDATE OF c`, c.ID))
	}
	return cardByID(ctx, tx, c.ID)
}

func lookupCard(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, number string, member uuid.UUID) (card, error) {
	const lock = ""
	if number != "" {
		return scanCard(tx.QueryRow(ctx, `SELECT `+cardCols+` WHERE c.number = $1 AND c.group_id = $2`+lock, number, groupID))
	}
	return scanCard(tx.QueryRow(ctx, `SELECT `+cardCols+` WHERE c.member_id = $1 AND c.group_id = $2
		AND c.status = 'active' AND c.primary_card_id IS NULL ORDER BY c.issued_at, c.id LIMIT 1`+lock, member, groupID))
}

// cardByID locks a card by id (FOR SHARE).
func cardByID(ctx context.Context, tx pgx.Tx, id uuid.UUID) (card, error) {
	return scanCard(tx.QueryRow(ctx, `SELECT `+cardCols+` WHERE c.id = $1 FOR SHARE OF c`, id))
}

// currentCard is the card that holds the value of card id now (see ledger.CurrentCardTx).
func currentCard(ctx context.Context, tx pgx.Tx, id uuid.UUID) (uuid.UUID, error) {
	return ledger.CurrentCardTx(ctx, tx, id)
}

// place is a merchant or mall with its organisation and time zone.
type place struct {
	MallID     uuid.UUID
	GroupID    uuid.UUID
	MerchantID uuid.UUID
	Category   string
	Status     string
	Loc        *time.Location
	Ref        auth.OrgRef
}

func merchantPlace(ctx context.Context, q pgx.Tx, merchantID uuid.UUID) (place, error) {
	p := place{MerchantID: merchantID, Status: "active"}
	var region *uuid.UUID
	var tz string
	err := q.QueryRow(ctx, `SELECT m.mall_id, ml.group_id, ml.region_id, m.category, m.status, ml.time_zone
		FROM merchants m JOIN malls ml ON ml.id = m.mall_id WHERE m.id = $1`, merchantID).
		Scan(&p.MallID, &p.GroupID, &region, &p.Category, &p.Status, &tz)
	return finishPlace(p, region, tz, err)
}

func mallPlace(ctx context.Context, q pgx.Tx, mallID uuid.UUID) (place, error) {
	p := place{MallID: mallID, Status: "active"}
	var region *uuid.UUID
	var tz string
	err := q.QueryRow(ctx, `SELECT group_id, region_id, time_zone FROM malls WHERE id = $1`, mallID).
		Scan(&p.GroupID, &region, &tz)
	return finishPlace(p, region, tz, err)
}

func finishPlace(p place, region *uuid.UUID, tz string, err error) (place, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		return p, errs.ErrNotFound
	}
	if err != nil {
		return p, err
	}
	p.Ref = auth.OrgRef{GroupID: p.GroupID, MallID: p.MallID, MerchantID: p.MerchantID}
	if region != nil {
		p.Ref.RegionID = *region
	}
	if p.Loc, err = time.LoadLocation(tz); err != nil {
		p.Loc, _ = time.LoadLocation("Asia/Shanghai")
	}
	return p, nil
}

// can checks the viewer holds one of roles over the place.
func can(ctx context.Context, p place, roles ...auth.Role) error {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return errs.ErrUnauthenticated
	}
	if !v.Can(p.Ref, roles...) {
		return errs.ErrForbidden
	}
	return nil
}
