// Package sales is tenant sales (营业额): what each tenant of a mall declares it sold,
// per day or per month, beside what Atrium verified itself (purchases recorded with
// recordPurchase at the merchant, net of refunds, read from loyalty), which together
// are the base of percentage rent (扣点).
//
// Design notes:
//   - One row per merchant, period kind and start day (tenant_sales). A DAY row is a
//     day's sales; a MONTH row (dated the 1st) is a whole month's declaration, for
//     tenants that report monthly. A month's declared sales are its MONTH row when there
//     is one, else the sum of its DAY rows: the month declaration wins, the days stay
//     visible beside it (Base says which it used). Reporting again replaces the row (an
//     upsert on the unique key), so a day is never counted twice, whether it came from
//     the app, staff or an import.
//   - Closed periods: billing closes a merchant's sales through a day (CloseThrough,
//     the hook the rent run calls); a report or an imported row on or before it is
//     refused with SALES_PERIOD_CLOSED. A closing never moves back.
//   - Who: the merchant's own people (tenant admin, merchant staff) for their merchant
//     (source APP); leasing, finance and admin staff of the mall for all its merchants
//     (source STAFF; imports are IMPORT). Another merchant or mall is FORBIDDEN, an
//     unknown one NOT_FOUND.
//   - Imports (CSV or .xlsx) are read within fixed limits (size, rows, cells, unzipped
//     bytes), so a hostile file is refused in bounded time and memory; rows are parsed by
//     pure functions (ParseTable) that report each bad row with its number and keep the
//     good ones, which are then written in one statement.
//   - Alerts (Alerts, run per mall and day by a job): merchants that have not reported
//     the previous month by the mall's due day, and months whose declared and verified
//     sales differ beyond the mall's threshold, become notices for leasing staff, once
//     each (a dedupe key per merchant and month).
package sales

import (
	"context"
	"github.com/atrium-mall/atrium/service/tabular"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the sales context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service     // merchants and malls: scope, time zone, codes
	Loyalty *loyalty.Service // verified sales (purchases and refunds)
	Notices *notices.Service // alerts for leasing staff
	Leases  Leases           // who holds a lease: the merchants due to report (leasing)
	Objects storage.Objects  // large import files, uploaded to a presigned URL
	Now     func() time.Time
}

// Service is the sales context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	loyalty *loyalty.Service
	notices *notices.Service
	leases  Leases
	objects storage.Objects
	now     func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("sales", d)
	return &Service{db: d.DB, org: d.Org, loyalty: d.Loyalty, notices: d.Notices, leases: d.Leases, objects: d.Objects,
		now: d.Now}
}

// Period is what a report covers.
type Period string

// The periods.
const (
	PeriodDay   Period = "day"
	PeriodMonth Period = "month"
)

// Source is where a report came from.
type Source string

// The sources.
const (
	SourceApp    Source = "app"    // the tenant, in the tenant app
	SourceImport Source = "import" // a CSV or .xlsx upload
	SourceStaff  Source = "staff"  // mall staff, for the tenant
)

// Sale is one report: a day's sales, or a month's declaration (Day is the 1st).
type Sale struct {
	ID         uuid.UUID
	MallID     uuid.UUID
	MerchantID uuid.UUID
	Period     Period
	Day        time.Time // the calendar day, midnight UTC
	Amount     decimal.Decimal
	Source     Source
	ReportedBy uuid.UUID
	ReportedAt time.Time
}

// Errors with stable codes.
var (
	ErrPeriodClosed  = errs.New(errs.KindUser, "SALES_PERIOD_CLOSED", "the period is closed for rent")
	ErrFutureDay     = errs.New(errs.KindUser, "SALES_FUTURE_DAY", "sales cannot be reported for a day to come")
	ErrInvalidAmount = errs.New(errs.KindUser, "INVALID_AMOUNT", "the amount must be a number ≥ 0 with at most two decimals")
	ErrImportFormat  = tabular.ErrFormat
)

var (
	// tenantRoles are a merchant's own people.
	tenantRoles = []auth.Role{auth.RoleTenantAdmin, auth.RoleMerchantStaff}
	// mallRoles see and report for every merchant of their mall.
	mallRoles = []auth.Role{auth.RoleLeasing, auth.RoleFinance, auth.RoleAdmin}
	// closeRoles close a merchant's sales for rent.
	closeRoles = []auth.Role{auth.RoleFinance, auth.RoleAdmin}
)

// atMerchant reads a merchant and checks the caller is its tenant or staff of its
// mall; it returns the source a report by the caller has.
func (s *Service) atMerchant(ctx context.Context, merchantID uuid.UUID) (org.Place, Source, error) {
	if _, err := access.Staff(ctx); err != nil {
		return org.Place{}, "", err
	}
	p, err := s.org.MerchantPlace(ctx, nil, merchantID)
	if err != nil {
		return p, "", err
	}
	if access.At(ctx, p.Ref(), tenantRoles...) == nil {
		return p, SourceApp, nil
	}
	return p, SourceStaff, access.At(ctx, p.Ref(), mallRoles...)
}

// atMall reads a mall and checks the caller is staff of it with one of roles.
func (s *Service) atMall(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Staff(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, err
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// viewerID is the calling staff member's id.
func viewerID(ctx context.Context) uuid.UUID {
	if v := auth.ViewerFrom(ctx); v != nil {
		return v.ID
	}
	return uuid.Nil
}
