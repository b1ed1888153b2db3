// Package reports is the reports context (报表, issue 16): monthly member and
// member-card statistics, consumption, points liability and the operational reports of other
// contexts, each scoped by role and mall.
//
// Every report is a plain Go function returning typed rows (a report struct with its
// own row type) and, through Table, the same rows as columns + cells, which GraphQL
// serves and exports write to Excel. Reports never scan the ledger or the purchases
// per request: the member, card, consumption and points reports read rollup tables
// this context owns (report_member_months, report_card_months, report_consumption_months,
// report_points_months), kept up to date by RollUp, an incremental job that reads each
// source's rows after a watermark ((created_at, id) or the like, or the ledger entries'
// identity) and upserts the
// rollups in the transaction that advances the watermark, so a rerun adds nothing
// twice. A report's cost is the rollup rows of its range (plus, for running totals,
// one row per month of history), not the ledger's rows. Each such report carries AsOf,
// the time up to which its sources are rolled up.
//
// Rows are rolled up once they are settled: created more than Settle before the run,
// so a transaction still open when a batch is read (its rows dated earlier than rows
// already committed) is not skipped. A transaction open longer than Settle could be.
//
// Where an owner already keeps a cheap summary, the report calls the owner's service
// (billing's ageing of arrears, patrol's compliance, leasing's vacancy, the brands
// pipeline's funnel, coupons' template counts). Billing and leasing apply their own
// role check as well; patrol, brands and coupons export a read without one
// (MallCompliance, MallFunnel, MallPerformance) so this context's roles decide.
package reports

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service
	Billing *billing.Service // arrears ageing
	Patrol  *patrol.Service  // patrol compliance
	Leasing *leasing.Service // occupancy
	Brands  *brands.Service  // leasing pipeline funnel
	Coupons *coupons.Service // coupon performance
	// Bookings, WorkOrders and Meters serve booking utilisation, SLA compliance and
	// energy use (their aggregated reads of a period).
	Bookings   *bookings.Service
	WorkOrders *workorders.Service
	Meters     *meters.Service
	Zone       *time.Location // the deployment's default business time zone (group-wide rollups)
	Now        func() time.Time
}

// Service is the reports context.
type Service struct {
	db         *storage.DB
	org        *org.Service
	billing    *billing.Service
	patrol     *patrol.Service
	leasing    *leasing.Service
	brands     *brands.Service
	coupons    *coupons.Service
	bookings   *bookings.Service
	workorders *workorders.Service
	meters     *meters.Service
	zone       *time.Location
	now        func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("reports", d)
	return &Service{db: d.DB, org: d.Org, billing: d.Billing, patrol: d.Patrol, leasing: d.Leasing, brands: d.Brands,
		coupons: d.Coupons, bookings: d.Bookings, workorders: d.WorkOrders, meters: d.Meters, zone: d.Zone, now: d.Now}
}

// Who reads which report (besides ADMIN and FINANCE, who read all).
var (
	memberRoles   = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleMemberOps}
	leasingRoles  = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleLeasing}
	propertyRoles = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleMaintenance, auth.RoleSupervisor}
	financeRoles  = []auth.Role{auth.RoleAdmin, auth.RoleFinance}
)

// maxMonths bounds a report's range.
const maxMonths = 36

// Month is a calendar month ("2026-11" on the wire).
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	y, m, ok := strings.Cut(s, "-")
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(m) != 2 || mi < 1 || mi > 12 || yi < 2000 {
		return Month{}, errs.Invalid("month", "a month is YYYY-MM")
	}
	return Month{Year: yi, Month: time.Month(mi)}, nil
}

// MonthOf is the month of t's calendar date.
func MonthOf(t time.Time) Month { return Month{Year: t.Year(), Month: t.Month()} }

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// First is the month's first day (a date at UTC midnight, as PostgreSQL dates are read).
func (m Month) First() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

// Next is the following month.
func (m Month) Next() Month { return MonthOf(m.First().AddDate(0, 1, 0)) }

// Start is the instant the month starts in loc.
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, loc)
}

func (m Month) index() int { return m.Year*12 + int(m.Month) - 1 }

// Range is the months from From to To, both included.
type Range struct {
	From, To Month
}

// check refuses an empty or reversed range or one longer than maxMonths.
func (r Range) check() error {
	n := r.To.index() - r.From.index() + 1
	if r.From.Year == 0 || r.To.Year == 0 || n < 1 || n > maxMonths {
		return errs.Invalid("to", "a range of 1 to %d months, from ≤ to", maxMonths)
	}
	return nil
}

// Months lists the range's months in order.
func (r Range) Months() []Month {
	var out []Month
	for m := r.From; m.index() <= r.To.index(); m = m.Next() {
		out = append(out, m)
	}
	return out
}

// mallFor reads a mall and checks the caller holds one of roles over it (an unknown
// mall is FORBIDDEN, like another mall's).
func (s *Service) mallFor(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Staff(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// replica marks ctx so the report's reads go to the read replica when one is
// configured (ATRIUM_DATABASE_READ_URL; its own reads and its owners' db.Reader reads),
// and says where they go and the replica's lag, for the report's metadata. Access
// checks (mallFor) read the primary before it.
func (s *Service) replica(ctx context.Context) (context.Context, storage.ReadSource, error) {
	src, err := s.db.ReadLag(ctx)
	return storage.PreferReplica(ctx), src, err
}
