package billing

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Bill is one tenant's bill of one run, or a late-fee bill (Kind BillLateFee, no run:
// RunID is uuid.Nil, Period the accrual day).
type Bill struct {
	ID, GroupID, MallID, RunID, MerchantID uuid.UUID
	Kind                                   BillKind
	Period                                 string
	Status                                 BillStatus
	Net, VAT, Gross, Outstanding           decimal.Decimal
	DueOn                                  *time.Time
	PostingKey                             string
	CreatedAt                              time.Time
	ReviewedAt, IssuedAt, VoidedAt         *time.Time
	VoidReason                             string
}

// Line is one line of a bill.
type Line struct {
	ID, BillID, ContractID       uuid.UUID
	Source                       Source
	SourceKey                    string
	Code, Of                     string
	Period                       schedule.Period
	DueOn                        schedule.Date
	VATRate                      decimal.Decimal
	Net, VAT, Gross, Outstanding decimal.Decimal
	Basis                        string
}

// BillKind says how a bill came about.
type BillKind string

// The bill kinds.
const (
	BillOfRun    BillKind = "run"      // a bill run's bill of a tenant
	BillLateFees BillKind = "late_fee" // the late fees accrued for a tenant by one late-fee job run
)

func billOf(r queries.BillingBill) Bill {
	run := uuid.Nil
	if r.RunID != nil {
		run = *r.RunID
	}
	return Bill{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, RunID: run, MerchantID: r.MerchantID,
		Kind: BillKind(r.Kind), Period: r.Period, Status: BillStatus(r.Status), Net: r.Net, VAT: r.Vat, Gross: r.Gross,
		Outstanding: r.Outstanding, DueOn: r.DueOn, PostingKey: r.PostingKey, CreatedAt: r.CreatedAt,
		ReviewedAt: r.ReviewedAt, IssuedAt: r.IssuedAt, VoidedAt: r.VoidedAt, VoidReason: r.VoidReason}
}

func lineOf(r queries.BillingBillLine) Line {
	return Line{ID: r.ID, BillID: r.BillID, ContractID: r.ContractID, Source: Source(r.Source), SourceKey: r.SourceKey,
		Code: r.Code, Of: r.OfCode, Period: schedule.Period{Start: schedule.DateOf(r.PeriodStart), End: schedule.DateOf(r.PeriodEnd)},
		DueOn: schedule.DateOf(r.DueOn), VATRate: r.VatRate, Net: r.Net, VAT: r.Vat, Gross: r.Gross,
		Outstanding: r.Outstanding, Basis: r.Basis}
}

// ref places the bill at its tenant, under its mall.
func (b Bill) ref(mallRef auth.OrgRef) auth.OrgRef {
	mallRef.MerchantID = b.MerchantID
	return mallRef
}

func (s *Service) billRow(ctx context.Context, id uuid.UUID) (queries.BillingBill, error) {
	r, err := queries.New(s.db.Pool).BillByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return r, errs.ErrNotFound.Msgf("bill not found")
	}
	return r, err
}

// canRead checks the caller may read b: finance of its mall, or — once issued — its
// tenant's TENANT_ADMIN. Anything else is FORBIDDEN (a tenant's draft is NOT_FOUND to it).
func (s *Service) canRead(ctx context.Context, b Bill) error {
	v, err := access.Viewer(ctx)
	if err != nil {
		return err
	}
	p, err := s.org.MallPlace(ctx, nil, b.MallID)
	if err != nil {
		return err
	}
	if v.Can(p.Ref(), financeRoles...) {
		return nil
	}
	if err := access.At(ctx, b.ref(p.Ref()), tenantRoles...); err != nil {
		return err
	}
	if b.Status != BillIssued {
		return errs.ErrNotFound.Msgf("bill not found")
	}
	return nil
}

// Bill reads a bill: finance of its mall, or its tenant once issued.
func (s *Service) Bill(ctx context.Context, id uuid.UUID) (Bill, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Bill{}, err
	}
	r, err := s.billRow(ctx, id)
	if err != nil {
		return Bill{}, err
	}
	b := billOf(r)
	return b, s.canRead(ctx, b)
}

// Lines lists a readable bill's lines by due date and code.
func (s *Service) Lines(ctx context.Context, b Bill) ([]Line, error) {
	if err := s.canRead(ctx, b); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).LinesOfBill(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Line, len(rows))
	for i, r := range rows {
		out[i] = lineOf(r)
	}
	return out, nil
}

// BillFilter narrows a mall's bills.
type BillFilter struct {
	Status     BillStatus
	MerchantID uuid.UUID
	Period     string
	RunID      uuid.UUID
}

// Bills lists a page of a mall's bills, newest first: FINANCE or ADMIN of the mall.
func (s *Service) Bills(ctx context.Context, mallID uuid.UUID, f BillFilter, pr page.Request) (page.Result[Bill], error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return page.Result[Bill]{}, err
	}
	c := f.count(p)
	arg := queries.BillsOfMallParams{GroupID: p.GroupID, MallID: p.MallID, After: pr.After, Max: int32(pr.Limit()),
		Status: c.Status, MerchantID: c.MerchantID, Period: c.Period, RunID: c.RunID}
	// Reader: an export's pages come from the read replica when one is configured.
	rows, err := queries.New(s.db.Reader(ctx)).BillsOfMall(ctx, arg)
	return billPage(pr, rows, err)
}

// CountBills is how many bills Bills lists for f (an export's total); the same access.
func (s *Service) CountBills(ctx context.Context, mallID uuid.UUID, f BillFilter) (int64, error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return 0, err
	}
	return queries.New(s.db.Reader(ctx)).CountBillsOfMall(ctx, f.count(p))
}

func (f BillFilter) count(p org.Place) queries.CountBillsOfMallParams {
	arg := queries.CountBillsOfMallParams{GroupID: p.GroupID, MallID: p.MallID}
	if f.Status != "" {
		st := string(f.Status)
		arg.Status = &st
	}
	if f.MerchantID != uuid.Nil {
		arg.MerchantID = &f.MerchantID
	}
	if f.Period != "" {
		arg.Period = &f.Period
	}
	if f.RunID != uuid.Nil {
		arg.RunID = &f.RunID
	}
	return arg
}

func billPage(pr page.Request, rows []queries.BillingBill, err error) (page.Result[Bill], error) {
	if err != nil {
		return page.Result[Bill]{}, err
	}
	out := make([]Bill, len(rows))
	for i, r := range rows {
		out[i] = billOf(r)
	}
	return page.Cut(pr, out), nil
}

// MyBills lists the issued bills of the merchant the calling TENANT_ADMIN administers,
// newest first; FORBIDDEN for anyone else.
func (s *Service) MyBills(ctx context.Context, pr page.Request) (page.Result[Bill], error) {
	merchant, err := tenantMerchant(ctx)
	if err != nil {
		return page.Result[Bill]{}, err
	}
	rows, err := queries.New(s.db.Pool).IssuedBillsOfMerchant(ctx, queries.IssuedBillsOfMerchantParams{
		MerchantID: merchant, After: pr.After, Max: int32(pr.Limit())})
	return billPage(pr, rows, err)
}

// MyBill reads one issued bill of the calling tenant's merchant (NOT_FOUND for a draft,
// FORBIDDEN for another merchant's).
func (s *Service) MyBill(ctx context.Context, id uuid.UUID) (Bill, error) {
	merchant, err := tenantMerchant(ctx)
	if err != nil {
		return Bill{}, err
	}
	b, err := s.Bill(ctx, id)
	if err == nil && b.MerchantID != merchant {
		return Bill{}, errs.ErrForbidden
	}
	return b, err
}

// tenantMerchant is the merchant of the caller's TENANT_ADMIN grant; FORBIDDEN for others.
func tenantMerchant(ctx context.Context) (uuid.UUID, error) {
	v, err := access.Staff(ctx, tenantRoles...)
	if err != nil {
		return uuid.Nil, err
	}
	for _, g := range v.Grants {
		if g.Level == auth.LevelMerchant && g.Role == auth.RoleTenantAdmin {
			return g.ScopeID, nil
		}
	}
	return uuid.Nil, errs.ErrForbidden
}

// Review marks a draft bill reviewed (its run must be done): FINANCE or ADMIN of its mall.
func (s *Service) Review(ctx context.Context, id uuid.UUID) (Bill, error) {
	return s.move(ctx, id, BillReview, "")
}

// Void voids a draft bill with a reason: FINANCE or ADMIN of its mall. Its lines stay
// billed (the schedule lines frozen, the one-off charges billed): a correction is a
// one-off charge (or credit) on the next run.
func (s *Service) Void(ctx context.Context, id uuid.UUID, reason string) (Bill, error) {
	if reason == "" {
		return Bill{}, errs.Invalid("reason", "a void has a reason")
	}
	return s.move(ctx, id, BillVoidIt, reason)
}

// move changes a bill's status by event, guarded by its status.
func (s *Service) move(ctx context.Context, id uuid.UUID, ev BillEvent, reason string) (Bill, error) {
	r, err := s.billRow(ctx, id)
	if err != nil {
		return Bill{}, err
	}
	if _, err := s.mallAt(ctx, r.MallID); err != nil {
		return Bill{}, err
	}
	to, err := billStates.Next(ev, BillStatus(r.Status))
	if err != nil {
		return Bill{}, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if r.RunID == nil {
			return ErrBillStatus
		}
		run, err := q.RunByID(ctx, *r.RunID)
		if err != nil {
			return err
		}
		if RunStatus(run.Status) != RunDone {
			return ErrRunNotDone
		}
		n, err := q.MoveBill(ctx, queries.MoveBillParams{ID: id, ToStatus: string(to), By: viewerID(ctx), At: s.now(),
			Reason: reason, FromStatuses: billStates.From(ev)})
		if err == nil && n == 0 {
			return ErrBillStatus.Msgf("the bill changed meanwhile")
		}
		return err
	})
	if err != nil {
		return Bill{}, err
	}
	r, err = s.billRow(ctx, id)
	return billOf(r), err
}
