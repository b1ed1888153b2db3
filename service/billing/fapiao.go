package billing

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/billing/uscc"
	"github.com/atrium-mall/atrium/service/errs"
)

// Errors of fapiao requests.
var (
	ErrFapiaoTitle = errs.New(errs.KindUser, "INVALID_FAPIAO_TITLE", "the fapiao title has 1 to 200 characters")
	ErrEmail       = errs.New(errs.KindUser, "INVALID_EMAIL", "the email address is not valid")
	ErrFapiaoTwice = errs.New(errs.KindUser, "FAPIAO_REQUESTED", "a fapiao was requested for this bill already")
)

// FapiaoStatus is where a fapiao request stands: REQUESTED → ISSUED | FAILED.
type FapiaoStatus string

// The fapiao request statuses.
const (
	FapiaoRequested FapiaoStatus = "requested"
	FapiaoIssued    FapiaoStatus = "issued"
	FapiaoFailed    FapiaoStatus = "failed"
)

// FapiaoRequest is a request for a bill's fapiao (发票).
type FapiaoRequest struct {
	ID, BillID, MerchantID, MallID uuid.UUID
	Title, TaxNumber, Email        string
	Status                         FapiaoStatus
	InvoiceNo, Error               string
	CreatedAt                      time.Time
	FinishedAt                     *time.Time
}

// FapiaoOrder is what the provider is asked to issue: one bill's amounts to a buyer.
type FapiaoOrder struct {
	RequestID               uuid.UUID
	BillID                  uuid.UUID
	Title, TaxNumber, Email string
	Bill                    Bill
}

// FapiaoProvider issues fapiao (a tax-control service: 百望, 航信, a province's
// e-invoicing platform). Issue is called once per request after it is recorded; it
// returns the invoice number, or an error (the request FAILS with it).
type FapiaoProvider interface {
	Issue(ctx context.Context, o FapiaoOrder) (invoiceNo string, err error)
}

// FakeFapiao is the provider of tests and development: it records each order and issues
// at once, numbering invoices 00000001, 00000002, … (Fail, when set, fails them).
type FakeFapiao struct {
	mu     sync.Mutex
	Orders []FapiaoOrder
	Fail   error
}

// Issue records the order and returns the next number.
func (f *FakeFapiao) Issue(_ context.Context, o FapiaoOrder) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Fail != nil {
		return "", f.Fail
	}
	f.Orders = append(f.Orders, o)
	return fmt.Sprintf("%08d", len(f.Orders)), nil
}

// FapiaoInput is a fapiao request for an issued bill.
type FapiaoInput struct {
	BillID                  uuid.UUID
	Title, TaxNumber, Email string
}

// RequestFapiao records the one fapiao request of an issued bill (the tax number a
// valid unified social credit code) and asks the provider at once, synchronously: the
// request is ISSUED with the provider's invoice number or FAILED with its error. The
// bill's tenant (TENANT_ADMIN) or finance of its mall. A second request for the bill is
// FAPIAO_REQUESTED.
func (s *Service) RequestFapiao(ctx context.Context, in FapiaoInput) (FapiaoRequest, error) {
	b, err := s.Bill(ctx, in.BillID)
	if err != nil {
		return FapiaoRequest{}, err
	}
	in.Title, in.TaxNumber, in.Email = strings.TrimSpace(in.Title), uscc.Normalize(in.TaxNumber), strings.TrimSpace(in.Email)
	switch {
	case b.Status != BillIssued:
		return FapiaoRequest{}, ErrBillStatus.At("billId")
	case in.Title == "" || len([]rune(in.Title)) > 200:
		return FapiaoRequest{}, ErrFapiaoTitle.At("title")
	}
	if err := uscc.Validate(in.TaxNumber); err != nil {
		return FapiaoRequest{}, err.(*errs.Error).At("taxNumber")
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		return FapiaoRequest{}, ErrEmail.At("email")
	}
	q := queries.New(s.db.Pool)
	id := service.NewID()
	n, err := q.InsertFapiaoRequest(ctx, queries.InsertFapiaoRequestParams{GroupID: b.GroupID, MallID: b.MallID, ID: id,
		BillID: b.ID, MerchantID: b.MerchantID, Title: in.Title, TaxNumber: in.TaxNumber, Email: in.Email,
		RequestedBy: viewerID(ctx), CreatedAt: s.now()})
	if err != nil {
		return FapiaoRequest{}, err
	}
	if n == 0 {
		return FapiaoRequest{}, ErrFapiaoTwice.At("billId")
	}
	no, issueErr := s.fapiao.Issue(ctx, FapiaoOrder{RequestID: id, BillID: b.ID, Title: in.Title, TaxNumber: in.TaxNumber,
		Email: in.Email, Bill: b})
	fin := queries.FinishFapiaoParams{ID: id, Status: string(FapiaoIssued), InvoiceNo: no}
	if issueErr != nil {
		fin.Status, fin.InvoiceNo, fin.Error = string(FapiaoFailed), "", issueErr.Error()
	}
	now := s.now()
	fin.At = &now
	if _, err := q.FinishFapiao(ctx, fin); err != nil {
		return FapiaoRequest{}, err
	}
	return s.fapiaoOf(ctx, b.ID)
}

// Fapiao reads a bill's fapiao request (NOT_FOUND when none): as the bill.
func (s *Service) Fapiao(ctx context.Context, billID uuid.UUID) (FapiaoRequest, error) {
	if _, err := s.Bill(ctx, billID); err != nil {
		return FapiaoRequest{}, err
	}
	return s.fapiaoOf(ctx, billID)
}

func (s *Service) fapiaoOf(ctx context.Context, billID uuid.UUID) (FapiaoRequest, error) {
	r, err := queries.New(s.db.Pool).FapiaoOfBill(ctx, billID)
	if isNotFound(err) {
		return FapiaoRequest{}, errs.ErrNotFound.Msgf("no fapiao was requested for this bill")
	}
	return FapiaoRequest{ID: r.ID, BillID: r.BillID, MerchantID: r.MerchantID, MallID: r.MallID, Title: r.Title,
		TaxNumber: r.TaxNumber, Email: r.Email, Status: FapiaoStatus(r.Status), InvoiceNo: r.InvoiceNo, Error: r.Error,
		CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt}, err
}
