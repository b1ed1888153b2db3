package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing/alloc"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger"
)

// errLinesMoved: a line's outstanding changed under a lock that should have kept it
// (a writer that did not take the merchant's lock); the transaction rolls back.
var errLinesMoved = errs.New(errs.KindInternal, "ALLOCATION_LINES_MOVED", "a bill line changed during allocation")

// openLine is one of a merchant's open items with its contract and waterfall.
type openLine struct {
	item      alloc.Item
	contract  uuid.UUID
	waterfall alloc.Waterfall // nil: alloc.Default
}

// lockMerchantTx takes the merchant's allocation lock (its tenant credit row, created
// when missing) and returns its unapplied credit. Every payment, reversal and credit
// application of a merchant takes it first, so they run one at a time per merchant.
func lockMerchantTx(ctx context.Context, tx pgx.Tx, group, merchant uuid.UUID) (decimal.Decimal, error) {
	q := queries.New(tx)
	if err := q.EnsureTenantCredit(ctx, group, merchant); err != nil {
		return decimal.Zero, err
	}
	return q.LockTenantCredit(ctx, merchant)
}

// openLinesTx reads (and locks, in line id order) the merchant's open items.
func openLinesTx(ctx context.Context, tx pgx.Tx, merchant uuid.UUID) ([]openLine, error) {
	rows, err := queries.New(tx).OpenLinesOfMerchant(ctx, merchant)
	if err != nil {
		return nil, err
	}
	out := make([]openLine, len(rows))
	for i, r := range rows {
		var w alloc.Waterfall
		if len(r.Waterfall) > 0 {
			if err := json.Unmarshal(r.Waterfall, &w); err != nil {
				return nil, fmt.Errorf("billing: waterfall of contract %s: %w", r.ContractID, err)
			}
		}
		out[i] = openLine{contract: r.ContractID, waterfall: w, item: alloc.Item{LineID: r.ID.String(),
			BillID: r.BillID.String(), Code: r.Code, Due: schedule.DateOf(r.DueOn), Outstanding: r.Outstanding}}
	}
	return out, nil
}

func items(lines []openLine) []alloc.Item {
	out := make([]alloc.Item, len(lines))
	for i, l := range lines {
		out[i] = l.item
	}
	return out
}

// Spread allocates amount over a merchant's open lines: the lines of firstBill first
// (uuid.Nil: none), then contract by contract — the contract with the oldest open due
// date first, ties by contract id — each by its own waterfall (alloc.Allocate: group by
// group, oldest first inside a group). What is left is the allocation's Credit.
func spread(amount decimal.Decimal, lines []openLine, firstBill uuid.UUID) (alloc.Allocation, error) {
	var first, rest []openLine
	for _, l := range lines {
		if firstBill != uuid.Nil && l.item.BillID == firstBill.String() {
			first = append(first, l)
		} else {
			rest = append(rest, l)
		}
	}
	out := alloc.Allocation{Credit: amount}
	for _, part := range [][]openLine{first, rest} {
		for _, c := range byContract(part) {
			if !out.Credit.IsPositive() {
				return out, nil
			}
			a, err := alloc.Allocate(out.Credit, items(c), c[0].waterfall)
			if err != nil {
				return alloc.Allocation{}, err
			}
			out.Parts, out.Credit = append(out.Parts, a.Parts...), a.Credit
		}
	}
	return out, nil
}

// byContract groups lines per contract, the contract with the oldest due date first.
func byContract(lines []openLine) [][]openLine {
	at := map[uuid.UUID]int{}
	var out [][]openLine
	for _, l := range lines {
		i, ok := at[l.contract]
		if !ok {
			i = len(out)
			at[l.contract] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], l)
	}
	oldest := func(c []openLine) schedule.Date {
		d := c[0].item.Due
		for _, l := range c[1:] {
			if l.item.Due.Before(d) {
				d = l.item.Due
			}
		}
		return d
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := oldest(out[i]), oldest(out[j])
		if !a.Equal(b) {
			return a.Before(b)
		}
		return out[i][0].contract.String() < out[j][0].contract.String()
	})
	return out
}

// lineMove says what moved lines' outstanding: recorded with each line (billing_line_moves,
// dated: late fees and statements read it).
type lineMove struct {
	group, merchant uuid.UUID
	on              time.Time // the business day (UTC midnight of the local date)
	kind            string    // payment, reversal or credit
	ref             uuid.UUID // the payment, or the credit application
	at              time.Time
}

// moveLinesTx takes (sign -1) or gives back (sign +1) an allocation's parts from the
// lines' outstanding, computed by alloc.Apply / alloc.Reverse over the lines read under
// lock and written with a conditional update, records the moves (mv), then refreshes
// their bills' outstanding.
func moveLinesTx(ctx context.Context, tx pgx.Tx, a alloc.Allocation, sign int, mv lineMove) error {
	if len(a.Parts) == 0 {
		return nil
	}
	q := queries.New(tx)
	ids := make([]uuid.UUID, 0, len(a.Parts))
	for _, p := range a.Parts {
		ids = append(ids, uuid.MustParse(p.LineID))
	}
	rows, err := q.LockLines(ctx, ids)
	if err != nil {
		return err
	}
	before := make([]alloc.Item, len(rows))
	for i, r := range rows {
		before[i] = alloc.Item{LineID: r.ID.String(), BillID: r.BillID.String(), Code: r.Code,
			Due: schedule.DateOf(r.DueOn), Outstanding: r.Outstanding}
	}
	moves := queries.InsertLineMovesParams{GroupID: mv.group, MerchantID: mv.merchant, OnDay: mv.on, Kind: mv.kind,
		RefID: mv.ref, CreatedAt: mv.at}
	var after []alloc.Item
	if sign < 0 {
		after, err = alloc.Apply(before, a)
	} else {
		after, err = alloc.Reverse(before, a)
	}
	if err != nil {
		return err
	}
	p := queries.SetLinesOutstandingParams{}
	bills := map[uuid.UUID]bool{}
	var billIDs []uuid.UUID
	for i, r := range rows {
		if after[i].Outstanding.Equal(r.Outstanding) {
			continue
		}
		p.Ids, p.Was, p.Next = append(p.Ids, r.ID), append(p.Was, r.Outstanding), append(p.Next, after[i].Outstanding)
		moves.Ids, moves.LineIds, moves.BillIds = append(moves.Ids, service.NewID()), append(moves.LineIds, r.ID),
			append(moves.BillIds, r.BillID)
		moves.Amounts = append(moves.Amounts, r.Outstanding.Sub(after[i].Outstanding))
		if !bills[r.BillID] {
			bills[r.BillID] = true
			billIDs = append(billIDs, r.BillID)
		}
	}
	set, err := q.SetLinesOutstanding(ctx, p)
	if err != nil {
		return err
	}
	if len(set) != len(p.Ids) {
		return errLinesMoved
	}
	if err := q.InsertLineMoves(ctx, moves); err != nil {
		return err
	}
	return q.RefreshBillOutstanding(ctx, billIDs)
}

// insertAllocationsTx records an allocation's parts under batch (a payment's id, or a
// credit application's).
func (s *Service) insertAllocationsTx(ctx context.Context, tx pgx.Tx, group, merchant, batch uuid.UUID,
	payment *uuid.UUID, a alloc.Allocation) error {
	if len(a.Parts) == 0 {
		return nil
	}
	p := queries.InsertAllocationsParams{GroupID: group, BatchID: batch, PaymentID: payment, MerchantID: merchant,
		CreatedAt: s.now()}
	for _, part := range a.Parts {
		p.Ids = append(p.Ids, uuid.New())
		p.BillIds, p.LineIds = append(p.BillIds, uuid.MustParse(part.BillID)), append(p.LineIds, uuid.MustParse(part.LineID))
		p.Codes, p.Amounts = append(p.Codes, part.Code), append(p.Amounts, part.Amount)
	}
	return queries.New(tx).InsertAllocations(ctx, p)
}

// CreditPostingKey is the key of a credit application's posting.
func CreditPostingKey(batch uuid.UUID) string { return "billing.credit:" + batch.String() }

// applyCreditTx applies up to available of the merchant's credit (its lock held) to its
// open lines: by manual parts when given, else spread; posts Dr tenant_credit / Cr
// tenant_receivable what was applied. It returns the allocation (zero when nothing
// was open).
func (s *Service) applyCreditTx(ctx context.Context, tx pgx.Tx, group, merchant uuid.UUID, available decimal.Decimal,
	manual []alloc.Part) (alloc.Allocation, error) {
	if !available.IsPositive() {
		return alloc.Allocation{}, nil
	}
	lines, err := openLinesTx(ctx, tx, merchant)
	if err != nil || len(lines) == 0 {
		return alloc.Allocation{}, err
	}
	var a alloc.Allocation
	if manual != nil {
		a, err = alloc.Manual(available, items(lines), manual)
	} else {
		a, err = spread(available, lines, uuid.Nil)
	}
	if err != nil || len(a.Parts) == 0 {
		return a, err
	}
	applied := a.Allocated()
	batch := uuid.New()
	post := ledger.Posting{GroupID: group, Kind: ledger.PostingCreditApply, Key: CreditPostingKey(batch),
		Memo: "tenant credit applied", Legs: []ledger.Leg{
			{Account: ledger.TenantCredit(merchant), Amount: applied},
			{Account: ledger.TenantReceivable(merchant), Amount: applied.Neg()}}}
	if _, err := s.ledger.PostManyTx(ctx, tx, group, []ledger.Posting{post}); err != nil {
		return a, err
	}
	pl, err := s.org.MerchantPlace(ctx, tx, merchant)
	if err != nil {
		return a, err
	}
	now := s.now()
	if err := moveLinesTx(ctx, tx, a, -1, lineMove{group: group, merchant: merchant, on: localDay(now, pl.Loc),
		kind: "credit", ref: batch, at: now}); err != nil {
		return a, err
	}
	if err := s.insertAllocationsTx(ctx, tx, group, merchant, batch, nil, a); err != nil {
		return a, err
	}
	if n, err := queries.New(tx).AddTenantCredit(ctx, applied.Neg(), merchant); err != nil || n != 1 {
		return a, fmt.Errorf("billing: take applied credit: %d rows, %v", n, err)
	}
	return a, nil
}

// applyCreditOnIssueTx applies the available credit of the issued bills' merchants
// (the issue path's hook, in its transaction): each merchant with credit, locked in
// merchant order, by spread.
func (s *Service) applyCreditOnIssueTx(ctx context.Context, tx pgx.Tx, group uuid.UUID, merchants []uuid.UUID) error {
	rows, err := queries.New(tx).LockTenantCredits(ctx, merchants)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := s.applyCreditTx(ctx, tx, group, r.MerchantID, r.Available, nil); err != nil {
			return err
		}
	}
	return nil
}

// ApplyCreditInput applies a merchant's tenant credit on demand: by the waterfall, or
// by finance's parts (Parts non-nil: a manual allocation, alloc.Manual).
type ApplyCreditInput struct {
	MerchantID uuid.UUID
	Parts      []alloc.Part
}

// ApplyTenantCredit applies the merchant's unapplied credit to its open lines and
// returns what it paid: FINANCE or ADMIN of the merchant's mall.
func (s *Service) ApplyTenantCredit(ctx context.Context, in ApplyCreditInput) (alloc.Allocation, error) {
	pl, err := s.merchantAt(ctx, in.MerchantID, false)
	if err != nil {
		return alloc.Allocation{}, err
	}
	var out alloc.Allocation
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		available, err := lockMerchantTx(ctx, tx, pl.GroupID, in.MerchantID)
		if err != nil {
			return err
		}
		if !available.IsPositive() {
			return ErrNoCredit
		}
		out, err = s.applyCreditTx(ctx, tx, pl.GroupID, in.MerchantID, available, in.Parts)
		return err
	})
	return out, err
}

// TenantCredit is the merchant's unapplied credit: finance of its mall or its tenant.
func (s *Service) TenantCredit(ctx context.Context, merchant uuid.UUID) (decimal.Decimal, error) {
	if err := s.canSeeMerchant(ctx, merchant); err != nil {
		return decimal.Zero, err
	}
	c, err := queries.New(s.db.Pool).TenantCreditOf(ctx, merchant)
	if isNotFound(err) {
		return decimal.Zero, nil
	}
	return c, err
}

// SetWaterfall declares the allocation order of a contract's lines (nil: back to
// alloc.Default): FINANCE or ADMIN of the contract's mall.
func (s *Service) SetWaterfall(ctx context.Context, contractID uuid.UUID, w alloc.Waterfall) (alloc.Waterfall, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return nil, err
	}
	c, err := s.leasing.Contract(ctx, contractID)
	if err != nil {
		return nil, errs.ErrForbidden
	}
	pl, err := s.mallAt(ctx, c.MallID)
	if err != nil {
		return nil, err
	}
	q := queries.New(s.db.Pool)
	if w == nil {
		return alloc.Default, q.DeleteWaterfall(ctx, contractID)
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	return w, q.UpsertWaterfall(ctx, queries.UpsertWaterfallParams{GroupID: pl.GroupID, MallID: pl.MallID,
		ContractID: contractID, Waterfall: raw, UpdatedBy: viewerID(ctx), UpdatedAt: s.now()})
}

// Waterfall is a contract's declared allocation order (alloc.Default when none):
// FINANCE or ADMIN of its mall.
func (s *Service) Waterfall(ctx context.Context, contractID uuid.UUID) (alloc.Waterfall, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return nil, err
	}
	c, err := s.leasing.Contract(ctx, contractID)
	if err != nil {
		return nil, errs.ErrForbidden
	}
	if _, err := s.mallAt(ctx, c.MallID); err != nil {
		return nil, err
	}
	raw, err := queries.New(s.db.Pool).WaterfallOf(ctx, contractID)
	if isNotFound(err) {
		return alloc.Default, nil
	}
	if err != nil {
		return nil, err
	}
	var w alloc.Waterfall
	return w, json.Unmarshal(raw, &w)
}

// localDay is the business day of t in loc as a date (UTC midnight), as line moves keep it.
func localDay(t time.Time, loc *time.Location) time.Time {
	d := t.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}
