// Package commissions is staff performance and commission (员工业绩/提成, issue 17):
// rules per merchant (package rule: the most specific of item, category and merchant
// default wins; a percentage of the paid amount or a fixed amount per item), lines
// credited in the purchase's own transaction through loyalty's Hook (Hook below), a
// refund's share taken back in the refund's transaction, monthly settlements per
// merchant and staff member, and rankings of staff and of products/services.
//
// Rules worth knowing:
//   - A purchase recorded with lines and/or a server (servedBy, a staff member of the
//     merchant) writes one line per sold line (no lines: one line for the whole
//     amount). A line's base is its share of what the member paid (rule.Spread of the
//     payable over the lines' amounts); its commission is rule.Earn of the rule that
//     applies (none when nobody served). Lines without a server count for the
//     product rankings only.
//   - A refund writes negative lines: for each sale line, rule.Reverse of its base and
//     commission by the refund's cumulative share of the payable, so partial refunds
//     add up to exactly the sale once everything is refunded and never go below zero.
//     The refund runs once (loyalty's once.Do), and the lines are unique per (purchase,
//     refund, line), so a replay writes nothing twice.
//   - Lines are dated by the business month (the mall's zone) of the purchase or the
//     refund. A month is settled per merchant once it has ended: one settlement per
//     staff member whose total is the sum of their lines of that month, and the month
//     is closed. A line that would land in a closed month goes to the next open one
//     (a refund after the settlement is a negative line of a later month, never lost).
//     Writers take a shared advisory lock on (merchant, month), the settlement an
//     exclusive one, so no line slips into a month while it is being settled.
package commissions

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/commissions/internal/queries"
	"github.com/atrium-mall/atrium/service/commissions/rule"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of the commissions context.
var (
	ErrServerNotStaff = errs.New(errs.KindUser, "COMMISSION_SERVER_NOT_STAFF", "servedBy is not a staff member of the merchant")
	ErrMonthSettled   = errs.New(errs.KindUser, "COMMISSION_MONTH_SETTLED", "that month is already settled for the merchant")
	ErrMonthOpen      = errs.New(errs.KindUser, "COMMISSION_MONTH_NOT_OVER", "a month is settled once it has ended")
)

// Roles.
var (
	ruleRoles   = []auth.Role{auth.RoleAdmin, auth.RoleTenantAdmin}
	settleRoles = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleTenantAdmin}
	readRoles   = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleTenantAdmin}
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB  *storage.DB
	Org *org.Service // merchants (places, zones) and whether a server is the merchant's staff
	Now func() time.Time
}

// Service is the commissions context.
type Service struct {
	db  *storage.DB
	org *org.Service
	now func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("commissions", d)
	return &Service{db: d.DB, org: d.Org, now: d.Now}
}

// Rule is a merchant's commission rule.
type Rule struct {
	ID         uuid.UUID
	MerchantID uuid.UUID
	Scope      string // rule.ScopeItem, ScopeCategory, ScopeMerchant
	Key        string // the code, the category, or ""
	Kind       string // rule.KindPercent or KindFixed
	Rate       decimal.Decimal
	Amount     decimal.Decimal
	UpdatedAt  time.Time
}

func ruleOf(r queries.CommRule) Rule {
	return Rule{ID: r.ID, MerchantID: r.MerchantID, Scope: r.Scope, Key: r.MatchKey, Kind: r.Kind, Rate: r.Rate,
		Amount: r.Amount, UpdatedAt: r.UpdatedAt}
}

// merchantFor reads a merchant and checks the caller holds one of roles over it (an
// unknown merchant is FORBIDDEN).
func (s *Service) merchantFor(ctx context.Context, id uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Staff(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MerchantPlace(ctx, nil, id)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// SetRule adds or replaces the merchant's rule of (scope, key) — admins over the
// merchant or its tenant admin.
func (s *Service) SetRule(ctx context.Context, in Rule) (Rule, error) {
	p, err := s.merchantFor(ctx, in.MerchantID, ruleRoles...)
	if err != nil {
		return Rule{}, err
	}
	in.Key = strings.TrimSpace(in.Key)
	switch {
	case in.Scope != rule.ScopeItem && in.Scope != rule.ScopeCategory && in.Scope != rule.ScopeMerchant:
		return Rule{}, errs.Invalid("input.scope", "scope is ITEM, CATEGORY or MERCHANT")
	case (in.Scope == rule.ScopeMerchant) != (in.Key == ""):
		return Rule{}, errs.Invalid("input.key", "an ITEM or CATEGORY rule names its code or category; a MERCHANT rule none")
	case len(in.Key) > 64:
		return Rule{}, errs.Invalid("input.key", "at most 64 characters")
	case in.Kind == rule.KindPercent && (in.Rate.IsNegative() || in.Rate.GreaterThan(decimal.NewFromInt(100)) ||
		!in.Rate.Equal(in.Rate.Round(4))):
		return Rule{}, errs.Invalid("input.rate", "a percentage from 0 to 100, at most 4 decimals")
	case in.Kind == rule.KindFixed && (in.Amount.IsNegative() || !in.Amount.Equal(in.Amount.Round(2)) ||
		in.Amount.GreaterThan(decimal.New(1, 9))):
		return Rule{}, errs.Invalid("input.amount", "a fixed amount of at least 0, at most two decimals")
	case in.Kind != rule.KindPercent && in.Kind != rule.KindFixed:
		return Rule{}, errs.Invalid("input.kind", "kind is PERCENT or FIXED")
	}
	if in.Kind == rule.KindPercent {
		in.Amount = decimal.Zero
	} else {
		in.Rate = decimal.Zero
	}
	r, err := queries.New(s.db.Pool).UpsertRule(ctx, queries.UpsertRuleParams{ID: service.NewID(), GroupID: p.GroupID,
		MallID: p.MallID, MerchantID: p.MerchantID, Scope: in.Scope, MatchKey: in.Key, Kind: in.Kind, Rate: in.Rate,
		Amount: in.Amount, UpdatedBy: access.Actor(ctx), UpdatedAt: s.now()})
	return ruleOf(r), err
}

// DeleteRule removes one of the merchant's rules; false when it has none with that id.
func (s *Service) DeleteRule(ctx context.Context, merchant, id uuid.UUID) (bool, error) {
	p, err := s.merchantFor(ctx, merchant, ruleRoles...)
	if err != nil {
		return false, err
	}
	n, err := queries.New(s.db.Pool).DeleteRule(ctx, queries.DeleteRuleParams{GroupID: p.GroupID, MerchantID: merchant, ID: id})
	return n == 1, err
}

// Rules lists the merchant's rules.
func (s *Service) Rules(ctx context.Context, merchant uuid.UUID) ([]Rule, error) {
	p, err := s.merchantFor(ctx, merchant, readRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).RulesOf(ctx, p.GroupID, merchant)
	out := make([]Rule, len(rows))
	for i, r := range rows {
		out[i] = ruleOf(r)
	}
	return out, err
}

// monthOf is the first day of t's business month at p.
func monthOf(t time.Time, p org.Place) time.Time {
	m := calendar.StartOfMonth(t, p.Loc)
	return time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// openMonth is the month a line written at t belongs to: t's month, or the first
// open month after it when that one is settled; the month's shared lock is held.
func openMonth(ctx context.Context, tx pgx.Tx, p org.Place, t time.Time) (time.Time, error) {
	q := queries.New(tx)
	m := monthOf(t, p)
	for range 24 {
		if err := q.LockMonth(ctx, p.MerchantID.String(), m.Format(time.DateOnly)); err != nil {
			return m, err
		}
		closed, err := q.MonthClosed(ctx, queries.MonthClosedParams{GroupID: p.GroupID, MerchantID: p.MerchantID, Month: m})
		if err != nil || !closed {
			return m, err
		}
		m = m.AddDate(0, 1, 0)
	}
	return m, errors.New("commissions: no open month within two years")
}

// ParseMonth reads "YYYY-MM" as the first day of that month.
func ParseMonth(field, v string) (time.Time, error) {
	m, err := time.Parse("2006-01", v)
	if err != nil {
		return m, errs.Invalid(field, "a month is YYYY-MM")
	}
	return m, nil
}
