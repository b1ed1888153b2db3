package members

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
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
	// Registered: cards of the type are registered to a named member (记名卡); the
	// default of the stored-value cap depends on it (see StoredValueCap).
	Registered bool
	// OwnStoredValueCap is the type's own cap, nil for the default of its registration.
	OwnStoredValueCap *decimal.Decimal
	CreatedAt         time.Time
}

// Holdings is what cards of the type may hold (KindHoldings).
func (t CardType) Holdings() Holdings { return KindHoldings(t.Kind) }

// StoredValueCap is the most stored value one card of the type may hold (zero for a
// kind that holds no money).
func (t CardType) StoredValueCap() decimal.Decimal {
	return StoredValueCap(t.Kind, t.Registered, t.OwnStoredValueCap)
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
	// Anonymous: cards of the type are not registered to a named member (不记名卡,
	// stored value capped at ¥1,000); the zero value is a registered card (记名卡).
	Anonymous bool
	// StoredValueCap: stored-value kinds only, the most one card may hold; nil for the
	// maximum of the registration (¥5,000 registered, ¥1,000 anonymous).
	StoredValueCap *decimal.Decimal
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
	if err := validStoredValueCap(in.Kind, !in.Anonymous, in.StoredValueCap); err != nil {
		return err
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
		IssueOnRegistration: in.IssueOnRegistration, Registered: !in.Anonymous, OwnStoredValueCap: in.StoredValueCap}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		t.CreatedAt, err = queries.New(tx).InsertCardType(ctx, queries.InsertCardTypeParams{ID: t.ID, GroupID: t.GroupID,
			Code: t.Code, Name: t.Name, Kind: t.Kind, ServiceName: t.ServiceName, DiscountRate: t.DiscountRate,
			IssueOnRegistration: t.IssueOnRegistration, Registered: t.Registered, StoredValueCap: t.OwnStoredValueCap})
		switch {
		case storage.IsConstraint(err, "card_types_group_id_code_key"):
			return ErrCardTypeCodeTaken.At("input", "code")
		case storage.IsConstraint(err, "card_types_registration_idx"):
			return ErrRegistrationTypeTaken.At("input", "issueOnRegistration")
		case err != nil:
			return fmt.Errorf("insert card type: %w", err)
		}
		return s.audit(ctx, tx, audit.Entry{Action: "card_type.create", Entity: "card_type", EntityID: t.ID,
			Details: map[string]any{"code": t.Code, "kind": t.Kind, "registered": t.Registered,
				"storedValueCap": t.StoredValueCap().String()}})
	})
	return t, err
}

func toCardType(t queries.CardType) CardType {
	return CardType{ID: t.ID, GroupID: t.GroupID, Code: t.Code, Name: t.Name, Kind: t.Kind,
		ServiceName: deref(t.ServiceName), DiscountRate: t.DiscountRate, IssueOnRegistration: t.IssueOnRegistration,
		Registered: t.Registered, OwnStoredValueCap: t.StoredValueCap, CreatedAt: t.CreatedAt}
}

// CardTypes lists a group's card types to its staff.
func (s *Service) CardTypes(ctx context.Context, group uuid.UUID) ([]CardType, error) {
	if err := s.requireGroup(ctx, s.db.Pool, group, codeRoles); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).CardTypesOfGroup(ctx, group)
	if err != nil {
		return nil, fmt.Errorf("card types of group: %w", err)
	}
	out := make([]CardType, len(rows))
	for i, t := range rows {
		out[i] = toCardType(t)
	}
	return out, nil
}

// CardType returns a card type without an access check (card types are not secret).
func (s *Service) CardType(ctx context.Context, id uuid.UUID) (CardType, error) {
	t, err := queries.New(s.db.Pool).CardTypeByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return CardType{}, errs.ErrNotFound.Msgf("card type not found")
	}
	if err != nil {
		return CardType{}, fmt.Errorf("load card type: %w", err)
	}
	return toCardType(t), nil
}

// StoredValueRulesInput changes the stored-value rules of a card type.
type StoredValueRulesInput struct {
	CardTypeID uuid.UUID
	Anonymous  bool             // cards of the type are not registered (不记名卡)
	Cap        *decimal.Decimal // nil: the maximum for the registration
}

// SetStoredValueRules changes a card type's registration and stored-value cap; admins
// and member operations of the group. Cards already holding more than a lowered cap
// keep their balance and can spend it; they take no recharge until they are under it.
func (s *Service) SetStoredValueRules(ctx context.Context, in StoredValueRulesInput) (CardType, error) {
	var t CardType
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		row, err := q.CardTypeForUpdate(ctx, in.CardTypeID)
		if errors.Is(storage.MapError(err), storage.ErrNotFound) {
			return errs.ErrNotFound.Msgf("card type not found")
		}
		if err != nil {
			return fmt.Errorf("lock card type: %w", err)
		}
		if err := s.requireGroup(ctx, tx, row.GroupID, setupRoles); err != nil {
			return err
		}
		t = toCardType(row)
		if err := validStoredValueCap(t.Kind, !in.Anonymous, in.Cap); err != nil {
			return err
		}
		t.Registered, t.OwnStoredValueCap = !in.Anonymous, in.Cap
		if err := q.SetCardTypeStoredValue(ctx, queries.SetCardTypeStoredValueParams{ID: t.ID, Registered: t.Registered,
			StoredValueCap: t.OwnStoredValueCap}); err != nil {
			return fmt.Errorf("set card type stored value: %w", err)
		}
		return s.audit(ctx, tx, audit.Entry{Action: "card_type.stored_value", Entity: "card_type", EntityID: t.ID,
			Details: map[string]any{"registered": t.Registered, "storedValueCap": t.StoredValueCap().String()}})
	})
	return t, err
}
