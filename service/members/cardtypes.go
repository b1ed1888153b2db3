package members

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Card kinds (会员卡类型).
const (
	KindStoredValue = "stored_value"
	KindDiscount    = "discount"
	KindCount       = "count"
	KindPoints      = "points"
)

var (
	cardKinds  = []string{KindStoredValue, KindDiscount, KindCount, KindPoints}
	typeCodeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
)

// CardType is a kind of card a group offers.
type CardType struct {
	ID           uuid.UUID
	GroupID      uuid.UUID
	Code         string
	Name         string
	Kind         string
	ServiceName  string           // count cards: the service the uses are for
	DiscountRate *decimal.Decimal // discount cards: the price factor, e.g. 0.88
	// IssueOnRegistration: every member registering in the group gets a card of this
	// type (the electronic membership card); at most one type per group.
	IssueOnRegistration bool
	CreatedAt           time.Time
}

// CardTypeInput is a new card type.
type CardTypeInput struct {
	GroupID      uuid.UUID
	Code         string
	Name         string
	Kind         string
	ServiceName  string
	DiscountRate *decimal.Decimal
	// IssueOnRegistration makes it the group's electronic card (points or stored value).
	IssueOnRegistration bool
}

// validCardType checks the kind-specific fields: a count card names its service, a
// discount card has a rate in (0, 1] with at most 4 decimals, the others have neither.
func validCardType(in CardTypeInput) error {
	switch {
	case !typeCodeRE.MatchString(in.Code):
		return errs.Invalid("input.code", "code must be 1 to 32 letters, digits, _ or -")
	case strings.TrimSpace(in.Name) == "" || utf8.RuneCountInString(in.Name) > 100:
		return errs.Invalid("input.name", "name must be 1 to 100 characters")
	case !slices.Contains(cardKinds, in.Kind):
		return errs.Invalid("input.kind", "kind must be one of %s", strings.Join(cardKinds, ", "))
	case (in.Kind == KindCount) != (strings.TrimSpace(in.ServiceName) != ""):
		return errs.Invalid("input.serviceName", "count cards, and only they, name a service")
	case (in.Kind == KindDiscount) != (in.DiscountRate != nil):
		return errs.Invalid("input.discountRate", "discount cards, and only they, have a discount rate")
	case in.IssueOnRegistration && in.Kind != KindPoints && in.Kind != KindStoredValue:
		return errs.Invalid("input.issueOnRegistration", "the registration card is a points or stored-value card")
	}
	if r := in.DiscountRate; r != nil && (!r.IsPositive() || r.GreaterThan(decimal.NewFromInt(1)) || r.Exponent() < -4) {
		return errs.Invalid("input.discountRate", "discount rate must be in (0, 1] with at most 4 decimals")
	}
	return nil
}

// CreateCardType adds a card type to a group; admins and member operations of the group.
func (s *Service) CreateCardType(ctx context.Context, in CardTypeInput) (CardType, error) {
	if err := s.requireGroup(ctx, s.db.Pool, in.GroupID, setupRoles); err != nil {
		return CardType{}, err
	}
	if err := validCardType(in); err != nil {
		return CardType{}, err
	}
	t := CardType{ID: service.NewID(), GroupID: in.GroupID, Code: strings.ToUpper(in.Code), Name: strings.TrimSpace(in.Name),
		Kind: in.Kind, ServiceName: strings.TrimSpace(in.ServiceName), DiscountRate: in.DiscountRate,
		IssueOnRegistration: in.IssueOnRegistration}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO card_types (id, group_id, code, name, kind, service_name, discount_rate,
			issue_on_registration) VALUES ($1, $2, $3, $4, $5, nullif($6, ''), $7, $8) RETURNING created_at`,
			t.ID, t.GroupID, t.Code, t.Name, t.Kind, t.ServiceName, t.DiscountRate, t.IssueOnRegistration).Scan(&t.CreatedAt)
		switch {
		case storage.IsConstraint(err, "card_types_group_id_code_key"):
			return ErrCardTypeCodeTaken.At("input", "code")
		case storage.IsConstraint(err, "card_types_registration_idx"):
			return ErrRegistrationTypeTaken.At("input", "issueOnRegistration")
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "card_type.create", Entity: "card_type", EntityID: t.ID,
			Details: map[string]any{"code": t.Code, "kind": t.Kind}})
	})
	return t, err
}

const cardTypeCols = `id, group_id, code, name, kind, coalesce(service_name, ''), discount_rate, issue_on_registration,
	created_at`

func scanCardType(row pgx.Row) (CardType, error) {
	var t CardType
	err := row.Scan(&t.ID, &t.GroupID, &t.Code, &t.Name, &t.Kind, &t.ServiceName, &t.DiscountRate, &t.IssueOnRegistration,
		&t.CreatedAt)
	return t, storage.MapError(err)
}

// CardTypes lists a group's card types to its staff.
func (s *Service) CardTypes(ctx context.Context, group uuid.UUID) ([]CardType, error) {
	if err := s.requireGroup(ctx, s.db.Pool, group, codeRoles); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT `+cardTypeCols+` FROM card_types WHERE group_id = $1 ORDER BY code`, group)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CardType, error) { return scanCardType(r) })
}

// CardType returns a card type without an access check (card types are not secret).
func (s *Service) CardType(ctx context.Context, id uuid.UUID) (CardType, error) {
	t, err := scanCardType(s.db.Pool.QueryRow(ctx, `SELECT `+cardTypeCols+` FROM card_types WHERE id = $1`, id))
	if err == storage.ErrNotFound {
		return t, errs.ErrNotFound.Msgf("card type not found")
	}
	return t, err
}
