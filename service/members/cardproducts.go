package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// CardProduct is a card type as a product (issue 17): what it sells for at the desk,
// how long a card of it is valid and whether it renews, its fees (the member fees
// context charges them), and whether and how stored value may be withdrawn (提现).
type CardProduct struct {
	CardTypeID             uuid.UUID
	GroupID                uuid.UUID
	Code, Name, Kind       string
	Price                  *decimal.Decimal // nil: not sold at the desk
	ValidityMonths         *int             // nil: cards do not expire
	Renewable              bool
	JoiningFee             decimal.Decimal
	AnnualFee              decimal.Decimal
	SupplementaryAnnualFee decimal.Decimal
	WithdrawalAllowed      bool
	WithdrawalFeeRate      decimal.Decimal
	WithdrawalMin          *decimal.Decimal
	WithdrawalMax          *decimal.Decimal
	WithdrawalDailyLimit   *decimal.Decimal
}

// CardProductInput sets a card type's product terms.
type CardProductInput struct {
	CardTypeID             uuid.UUID
	Price                  *decimal.Decimal
	ValidityMonths         *int
	Renewable              bool
	JoiningFee             decimal.Decimal
	AnnualFee              decimal.Decimal
	SupplementaryAnnualFee decimal.Decimal
	WithdrawalAllowed      bool
	WithdrawalFeeRate      decimal.Decimal
	WithdrawalMin          *decimal.Decimal
	WithdrawalMax          *decimal.Decimal
	WithdrawalDailyLimit   *decimal.Decimal
}

func validMoney(field string, v decimal.Decimal) error {
	if v.IsNegative() || !v.Equal(v.Round(2)) || v.GreaterThan(decimal.New(1, 12)) {
		return errs.Invalid(field, "%s must be a non-negative amount with at most 2 decimals", field[len("input."):])
	}
	return nil
}

func validCardProduct(in CardProductInput, kind string) error {
	for _, m := range []struct {
		field string
		v     *decimal.Decimal
	}{{"input.price", in.Price}, {"input.joiningFee", &in.JoiningFee}, {"input.annualFee", &in.AnnualFee},
		{"input.supplementaryAnnualFee", &in.SupplementaryAnnualFee}, {"input.withdrawalMin", in.WithdrawalMin},
		{"input.withdrawalMax", in.WithdrawalMax}, {"input.withdrawalDailyLimit", in.WithdrawalDailyLimit}} {
		if m.v == nil {
			continue
		}
		if err := validMoney(m.field, *m.v); err != nil {
			return err
		}
	}
	r := in.WithdrawalFeeRate
	switch {
	case in.ValidityMonths != nil && (*in.ValidityMonths < 1 || *in.ValidityMonths > 600):
		return errs.Invalid("input.validityMonths", "validity must be 1 to 600 months")
	case in.Renewable && in.ValidityMonths == nil:
		return errs.Invalid("input.renewable", "only a card type with a validity renews")
	case r.IsNegative() || !r.LessThan(decimal.NewFromInt(1)) || r.Exponent() < -4:
		return errs.Invalid("input.withdrawalFeeRate", "withdrawal fee rate must be in [0, 1) with at most 4 decimals")
	case in.WithdrawalAllowed && kind != KindStoredValue:
		return errs.Invalid("input.withdrawalAllowed", "only stored-value cards hold money to withdraw")
	case in.WithdrawalMin != nil && in.WithdrawalMax != nil && in.WithdrawalMin.GreaterThan(*in.WithdrawalMax):
		return errs.Invalid("input.withdrawalMin", "the minimum withdrawal is above the maximum")
	}
	for _, v := range []*decimal.Decimal{in.WithdrawalMin, in.WithdrawalMax, in.WithdrawalDailyLimit} {
		if v != nil && !v.IsPositive() {
			return errs.Invalid("input.withdrawalMin", "withdrawal limits must be positive")
		}
	}
	return nil
}

// SetCardProduct sets a card type's product terms; admins and member operations of
// the group.
func (s *Service) SetCardProduct(ctx context.Context, in CardProductInput) (CardProduct, error) {
	var out CardProduct
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
		if err := validCardProduct(in, row.Kind); err != nil {
			return err
		}
		var months *int32
		if in.ValidityMonths != nil {
			m := int32(*in.ValidityMonths)
			months = &m
		}
		if err := q.SetCardProduct(ctx, queries.SetCardProductParams{ID: row.ID, Price: in.Price, ValidityMonths: months,
			Renewable: in.Renewable, JoiningFee: in.JoiningFee, AnnualFee: in.AnnualFee,
			SupplementaryAnnualFee: in.SupplementaryAnnualFee, WithdrawalAllowed: in.WithdrawalAllowed,
			WithdrawalFeeRate: in.WithdrawalFeeRate, WithdrawalMin: in.WithdrawalMin, WithdrawalMax: in.WithdrawalMax,
			WithdrawalDailyLimit: in.WithdrawalDailyLimit}); err != nil {
			return fmt.Errorf("set card product: %w", err)
		}
		if out, err = CardProductOf(ctx, tx, row.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, audit.Entry{Action: "card_type.product", Entity: "card_type", EntityID: row.ID,
			Details: map[string]any{"price": strPtr(in.Price), "joiningFee": in.JoiningFee.String(),
				"annualFee": in.AnnualFee.String(), "withdrawalAllowed": in.WithdrawalAllowed}})
	})
	return out, err
}

func strPtr(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func toCardProduct(r queries.CardProductByIDRow) CardProduct {
	var months *int
	if r.ValidityMonths != nil {
		m := int(*r.ValidityMonths)
		months = &m
	}
	return CardProduct{CardTypeID: r.ID, GroupID: r.GroupID, Code: r.Code, Name: r.Name, Kind: r.Kind, Price: r.Price,
		ValidityMonths: months, Renewable: r.Renewable, JoiningFee: r.JoiningFee, AnnualFee: r.AnnualFee,
		SupplementaryAnnualFee: r.SupplementaryAnnualFee, WithdrawalAllowed: r.WithdrawalAllowed,
		WithdrawalFeeRate: r.WithdrawalFeeRate, WithdrawalMin: r.WithdrawalMin, WithdrawalMax: r.WithdrawalMax,
		WithdrawalDailyLimit: r.WithdrawalDailyLimit}
}

// CardProductOf reads a card type's product terms through q, without an access check
// (card types are not secret; callers check the place they act at).
func CardProductOf(ctx context.Context, q storage.Querier, typeID uuid.UUID) (CardProduct, error) {
	r, err := queries.New(q).CardProductByID(ctx, typeID)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return CardProduct{}, errs.ErrNotFound.Msgf("card type not found")
	}
	if err != nil {
		return CardProduct{}, fmt.Errorf("load card product: %w", err)
	}
	return toCardProduct(r), nil
}

// CardProducts lists a group's card types as products to its staff.
func (s *Service) CardProducts(ctx context.Context, group uuid.UUID) ([]CardProduct, error) {
	if err := s.requireGroup(ctx, s.db.Pool, group, memberRoles); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).CardProductsOfGroup(ctx, group)
	if err != nil {
		return nil, fmt.Errorf("card products: %w", err)
	}
	out := make([]CardProduct, len(rows))
	for i, r := range rows {
		out[i] = toCardProduct(queries.CardProductByIDRow(r))
	}
	return out, nil
}

// FeeCard is an active card whose type charges an annual fee.
type FeeCard struct {
	ID, GroupID, MemberID, CardTypeID uuid.UUID
	PrimaryCardID                     *uuid.UUID
	HomeMallID                        *uuid.UUID
	IssuedAt                          time.Time
	ExpiresAt                         *time.Time
	AnnualFee                         decimal.Decimal // the card's own: the supplementary fee for a supplementary card
}

// FeeCards lists active cards charging an annual fee in id order after after, at most
// limit, through q (no access check: the fee job reads them).
func FeeCards(ctx context.Context, q storage.Querier, after uuid.UUID, limit int) ([]FeeCard, error) {
	rows, err := queries.New(q).FeeCards(ctx, after, int32(limit))
	if err != nil {
		return nil, fmt.Errorf("fee cards: %w", err)
	}
	out := make([]FeeCard, len(rows))
	for i, r := range rows {
		fee := r.AnnualFee
		if r.PrimaryCardID != nil {
			fee = r.SupplementaryAnnualFee
		}
		out[i] = FeeCard{ID: r.ID, GroupID: r.GroupID, MemberID: r.MemberID, CardTypeID: r.CardTypeID,
			PrimaryCardID: r.PrimaryCardID, HomeMallID: r.RegisteredMallID, IssuedAt: r.IssuedAt, ExpiresAt: r.ExpiresAt,
			AnnualFee: fee}
	}
	return out, nil
}

// SetCardExpiryTx sets a card's expiry in the caller's transaction (a renewal; lock the
// card first with CardForUpdate).
func SetCardExpiryTx(ctx context.Context, tx pgx.Tx, card uuid.UUID, expires time.Time) error {
	return queries.New(tx).SetCardExpiry(ctx, &expires, card)
}

// IssueCardTx issues a card in the caller's transaction without an access check (the
// caller, selling the card at a desk, checked its place): the member must be active
// and of the card type's group. The card event records the issue.
func (s *Service) IssueCardTx(ctx context.Context, tx pgx.Tx, in IssueCardInput) (Card, error) {
	in.UID = strings.TrimSpace(in.UID)
	if err := validIssue(in, s.now()); err != nil {
		return Card{}, err
	}
	m, err := loadMember(ctx, tx, in.MemberID)
	if err != nil {
		return Card{}, err
	}
	if m.Status != MemberActive || m.RegisteredAt == nil {
		return Card{}, ErrMemberInactive
	}
	if in.PrimaryCardID != nil {
		if in.CardTypeID, err = checkPrimary(ctx, tx, *in.PrimaryCardID, m.GroupID, in.CardTypeID); err != nil {
			return Card{}, err
		}
	}
	if err := checkCardType(ctx, tx, in.CardTypeID, m.GroupID); err != nil {
		return Card{}, err
	}
	c, err := s.insertCard(ctx, tx, Card{GroupID: m.GroupID, MemberID: m.ID, CardTypeID: in.CardTypeID, UID: in.UID,
		PrimaryCardID: in.PrimaryCardID, SpendLimit: in.SpendLimit, ExpiresAt: in.ExpiresAt})
	if err != nil {
		return Card{}, err
	}
	return c, s.cardEvent(ctx, tx, c, OpIssue, "", in.Reason, nil)
}

// MemberGroupOf is a member's group and home mall through q, without an access check.
func MemberGroupOf(ctx context.Context, q storage.Querier, member uuid.UUID) (group uuid.UUID, home *uuid.UUID, err error) {
	m, err := loadMember(ctx, q, member)
	if err != nil {
		return uuid.Nil, nil, err
	}
	return m.GroupID, m.RegisteredMallID, nil
}
