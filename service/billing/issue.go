package billing

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/notify"
)

// PostingKey is the key of a bill's issue posting: one per bill, so issuing again
// posts nothing.
func PostingKey(billID uuid.UUID) string { return postingPrefix + billID.String() }

// postingPrefix starts the key of every bill issue posting.
const postingPrefix = "billing.issue:"

// issueBatch is how many bills one issuing transaction posts.
const issueBatch = 200

// Posting is the ledger posting of issuing a bill: Dr the tenant's receivable the
// gross; Cr each charge code's revenue of the mall its net (an ADJUSTMENT under the
// code it corrects), Cr the mall's VAT payable the VAT, and a deposit's net to the
// deposit the mall holds for the tenant instead of revenue. ok is false when the bill
// moves nothing (every account nets to zero): it is issued without a posting.
func Posting(b Bill, lines []Line) (ledger.Posting, bool) {
	legs := []ledger.Leg{{Account: ledger.TenantReceivable(b.MerchantID), Amount: b.Gross}}
	vat := decimal.Zero
	for _, l := range lines {
		code := l.Code
		if code == string(schedule.CodeAdjustment) && l.Of != "" {
			code = l.Of
		}
		acct := ledger.Revenue(b.MallID, code)
		if code == string(schedule.CodeDeposit) {
			acct = ledger.DepositHeld(b.MerchantID)
		}
		legs = append(legs, ledger.Leg{Account: acct, Amount: l.Net.Neg()})
		vat = vat.Add(l.VAT)
	}
	legs = append(legs, ledger.Leg{Account: ledger.VATPayable(b.MallID), Amount: vat.Neg()})
	legs = merged(legs)
	p := ledger.Posting{GroupID: b.GroupID, Kind: ledger.PostingBillIssue, Key: PostingKey(b.ID),
		Memo: "bill " + b.Period, Legs: legs}
	return p, len(legs) >= 2
}

// merged sums legs per account and drops the zero ones.
func merged(legs []ledger.Leg) []ledger.Leg {
	at := map[ledger.Account]int{}
	var out []ledger.Leg
	for _, l := range legs {
		if i, ok := at[l.Account]; ok {
			out[i].Amount = out[i].Amount.Add(l.Amount)
			continue
		}
		at[l.Account] = len(out)
		out = append(out, l)
	}
	kept := out[:0]
	for _, l := range out {
		if !l.Amount.IsZero() {
			kept = append(kept, l)
		}
	}
	return kept
}

// Issue issues a reviewed bill: its status and its ledger posting in one transaction.
// FINANCE or ADMIN of its mall.
func (s *Service) Issue(ctx context.Context, id uuid.UUID) (Bill, error) {
	r, err := s.billRow(ctx, id)
	if err != nil {
		return Bill{}, err
	}
	if _, err := s.mallAt(ctx, r.MallID); err != nil {
		return Bill{}, err
	}
	if _, err := billStates.Next(BillIssue, BillStatus(r.Status)); err != nil {
		return Bill{}, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		n, err := s.issueTx(ctx, tx, r.GroupID, []uuid.UUID{id})
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

// IssueRun issues every reviewed bill of a run, 200 bills per transaction (their
// postings in one round trip each), and returns how many it issued. FINANCE or ADMIN
// of the run's mall. Bills issued meanwhile are left alone.
func (s *Service) IssueRun(ctx context.Context, runID uuid.UUID) (int, error) {
	run, err := s.Run(ctx, runID)
	if err != nil {
		return 0, err
	}
	issued, after := 0, uuid.Nil
	for {
		rows, err := queries.New(s.db.Pool).ReviewedBillsOfRun(ctx, queries.ReviewedBillsOfRunParams{RunID: &run.ID,
			After: after, Max: issueBatch})
		if err != nil || len(rows) == 0 {
			return issued, err
		}
		ids := make([]uuid.UUID, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		after = ids[len(ids)-1]
		err = s.db.InTx(ctx, func(tx pgx.Tx) error {
			n, err := s.issueTx(ctx, tx, run.GroupID, ids)
			issued += n
			return err
		})
		if err != nil {
			return issued, err
		}
	}
}

// issueTx issues those of the bills that are reviewed, locked in id order: their
// postings in one PostManyTx, then their status. It returns how many it issued.
func (s *Service) issueTx(ctx context.Context, tx pgx.Tx, group uuid.UUID, ids []uuid.UUID) (int, error) {
	q := queries.New(tx)
	rows, err := q.LockReviewedBills(ctx, ids)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	locked := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		locked[i] = r.ID
	}
	lineRows, err := q.LinesOfBills(ctx, locked)
	if err != nil {
		return 0, err
	}
	lines := map[uuid.UUID][]Line{}
	for _, l := range lineRows {
		lines[l.BillID] = append(lines[l.BillID], lineOf(l))
	}
	var postings []ledger.Posting
	keys := make([]string, len(rows))
	for i, r := range rows {
		if p, ok := Posting(billOf(r), lines[r.ID]); ok {
			postings, keys[i] = append(postings, p), p.Key
		}
	}
	if _, err := s.ledger.PostManyTx(ctx, tx, group, postings); err != nil {
		return 0, err
	}
	issued, err := q.IssueBills(ctx, queries.IssueBillsParams{Ids: locked, PostingKeys: keys, By: viewerID(ctx),
		At: s.now()})
	if err != nil {
		return 0, err
	}
	if err := notifyIssuedTx(ctx, tx, rows, issued); err != nil {
		return 0, err
	}
	// The merchants' tenant credit pays what they now owe (allocation.go).
	merchants := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		merchants[i] = r.MerchantID
	}
	return len(issued), s.applyCreditOnIssueTx(ctx, tx, group, merchants)
}

// notifyIssuedTx tells each tenant of a bill issued now (bill_issued, a money message:
// it cannot be turned off), in the issuing transaction.
func notifyIssuedTx(ctx context.Context, tx pgx.Tx, rows []queries.BillingBill, issued []uuid.UUID) error {
	for _, r := range rows {
		if !slices.Contains(issued, r.ID) {
			continue
		}
		b := billOf(r)
		p := map[string]string{"period": b.Period, "amount": b.Gross.StringFixed(2)}
		if b.DueOn != nil {
			p["due"] = b.DueOn.Format(time.DateOnly)
		}
		if _, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: b.GroupID, MallID: b.MallID, Kind: notify.BillIssued,
			RecipientKind: notify.ToTenant, RecipientID: b.MerchantID, Payload: p,
			DedupeKey: "bill.issued:" + b.ID.String()}); err != nil {
			return err
		}
	}
	return nil
}
