package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/billing/latefee"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/org"
)

// SourceLateFee is a late-fee accrual's line (AccrueLateFees).
const SourceLateFee Source = "late_fee"

// lateFeeBatch is how many overdue (bill, contract) pairs one transaction accrues.
const lateFeeBatch = 500

// LateFeeArgs is the daily late-fee job of one mall and local day (workers/billing.go).
type LateFeeArgs struct {
	MallID uuid.UUID `json:"mall_id"`
	Day    string    `json:"day"` // the mall's local day, YYYY-MM-DD
}

// Kind names the job.
func (LateFeeArgs) Kind() string { return "billing_late_fees" }

// InsertOpts makes the job unique per mall and day.
func (LateFeeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// LateFeeRun is what one accrual run did.
type LateFeeRun struct {
	Today    schedule.Date
	Looked   int             // overdue (bill, contract) pairs looked at
	Accruals int             // accruals posted
	Bills    int             // late-fee bills issued
	Total    decimal.Decimal // their gross
}

// AccrueLateFees accrues the late fees of a mall's overdue bills as of the mall's today
// (the job; no access check). Each issued bill of a run due before today is looked at
// per contract on it (each contract has its own late-fee rule: the LateFee of the
// approved terms governing today, through leasing.ContractTermsTx), from its stored
// watermark with latefee.Accrue: the days after the watermark through yesterday, on
// what was unpaid at the end of each day (the bill's lines less their dated moves:
// deposit applications, waivers, payments). In batches of 500 pairs, one transaction
// each: the pairs' state rows are locked, each accrual becomes a LATE_FEE line (source
// late_fee, key "BILL|FROM|TO", referencing the original bill) on one late-fee bill per
// tenant, issued at once and posted (Dr tenant_receivable / Cr revenue.LATE_FEE and
// vat_payable, the bill's issue posting, VAT at the LATE_FEE rate), and the watermarks
// and accrued totals are updated in the same transaction. Running it again the same day
// finds no day left to accrue: it accrues once a day however often it runs.
func (s *Service) AccrueLateFees(ctx context.Context, mallID uuid.UUID) (LateFeeRun, error) {
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return LateFeeRun{}, err
	}
	out := LateFeeRun{Today: schedule.DateOf(s.now().In(p.Loc)), Total: decimal.Zero}
	if err := s.db.InTx(ctx, func(tx pgx.Tx) error { return remindDueTx(ctx, tx, p, out.Today) }); err != nil {
		return out, err
	}
	after := uuid.Nil
	for {
		rows, err := queries.New(s.db.Pool).OverduePairs(ctx, queries.OverduePairsParams{GroupID: p.GroupID,
			MallID: p.MallID, Today: out.Today.In(time.UTC), After: after, Max: lateFeeBatch})
		if err != nil || len(rows) == 0 {
			return out, err
		}
		more := len(rows) == lateFeeBatch
		if last := rows[len(rows)-1].BillID; more && rows[0].BillID != last {
			for len(rows) > 0 && rows[len(rows)-1].BillID == last { // the last bill whole in the next batch
				rows = rows[:len(rows)-1]
			}
		}
		after = rows[len(rows)-1].BillID
		if err := s.db.InTx(ctx, func(tx pgx.Tx) error { return s.accrueTx(ctx, tx, p, out.Today, rows, &out) }); err != nil {
			return out, err
		}
		if !more {
			return out, nil
		}
	}
}

// accrueTx accrues one batch of pairs.
func (s *Service) accrueTx(ctx context.Context, tx pgx.Tx, p org.Place, today schedule.Date,
	pairs []queries.OverduePairsRow, out *LateFeeRun) error {
	q := queries.New(tx)
	if err := notifyOverdueTx(ctx, tx, p, pairs); err != nil {
		return err
	}
	ensure := queries.EnsureLateFeeStateParams{GroupID: p.GroupID, MallID: p.MallID}
	var bills, contracts []uuid.UUID
	for _, r := range pairs {
		ensure.BillIds, ensure.ContractIds = append(ensure.BillIds, r.BillID), append(ensure.ContractIds, r.ContractID)
		ensure.MerchantIds = append(ensure.MerchantIds, r.MerchantID)
		bills, contracts = append(bills, r.BillID), append(contracts, r.ContractID)
	}
	if err := q.EnsureLateFeeState(ctx, ensure); err != nil {
		return err
	}
	states, err := q.LockLateFeeState(ctx, bills)
	if err != nil {
		return err
	}
	type pairKey struct{ bill, contract uuid.UUID }
	state := map[pairKey]queries.BillingLateFeeState{}
	for _, st := range states {
		state[pairKey{st.BillID, st.ContractID}] = st
	}
	moveRows, err := q.MovesOfBills(ctx, bills)
	if err != nil {
		return err
	}
	moves := map[pairKey][]queries.MovesOfBillsRow{}
	for _, m := range moveRows {
		k := pairKey{m.BillID, m.ContractID}
		moves[k] = append(moves[k], m)
	}
	terms, err := s.leasing.ContractTermsTx(ctx, tx, p.GroupID, contracts, today)
	if err != nil {
		return err
	}
	var charges []Charge
	set := queries.SetLateFeeStateParams{}
	for _, r := range pairs {
		out.Looked++
		k := pairKey{r.BillID, r.ContractID}
		st, ok := state[k]
		ct, hasTerms := terms[r.ContractID]
		if !ok || !hasTerms {
			continue
		}
		in := latefee.Input{Due: schedule.DateOf(r.DueOn), Rule: ct.Terms.LateFee, Accrued: st.Accrued, Today: today,
			Principal: principal(schedule.DateOf(r.DueOn), r.Gross, moves[k])}
		if st.Watermark != nil {
			in.Watermark = schedule.DateOf(*st.Watermark)
		}
		res, err := latefee.Accrue(in)
		if err != nil {
			return fmt.Errorf("billing: late fee of bill %s: %w", r.BillID, err)
		}
		if res.Watermark.Equal(in.Watermark) {
			continue
		}
		amount := decimal.Zero
		if a := res.Accrual; a != nil {
			amount = a.Amount
			charges = append(charges, Charge{ContractID: r.ContractID, MerchantID: r.MerchantID, Source: SourceLateFee,
				SourceKey: fmt.Sprintf("%s|%s|%s", r.BillID, a.Period.Start, a.Period.End), Code: CodeLateFee,
				Period: a.Period, Due: today, Gross: a.Amount,
				Basis: fmt.Sprintf("late fee on bill %s due %s: %s", r.BillID, in.Due, a.Basis)})
		}
		set.BillIds, set.ContractIds = append(set.BillIds, r.BillID), append(set.ContractIds, r.ContractID)
		set.Watermarks, set.Amounts = append(set.Watermarks, res.Watermark.In(time.UTC)), append(set.Amounts, amount)
	}
	if len(charges) > 0 {
		if err := s.issueLateFees(ctx, tx, p, today, charges, out); err != nil {
			return err
		}
	}
	if len(set.BillIds) == 0 {
		return nil
	}
	return q.SetLateFeeState(ctx, set)
}

// principal is what was unpaid of a (bill, contract) at the end of each day: its gross
// less the moves dated that day or before, a step from the due date and on each later
// day something moved.
func principal(due schedule.Date, gross decimal.Decimal, moves []queries.MovesOfBillsRow) []latefee.Step {
	steps := []latefee.Step{{From: due, Outstanding: gross}}
	for _, m := range moves {
		on := schedule.DateOf(m.OnDay)
		last := &steps[len(steps)-1]
		if !on.After(last.From) {
			last.Outstanding = last.Outstanding.Sub(m.Amount)
			continue
		}
		steps = append(steps, latefee.Step{From: on, Outstanding: last.Outstanding.Sub(m.Amount)})
	}
	for i := range steps {
		steps[i].Outstanding = decimal.Max(steps[i].Outstanding, decimal.Zero)
	}
	return steps
}

// issueLateFees writes the accruals as one issued late-fee bill per tenant, with their
// lines and their issue postings.
func (s *Service) issueLateFees(ctx context.Context, tx pgx.Tx, p org.Place, today schedule.Date, charges []Charge,
	out *LateFeeRun) error {
	rs, err := rates(ctx, tx, p.GroupID, p.MallID)
	if err != nil {
		return err
	}
	drafts, err := Group(charges, rs)
	if err != nil {
		return err
	}
	q := queries.New(tx)
	now := s.now()
	in := queries.InsertIssuedBillsParams{GroupID: p.GroupID, MallID: p.MallID, Period: today.String(), At: now}
	var lines []queries.InsertLinesParams
	var postings []ledger.Posting
	ids := make([]uuid.UUID, len(drafts))
	for i, d := range drafts {
		b := Bill{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID, MerchantID: d.MerchantID,
			Kind: BillLateFees, Period: today.String(), Gross: d.Gross}
		ids[i] = b.ID
		var bl []Line
		for _, l := range d.Lines {
			id := service.NewID()
			lines = append(lines, queries.InsertLinesParams{GroupID: p.GroupID, BillID: b.ID, ID: id,
				ContractID: l.ContractID, Source: string(l.Source), SourceKey: l.SourceKey, Code: l.Code,
				PeriodStart: l.Period.Start.In(time.UTC), PeriodEnd: l.Period.End.In(time.UTC),
				DueOn: l.Due.In(time.UTC), VatRate: l.Rate, Net: l.Net, Vat: l.VAT, Gross: l.Gross, Outstanding: l.Gross,
				Basis: l.Basis})
			bl = append(bl, Line{ID: id, Code: l.Code, Net: l.Net, VAT: l.VAT, Gross: l.Gross})
			out.Accruals++
		}
		key := ""
		if pst, ok := Posting(b, bl); ok {
			postings, key = append(postings, pst), pst.Key
		}
		in.Ids, in.MerchantIds, in.PostingKeys = append(in.Ids, b.ID), append(in.MerchantIds, d.MerchantID), append(in.PostingKeys, key)
		out.Bills++
		out.Total = out.Total.Add(d.Gross)
	}
	if err := q.InsertIssuedBills(ctx, in); err != nil {
		return err
	}
	if _, err := q.InsertLines(ctx, lines); err != nil {
		return fmt.Errorf("billing: late-fee lines: %w", err)
	}
	if err := q.RefreshBillTotals(ctx, ids); err != nil {
		return err
	}
	_, err = s.ledger.PostManyTx(ctx, tx, p.GroupID, postings)
	return err
}

// LateFeeDays is the late-fee job's per-mall fan-out: each mall's local day now.
func (s *Service) LateFeeDays(ctx context.Context) (map[uuid.UUID]schedule.Date, error) {
	ids, err := s.org.MallIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]schedule.Date, len(ids))
	for _, id := range ids {
		p, err := s.org.MallPlace(ctx, nil, id)
		if err != nil {
			return nil, err
		}
		out[id] = schedule.DateOf(s.now().In(p.Loc))
	}
	return out, nil
}

// dueSoonDays is how far ahead tenants are reminded of a bill falling due.
const dueSoonDays = 3

// remindDueTx writes a bill_due notification, once per bill, for the mall's bills with
// money outstanding falling due within dueSoonDays (run with the daily late-fee job).
func remindDueTx(ctx context.Context, tx pgx.Tx, p org.Place, today schedule.Date) error {
	from := today.In(time.UTC)
	rows, err := queries.New(tx).BillsDueSoon(ctx, queries.BillsDueSoonParams{GroupID: p.GroupID, MallID: p.MallID,
		FromDay: from, ToDay: from.AddDate(0, 0, dueSoonDays)})
	if err != nil {
		return err
	}
	for _, r := range rows {
		pl := map[string]string{"period": r.Period, "amount": r.Outstanding.StringFixed(2)}
		if r.DueOn != nil {
			pl["due"] = r.DueOn.Format(time.DateOnly)
		}
		if _, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: p.GroupID, MallID: p.MallID, Kind: notify.BillDue,
			RecipientKind: notify.ToTenant, RecipientID: r.MerchantID, Payload: pl,
			DedupeKey: "bill.due:" + r.ID.String()}); err != nil {
			return err
		}
	}
	return nil
}

// notifyOverdueTx writes a bill_overdue notification, once per bill, for the overdue
// bills of a late-fee batch, in the batch's transaction.
func notifyOverdueTx(ctx context.Context, tx pgx.Tx, p org.Place, pairs []queries.OverduePairsRow) error {
	for _, r := range pairs {
		if _, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: p.GroupID, MallID: p.MallID,
			Kind: notify.BillOverdue, RecipientKind: notify.ToTenant, RecipientID: r.MerchantID,
			DedupeKey: "bill.overdue:" + r.BillID.String()}); err != nil {
			return err
		}
	}
	return nil
}
