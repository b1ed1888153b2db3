// Package alliance is the alliance merchants context (商家联盟): merchants outside the
// mall's tenants that award the group's points for their own customers' consumption.
//
// Design notes:
//   - A merchant belongs to a group and is managed by one of its malls (mall_id: its
//     staff, its business time zone); admins and member operations staff of that mall
//     (or above it) manage it and import its files. Another mall's or group's staff
//     are FORBIDDEN, an unknown merchant or run NOT_FOUND.
//   - Ratio: PerUnit points for every Unit yuan, rounded DOWN, HALF_UP or UP to whole
//     points (points.Of, a pure rule with named table tests).
//   - Import (CSV or .xlsx, read with service/tabular within ImportLimits): a row is
//     (row key / receipt no, member phone or card number, amount, time). Bad rows come
//     back with their line and a typed code; good rows are claimed by (group, merchant,
//     row key) with INSERT … ON CONFLICT DO NOTHING, so a row imported before (by any
//     run, also one running concurrently: its claim waits for that transaction) is
//     reported as a duplicate and pays nothing. Each claimed row earns its points as
//     one ledger lot posted with the key alliance:<row id>. The whole run is one
//     transaction (deadlocks retried): it commits all its good rows or none.
//   - Revert: a run is reverted once (IMPORTED → REVERTED, a guarded UPDATE). Each of
//     its rows' points is clawed back with the key alliance.revert:<row id> from the
//     card now holding them (a reissue followed): first the row's own lot, then the
//     member's other available points. Policy for points already spent: claw back
//     what the card holds (never creating a points debt) and record the rest as the
//     row's and the run's shortfall; the rows stay claimed, so the file cannot be
//     imported again to pay twice.
//   - Statistics per business month (the managing mall's zone): rows, members, amount
//     and points of rows still standing.
package alliance

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/alliance/internal/queries"
	"github.com/atrium-mall/atrium/service/alliance/points"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of the alliance context.
var (
	ErrMerchantInactive = errs.New(errs.KindUser, "ALLIANCE_MERCHANT_INACTIVE", "the alliance merchant is not active")
	ErrCodeTaken        = errs.New(errs.KindUser, "ALLIANCE_MERCHANT_CODE_TAKEN", "another alliance merchant of the group has this code")
	ErrRunReverted      = errs.New(errs.KindUser, "ALLIANCE_RUN_REVERTED", "the import run was reverted already")
	ErrImportFormat     = errs.New(errs.KindUser, "IMPORT_FORMAT", "the import file cannot be read")
)

// manageRoles may manage alliance merchants and import their files.
var manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// Deps are the alliance context's dependencies, all required.
type Deps struct {
	DB     *storage.DB
	Org    *org.Service    // the managing mall: scope and time zone
	Ledger *ledger.Service // points postings
	Now    func() time.Time
}

// Service is the alliance context.
type Service struct {
	db     *storage.DB
	org    *org.Service
	ledger *ledger.Service
	now    func() time.Time
}

// New returns the service; it panics when a dependency is missing.
func New(d Deps) *Service {
	service.MustDeps("alliance", d)
	return &Service{db: d.DB, org: d.Org, ledger: d.Ledger, now: d.Now}
}

// Merchant is an alliance merchant.
type Merchant struct {
	ID           uuid.UUID
	GroupID      uuid.UUID
	MallID       uuid.UUID
	Code         string
	Name         string
	ContactName  string
	ContactPhone string
	Ratio        points.Ratio
	Active       bool
	CreatedAt    time.Time
}

func toMerchant(m queries.AllianceMerchant) Merchant {
	return Merchant{ID: m.ID, GroupID: m.GroupID, MallID: m.MallID, Code: m.Code, Name: m.Name, ContactName: m.ContactName,
		ContactPhone: m.ContactPhone, Ratio: points.Ratio{Unit: m.UnitAmount, PerUnit: m.PointsPerUnit,
			Rounding: points.Rounding(m.Rounding)}, Active: m.Active, CreatedAt: m.CreatedAt}
}

// MerchantInput creates or changes a merchant. MallID is read on create only.
type MerchantInput struct {
	MallID       uuid.UUID
	Code         string
	Name         string
	ContactName  string
	ContactPhone string
	Ratio        points.Ratio
	Active       bool // update only
}

var codeRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

func validMerchant(in MerchantInput, create bool) error {
	switch {
	case create && !codeRe.MatchString(in.Code):
		return errs.Invalid("input.code", "code must be 1 to 32 letters, digits, _ or -")
	case strings.TrimSpace(in.Name) == "" || utf8.RuneCountInString(in.Name) > 100:
		return errs.Invalid("input.name", "name must be 1 to 100 characters")
	case utf8.RuneCountInString(in.ContactName) > 100 || utf8.RuneCountInString(in.ContactPhone) > 32:
		return errs.Invalid("input.contact", "contact name up to 100, phone up to 32 characters")
	case !in.Ratio.Unit.IsPositive() || !in.Ratio.Unit.Equal(in.Ratio.Unit.Round(2)) || in.Ratio.Unit.GreaterThan(decimal.NewFromInt(1000000)):
		return errs.Invalid("input.unitAmount", "unit amount must be a positive number of yuan (at most 2 decimals)")
	case !in.Ratio.PerUnit.IsPositive() || !in.Ratio.PerUnit.Equal(in.Ratio.PerUnit.Round(2)) || in.Ratio.PerUnit.GreaterThan(decimal.NewFromInt(10000)):
		return errs.Invalid("input.pointsPerUnit", "points per unit must be positive (at most 2 decimals, up to 10,000)")
	case !in.Ratio.Rounding.Valid():
		return errs.Invalid("input.rounding", "rounding must be DOWN, HALF_UP or UP")
	}
	return nil
}

// atMall authorizes the caller over a mall and returns its place.
func (s *Service) atMall(ctx context.Context, mallID uuid.UUID) (org.Place, error) {
	if _, err := access.Staff(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, err
	}
	return p, access.At(ctx, p.Ref(), manageRoles...)
}

// merchant loads a merchant and authorizes the caller over its mall; a merchant the
// caller may not see is NOT_FOUND, like an unknown one.
func (s *Service) merchant(ctx context.Context, q storage.Querier, id uuid.UUID) (Merchant, org.Place, error) {
	if _, err := access.Staff(ctx); err != nil {
		return Merchant{}, org.Place{}, err
	}
	r, err := queries.New(q).MerchantByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Merchant{}, org.Place{}, errs.ErrNotFound.Msgf("alliance merchant not found")
	}
	if err != nil {
		return Merchant{}, org.Place{}, fmt.Errorf("alliance merchant: %w", err)
	}
	m := toMerchant(r)
	p, err := s.org.MallPlace(ctx, nil, m.MallID)
	if err != nil {
		return m, p, err
	}
	if err := access.At(ctx, p.Ref(), manageRoles...); err != nil {
		return m, p, err
	}
	return m, p, nil
}

// CreateMerchant adds an alliance merchant managed by in.MallID.
func (s *Service) CreateMerchant(ctx context.Context, in MerchantInput) (Merchant, error) {
	p, err := s.atMall(ctx, in.MallID)
	if err != nil {
		return Merchant{}, err
	}
	if err := validMerchant(in, true); err != nil {
		return Merchant{}, err
	}
	r, err := queries.New(s.db.Pool).InsertMerchant(ctx, queries.InsertMerchantParams{ID: service.NewID(), GroupID: p.GroupID,
		MallID: p.MallID, Code: in.Code, Name: strings.TrimSpace(in.Name), ContactName: in.ContactName,
		ContactPhone: in.ContactPhone, UnitAmount: in.Ratio.Unit, PointsPerUnit: in.Ratio.PerUnit,
		Rounding: string(in.Ratio.Rounding), CreatedAt: s.now()})
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return Merchant{}, ErrCodeTaken.At("input", "code")
	}
	if err != nil {
		return Merchant{}, fmt.Errorf("create alliance merchant: %w", err)
	}
	return toMerchant(r), nil
}

// UpdateMerchant changes a merchant's name, contact, ratio and whether it is active.
func (s *Service) UpdateMerchant(ctx context.Context, id uuid.UUID, in MerchantInput) (Merchant, error) {
	if _, _, err := s.merchant(ctx, s.db.Pool, id); err != nil {
		return Merchant{}, err
	}
	if err := validMerchant(in, false); err != nil {
		return Merchant{}, err
	}
	r, err := queries.New(s.db.Pool).UpdateMerchant(ctx, queries.UpdateMerchantParams{ID: id, Name: strings.TrimSpace(in.Name),
		ContactName: in.ContactName, ContactPhone: in.ContactPhone, UnitAmount: in.Ratio.Unit,
		PointsPerUnit: in.Ratio.PerUnit, Rounding: string(in.Ratio.Rounding), Active: in.Active})
	if err != nil {
		return Merchant{}, fmt.Errorf("update alliance merchant: %w", err)
	}
	return toMerchant(r), nil
}

// Merchant returns one merchant.
func (s *Service) Merchant(ctx context.Context, id uuid.UUID) (Merchant, error) {
	m, _, err := s.merchant(ctx, s.db.Pool, id)
	return m, err
}

// Merchants lists a mall's alliance merchants by code.
func (s *Service) Merchants(ctx context.Context, mallID uuid.UUID) ([]Merchant, error) {
	p, err := s.atMall(ctx, mallID)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).MerchantsOfMall(ctx, p.GroupID, p.MallID)
	if err != nil {
		return nil, fmt.Errorf("alliance merchants: %w", err)
	}
	out := make([]Merchant, len(rows))
	for i, r := range rows {
		out[i] = toMerchant(r)
	}
	return out, nil
}
