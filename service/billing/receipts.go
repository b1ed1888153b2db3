package billing

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/billing/receipt"
)

// ReceiptLinkTTL is how long a receipt's presigned link works.
const ReceiptLinkTTL = 15 * time.Minute

// receiptKey is where a payment's receipt PDF is stored.
func receiptKey(p Payment) string {
	return fmt.Sprintf("billing/receipts/%s/%s.pdf", p.GroupID, p.ID)
}

// ReceiptURL returns a presigned link to a payment's PDF receipt (receipt.Render),
// generating and storing it the first time (the object key is recorded once: a
// receipt is generated once; a later reversal does not change it). Finance of its mall
// or its tenant.
func (s *Service) ReceiptURL(ctx context.Context, paymentID uuid.UUID) (string, error) {
	p, err := s.Payment(ctx, paymentID)
	if err != nil {
		return "", err
	}
	key := receiptKey(p)
	if !p.hasReceipt {
		pdf, err := s.renderReceipt(ctx, p)
		if err != nil {
			return "", err
		}
		if err := s.objects.Put(ctx, key, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf"); err != nil {
			return "", fmt.Errorf("billing: store receipt: %w", err)
		}
		if _, err := queries.New(s.db.Pool).SetReceiptKey(ctx, key, p.ID); err != nil {
			return "", err
		}
	}
	return s.objects.PresignGet(ctx, key, ReceiptLinkTTL)
}

// renderReceipt renders a payment's receipt from its allocations, bills and places.
func (s *Service) renderReceipt(ctx context.Context, p Payment) ([]byte, error) {
	pl, err := s.org.MerchantPlace(ctx, nil, p.MerchantID)
	if err != nil {
		return nil, err
	}
	q := queries.New(s.db.Pool)
	allocs, err := q.AllocationsOfBatch(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var billIDs []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for _, a := range allocs {
		if !seen[a.BillID] {
			seen[a.BillID] = true
			billIDs = append(billIDs, a.BillID)
		}
	}
	lines, err := q.LinesOfBills(ctx, billIDs)
	if err != nil {
		return nil, err
	}
	due := map[uuid.UUID]time.Time{}
	for _, l := range lines {
		due[l.ID] = l.DueOn
	}
	period := map[uuid.UUID]string{}
	for _, id := range billIDs {
		b, err := q.BillByID(ctx, id)
		if err != nil {
			return nil, err
		}
		period[id] = b.Period
	}
	r := receipt.Receipt{No: p.ReceiptNo, Mall: pl.MallName, Tenant: pl.Name, Amount: p.Amount,
		Method: strings.ToUpper(string(p.Method)), Reference: p.Reference, ReceivedOn: p.ReceivedOn, Credit: p.Credit,
		Reversed: p.ReverseReason}
	for _, a := range allocs {
		r.Lines = append(r.Lines, receipt.Line{Period: period[a.BillID], Code: a.Code,
			Due: due[a.LineID].Format("2006-01-02"), Amount: a.Amount})
	}
	return receipt.Render(r)
}
