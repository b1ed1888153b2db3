package billing

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/payments"
	"github.com/atrium-mall/atrium/service/sales"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the billing context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service     // malls and merchants: scope, time zone
	Leasing *leasing.Service // contracts, their open lines, freezing
	Sales   *sales.Service   // the percentage-rent base, closed once billed
	Ledger  *ledger.Service  // receivables, revenue, VAT, deposits
	Energy  EnergySource     // energy charges of a period (Metered: meters × tariffs)
	// Payments creates and prepays the WeChat Pay orders of bills (PayBill).
	Payments *payments.Service
	Objects  storage.Objects // receipt PDFs
	Fapiao   FapiaoProvider  // issues fapiao (FakeFapiao in tests and development)
	Now      func() time.Time
}

// Service is the billing context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	leasing *leasing.Service
	sales   *sales.Service
	ledger  *ledger.Service
	energy  EnergySource
	now     func() time.Time

	payments *payments.Service
	objects  storage.Objects
	fapiao   FapiaoProvider
	jobs     JobInserter // set by SetJobs once the job client exists

	batchSize  int
	afterBatch func(batch int) error // tests: fail a run after a batch
}

// DefaultBatch is how many contracts a run bills per transaction.
const DefaultBatch = 200

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("billing", d)
	return &Service{db: d.DB, org: d.Org, leasing: d.Leasing, sales: d.Sales, ledger: d.Ledger, energy: d.Energy,
		now: d.Now, batchSize: DefaultBatch, payments: d.Payments, objects: d.Objects, fapiao: d.Fapiao}
}

// JobInserter enqueues a background job in a transaction (the River client).
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// SetJobs gives the service the job queue. It is not a Deps field because the River
// client is built after the services (its workers call them); app wires it right after,
// and StartRun fails while it is unset.
func (s *Service) SetJobs(j JobInserter) { s.jobs = j }

// Sentinel errors of the billing context.
var (
	ErrBillStatus  = errs.New(errs.KindUser, "BILL_STATUS", "the bill is not in a status that allows this")
	ErrRunStatus   = errs.New(errs.KindInternal, "BILL_RUN_STATUS", "illegal bill run transition")
	ErrRunNotDone  = errs.New(errs.KindUser, "BILL_RUN_NOT_DONE", "the bill run has not finished")
	ErrBadPeriod   = errs.New(errs.KindUser, "INVALID_PERIOD", "a period is a calendar month, YYYY-MM")
	ErrNoContract  = errs.New(errs.KindUser, "CONTRACT_NOT_BILLABLE", "the contract is not one of the mall's approved contracts")
	ErrZeroAmount  = errs.New(errs.KindUser, "INVALID_AMOUNT", "the amount is a non-zero number of yuan with at most two decimals")
	ErrDescription = errs.New(errs.KindUser, "INVALID_DESCRIPTION", "a description has 1 to 500 characters")
)

var (
	// financeRoles run bills, review, issue and void them, and enter charges.
	financeRoles = []auth.Role{auth.RoleFinance, auth.RoleAdmin}
	// tenantRoles read their merchant's issued bills.
	tenantRoles = []auth.Role{auth.RoleTenantAdmin}
)

// mallAt reads a mall and checks the caller is finance of it (an unknown mall is
// FORBIDDEN, so ids are not probed).
func (s *Service) mallAt(ctx context.Context, mallID uuid.UUID) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), financeRoles...)
}

// viewerID is the calling staff member's id (uuid.Nil for a job).
func viewerID(ctx context.Context) uuid.UUID {
	if v := auth.ViewerFrom(ctx); v != nil {
		return v.ID
	}
	return uuid.Nil
}
