// Package assets is the fixed-asset register (资产管理): the mall's property and
// equipment through their whole life — acquisition, depreciation in the ledger,
// transfers, disposal — with stocktakes (盘点) that find what is missing or surplus
// (盘亏/盘盈), and preventive maintenance plans that open work orders.
//
// Money is int64 fen here and in the tables; the ledger takes yuan (decimal, two
// places). The ledger accounts (derived, CNY, owner = the mall, debit-positive):
//
//	fixed_asset_cost          cost of the mall's assets in service
//	accumulated_depreciation  what they have depreciated (a credit)
//	depreciation_expense      the months' depreciation
//	asset_disposal_gain_loss  book value against proceeds at disposal (loss debit, gain credit)
//	asset_payable             the counter-account of an acquisition (owed to the supplier)
//	asset_opening_equity      the counter-account of opening assets (imported mid-life)
//	asset_sale_receivable     proceeds of a sale
//
// Depreciation (see package depreciation, the one rule): a job posts each asset's
// closed months once, in order, each month's amount being the depreciation through the
// month's end less what was posted before; a line is written with its posting (key
// asset-dep:<asset>:<YYYY-MM>) and never changed, so a late correction (units used
// recorded after the month was posted) flows into the next month, never into a posted
// one. Disposal depreciates to the disposal date (never a posted month: a disposal
// dated inside a posted month is refused) and posts the gain or loss. Verify checks the
// ledger against the register.
//
// Authorization: ADMIN, FINANCE and MAINTENANCE of the asset's mall read the register;
// ADMIN and FINANCE change it and see values; MAINTENANCE also transfers, counts and
// plans maintenance. Approving a stocktake's adjustments takes ADMIN or FINANCE and a
// second person (not who submitted the count).
package assets

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/assets/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service     // malls, staff (custodians)
	Ledger  *ledger.Service  // acquisition, depreciation and disposal postings
	Leasing *leasing.Service // units (an asset's location)
	Objects storage.Objects  // invoice attachments
	Now     func() time.Time
}

// Service is the assets context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	ledger  *ledger.Service
	leasing *leasing.Service
	objects storage.Objects
	now     func() time.Time
	hook    MaintenanceHook
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("assets", d)
	return &Service{db: d.DB, org: d.Org, ledger: d.Ledger, leasing: d.Leasing, objects: d.Objects, now: d.Now}
}

// Who may do what (see the package notes).
var (
	readRoles     = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleMaintenance}
	manageRoles   = []auth.Role{auth.RoleAdmin, auth.RoleFinance}
	fieldRoles    = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleMaintenance}
	approveRoles  = []auth.Role{auth.RoleAdmin, auth.RoleFinance}
	planRoles     = []auth.Role{auth.RoleAdmin, auth.RoleMaintenance}
	custodianRole = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk, auth.RoleLeasing,
		auth.RoleFinance, auth.RoleMaintenance, auth.RoleSecurity, auth.RoleSupervisor}
)

// Sentinel errors.
var (
	ErrTagTaken        = errs.New(errs.KindUser, "ASSET_TAG_TAKEN", "another asset of the group has this tag")
	ErrDisposed        = errs.New(errs.KindUser, "ASSET_DISPOSED", "the asset is disposed of")
	ErrDisposalPosted  = errs.New(errs.KindUser, "ASSET_DISPOSAL_IN_POSTED_PERIOD", "the disposal date falls in a month whose depreciation is posted")
	ErrLocation        = errs.New(errs.KindUser, "ASSET_LOCATION_UNKNOWN", "no such unit in the mall")
	ErrCustodian       = errs.New(errs.KindUser, "ASSET_CUSTODIAN_UNKNOWN", "the custodian is not active staff of the mall")
	ErrCategory        = errs.New(errs.KindUser, "ASSET_CATEGORY_UNKNOWN", "no such asset category in the mall")
	ErrInvoice         = errs.New(errs.KindUser, "ASSET_INVOICE_NOT_UPLOADED", "no invoice was uploaded under this key")
	ErrStocktake       = errs.New(errs.KindUser, "STOCKTAKE_TRANSITION", "the stocktake cannot do that now")
	ErrSelfApproval    = errs.New(errs.KindUser, "STOCKTAKE_SECOND_PERSON", "a second person approves a stocktake's adjustments")
	ErrUsageNotUnits   = errs.New(errs.KindUser, "ASSET_NOT_UNITS_OF_USE", "only a units-of-use asset records use")
	ErrPlanMeterNeeded = errs.New(errs.KindUser, "MAINTENANCE_METER_UNKNOWN", "no such meter in the mall")
)

// Location kinds.
const (
	AtUnit = "UNIT" // a leasing unit (location ref: its id)
	AtZone = "ZONE" // a named zone of the mall (plant room, car park B2…)
)

// Location is where an asset stands.
type Location struct {
	Kind string
	Ref  string
}

// Status of an asset.
const (
	Active   = "ACTIVE"
	Disposed = "DISPOSED"
)

// Asset is one entry of the register.
type Asset struct {
	ID, GroupID, MallID uuid.UUID
	Tag, Name           string
	CategoryID          uuid.UUID
	Location            Location
	CustodianID         *uuid.UUID
	Supplier            string
	InvoiceKey          string
	AcquiredOn          time.Time
	Rule                depreciation.Asset // cost, salvage, life, method, in service, opening figures
	Status              string
	DisposedOn          *time.Time
	DisposalKind        string
	Proceeds            int64
	CreatedBy           string
	CreatedAt           time.Time
}

func assetOf(r queries.Asset) Asset {
	a := Asset{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Tag: r.Tag, Name: r.Name, CategoryID: r.CategoryID,
		Location: Location{Kind: r.LocationKind, Ref: r.LocationRef}, CustodianID: r.CustodianID, Supplier: r.Supplier,
		InvoiceKey: r.InvoiceKey, AcquiredOn: r.AcquiredOn, Status: r.Status, DisposedOn: r.DisposedOn,
		Proceeds: r.Proceeds, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		Rule: depreciation.Asset{Cost: r.Cost, Salvage: r.Salvage, InService: r.InServiceOn, LifeMonths: int(r.LifeMonths),
			Method: depreciation.Method(r.Method), FactorPct: int(r.FactorPct), TotalUnits: r.TotalUnits,
			OpeningAccumulated: r.OpeningAccumulated, OpeningUnits: r.OpeningUnits}}
	if r.OpeningOn != nil {
		a.Rule.OpeningDate = *r.OpeningOn
	}
	if r.DisposalKind != nil {
		a.DisposalKind = *r.DisposalKind
	}
	return a
}

// TagPrefix starts the text of an asset's QR tag.
const TagPrefix = "atrium:asset:"

// TagText is what an asset tag's QR code holds.
func TagText(tag string) string { return TagPrefix + tag }

// tagOf reads a scanned tag: the QR text or the bare tag.
func tagOf(scan string) string { return strings.TrimPrefix(strings.TrimSpace(scan), TagPrefix) }

// mallFor reads a mall and checks the caller holds one of roles over it (an unknown
// mall is FORBIDDEN).
func (s *Service) mallFor(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// assetFor reads an asset the caller holds one of roles over (anyone else: NOT_FOUND).
func (s *Service) assetFor(ctx context.Context, id uuid.UUID, roles ...auth.Role) (Asset, org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Asset{}, org.Place{}, err
	}
	r, err := queries.New(s.db.Pool).AssetByID(ctx, id)
	if err != nil {
		return Asset{}, org.Place{}, notFound(err, "asset")
	}
	p, err := s.mallFor(ctx, r.MallID, roles...)
	if err != nil {
		return Asset{}, p, errs.ErrNotFound.Msgf("asset not found")
	}
	return assetOf(r), p, nil
}

// notFound maps a missing row to NOT_FOUND.
func notFound(err error, what string) error {
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return errs.ErrNotFound.Msgf("%s not found", what)
	}
	return err
}

// today is the mall's local day (as a UTC-midnight civil date).
func (s *Service) today(p org.Place) time.Time { return depreciation.Day(s.now().In(p.Loc)) }

// checkLocation validates a location in the mall: a unit of the mall, or a zone name.
func (s *Service) checkLocation(ctx context.Context, p org.Place, l Location, field string) (Location, error) {
	l.Ref = strings.TrimSpace(l.Ref)
	switch l.Kind {
	case AtUnit:
		id, err := uuid.Parse(l.Ref)
		if err != nil {
			return l, ErrLocation.At(field, "ref")
		}
		mall, _, err := s.leasing.UnitHolder(ctx, id, s.now())
		if err != nil || mall != p.MallID {
			return l, ErrLocation.At(field, "ref")
		}
		l.Ref = id.String()
	case AtZone:
		if l.Ref == "" || len([]rune(l.Ref)) > 100 {
			return l, errs.Invalid(field+".ref", "a zone of 1 to 100 characters")
		}
	default:
		return l, errs.Invalid(field+".kind", "a location is a UNIT or a ZONE")
	}
	return l, nil
}

// checkCustodian checks the custodian is active staff of the mall.
func (s *Service) checkCustodian(ctx context.Context, q storage.Querier, p org.Place, id *uuid.UUID, field string) error {
	if id == nil {
		return nil
	}
	staff, err := s.org.StaffWithRolesAt(ctx, q, p, custodianRole...)
	if err != nil {
		return err
	}
	if !slices.Contains(staff, *id) {
		return ErrCustodian.At(field)
	}
	return nil
}

// inTx runs fn in a transaction.
func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error { return s.db.InTx(ctx, fn) }
