package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Run is a bill run of a mall and month, with its progress and counts.
type Run struct {
	ID, GroupID, MallID uuid.UUID
	Period              string // YYYY-MM
	Status              RunStatus
	Total, Done         int // contracts to work, worked
	Billed, Skipped     int // contracts billed, skipped (RunItems says why)
	Error               string
	CreatedBy           uuid.UUID
	CreatedAt           time.Time
	StartedAt           *time.Time
	FinishedAt          *time.Time
}

// RunItem is what a run did with one contract.
type RunItem struct {
	ContractID, MerchantID uuid.UUID
	Billed                 bool
	Reason                 string // why it was skipped
	Lines                  int
	Gross                  decimal.Decimal
}

// RunArgs is the background job that carries out a run (workers/billing.go).
type RunArgs struct {
	RunID uuid.UUID `json:"run_id"`
}

// Kind names the job.
func (RunArgs) Kind() string { return "billing_run" }

// InsertOpts makes the job unique per run (so per mall and period) while it is pending,
// running or done.
func (RunArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Lookback is how long after its end a contract is still worked by runs: its late
// lines (an adjustment, the true-up of its last contract year) are billed then.
const Lookback = 12 // months

// ParsePeriod reads a period, a calendar month "YYYY-MM".
func ParsePeriod(s string) (schedule.Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Format("2006-01") != s {
		return schedule.Month{}, ErrBadPeriod.At("period")
	}
	return schedule.Month{Year: t.Year(), Month: t.Month()}, nil
}

// StartRun starts the bill run of a mall's period (a calendar month, YYYY-MM): a run row
// and its job in one transaction. A period has one run: starting it again — one after
// another or concurrently — returns the existing run (and queues its job again when an
// earlier job gave up before finishing it). FINANCE or ADMIN of the mall.
func (s *Service) StartRun(ctx context.Context, mallID uuid.UUID, period string) (Run, error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return Run{}, err
	}
	if _, err := ParsePeriod(period); err != nil {
		return Run{}, err
	}
	if s.jobs == nil {
		return Run{}, errors.New("billing: no job queue configured")
	}
	var row queries.BillingRun
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		var err error
		row, err = q.InsertRun(ctx, queries.InsertRunParams{GroupID: p.GroupID, MallID: p.MallID, ID: service.NewID(),
			Period: period, CreatedBy: viewerID(ctx), CreatedAt: s.now()})
		if errors.Is(err, pgx.ErrNoRows) {
			if row, err = q.RunByPeriod(ctx, queries.RunByPeriodParams{GroupID: p.GroupID, MallID: p.MallID,
				Period: period}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if RunStatus(row.Status) == RunDone {
			return nil
		}
		_, err = s.jobs.InsertTx(ctx, tx, RunArgs{RunID: row.ID}, nil)
		return err
	})
	return runOf(row), err
}

func runOf(r queries.BillingRun) Run {
	return Run{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Period: r.Period, Status: RunStatus(r.Status),
		Total: int(r.Total), Done: int(r.Done), Billed: int(r.Billed), Skipped: int(r.Skipped), Error: r.Error,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt}
}

func (s *Service) runRow(ctx context.Context, id uuid.UUID) (queries.BillingRun, error) {
	r, err := queries.New(s.db.Pool).RunByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return r, errs.ErrNotFound.Msgf("bill run not found")
	}
	return r, err
}

// Run reads a run: FINANCE or ADMIN of its mall.
func (s *Service) Run(ctx context.Context, id uuid.UUID) (Run, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Run{}, err
	}
	r, err := s.runRow(ctx, id)
	if err != nil {
		return Run{}, err
	}
	if _, err := s.mallAt(ctx, r.MallID); err != nil {
		return Run{}, err
	}
	return runOf(r), nil
}

// Runs lists a mall's runs, newest first: FINANCE or ADMIN of the mall.
func (s *Service) Runs(ctx context.Context, mallID uuid.UUID, pr page.Request) (page.Result[Run], error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return page.Result[Run]{}, err
	}
	rows, err := queries.New(s.db.Pool).RunsOfMall(ctx, queries.RunsOfMallParams{GroupID: p.GroupID, MallID: p.MallID,
		After: pr.After, Max: int32(pr.Limit())})
	if err != nil {
		return page.Result[Run]{}, err
	}
	out := make([]Run, len(rows))
	for i, r := range rows {
		out[i] = runOf(r)
	}
	return page.Cut(pr, out), nil
}

// RunItems is a page of a run's report, by contract id (the cursor is a contract id):
// FINANCE or ADMIN of its mall.
func (s *Service) RunItems(ctx context.Context, run Run, pr page.Request) (page.Result[RunItem], error) {
	if _, err := s.mallAt(ctx, run.MallID); err != nil {
		return page.Result[RunItem]{}, err
	}
	rows, err := queries.New(s.db.Pool).RunItems(ctx, queries.RunItemsParams{RunID: run.ID, After: pr.After,
		Max: int32(pr.Limit())})
	if err != nil {
		return page.Result[RunItem]{}, err
	}
	out := make([]RunItem, len(rows))
	for i, r := range rows {
		out[i] = RunItem{ContractID: r.ContractID, MerchantID: r.MerchantID, Billed: r.Outcome == "billed",
			Reason: r.Reason, Lines: int(r.Lines), Gross: r.Gross}
	}
	return page.Cut(pr, out), nil
}

// Execute carries out a run (the background job; the starter was authorized): it works
// the mall's billable contracts in keyset batches of 200, one transaction each that
// bills the batch and commits the run's progress with it. A run killed half-way and
// executed again continues after the last batch committed; a run done is left alone.
func (s *Service) Execute(ctx context.Context, runID uuid.UUID) error {
	r, err := s.runRow(ctx, runID)
	if err != nil || RunStatus(r.Status) == RunDone {
		return err
	}
	p, err := s.org.MallPlace(ctx, nil, r.MallID)
	if err != nil {
		return err
	}
	month, err := ParsePeriod(r.Period)
	if err != nil {
		return err
	}
	w := window(p, month)
	to, err := runStates.Next(RunStart, RunStatus(r.Status))
	if err != nil {
		return err
	}
	total := int(r.Total)
	if RunStatus(r.Status) == RunQueued {
		if total, err = s.leasing.CountBillable(ctx, s.db.Pool, w); err != nil {
			return err
		}
	}
	now := s.now()
	q := queries.New(s.db.Pool)
	if err := q.StartRun(ctx, queries.StartRunParams{ID: runID, ToStatus: string(to), Total: int32(total), At: &now,
		FromStatuses: runStates.From(RunStart)}); err != nil {
		return err
	}
	for batch := 1; ; batch++ {
		more, err := s.runBatch(ctx, runID, p, w)
		if err == nil && s.afterBatch != nil {
			err = s.afterBatch(batch)
		}
		if err != nil {
			return errors.Join(err, q.SetRunError(context.WithoutCancel(ctx), err.Error(), runID))
		}
		if !more {
			break
		}
	}
	to, _ = runStates.Next(RunFinish, RunRunning)
	now = s.now()
	return q.FinishRun(ctx, queries.FinishRunParams{ID: runID, ToStatus: string(to), At: &now,
		FromStatuses: runStates.From(RunFinish)})
}

// window is which contracts a run of month at p works.
func window(p org.Place, month schedule.Month) leasing.BillableWindow {
	period := month.Period()
	since := schedule.D(month.Year, month.Month-Lookback, 1)
	return leasing.BillableWindow{GroupID: p.GroupID, MallID: p.MallID, Period: period, Since: since}
}

// runBatch bills the next batch of the run in one transaction and reports whether
// there may be more.
func (s *Service) runBatch(ctx context.Context, runID uuid.UUID, p org.Place, w leasing.BillableWindow) (bool, error) {
	more := false
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		run, err := q.LockRun(ctx, runID)
		if err != nil || RunStatus(run.Status) == RunDone {
			return err
		}
		contracts, err := s.leasing.BillableContracts(ctx, tx, w, run.Cursor, s.batchSize)
		if err != nil || len(contracts) == 0 {
			return err
		}
		more = len(contracts) == s.batchSize
		charges, items, err := s.collect(ctx, tx, w, contracts)
		if err != nil {
			return err
		}
		rs, err := rates(ctx, tx, p.GroupID, p.MallID)
		if err != nil {
			return err
		}
		drafts, err := Group(charges, rs)
		if err != nil {
			return err
		}
		if err := s.writeBills(ctx, tx, run, drafts); err != nil {
			return err
		}
		return s.report(ctx, q, run, contracts, items)
	})
	return more, err
}

// outcome is what a batch did with one contract.
type outcome struct {
	lines  int
	gross  decimal.Decimal
	reason string // why nothing was billed
}

// collect gathers a batch's charges: the open schedule lines the batch froze now (with
// the sales base handed to leasing, and the sales of the months billed closed), the
// contracts' unbilled one-off charges, and energy.
func (s *Service) collect(ctx context.Context, tx pgx.Tx, w leasing.BillableWindow, contracts []leasing.BillableContract) ([]Charge, map[uuid.UUID]*outcome, error) {
	byID := make(map[uuid.UUID]leasing.BillableContract, len(contracts))
	merchants, from := []uuid.UUID{}, w.Period.Start
	seen := map[uuid.UUID]bool{}
	for _, c := range contracts {
		byID[c.ID] = c
		if !seen[c.MerchantID] {
			seen[c.MerchantID] = true
			merchants = append(merchants, c.MerchantID)
		}
		if c.Start.Before(from) {
			from = c.Start
		}
	}
	sales, err := s.salesBase(ctx, tx, w, contracts, merchants, from)
	if err != nil {
		return nil, nil, err
	}
	open, err := s.leasing.OpenLinesTx(ctx, tx, contracts, w.Period.End, sales)
	if err != nil {
		return nil, nil, err
	}
	items := make(map[uuid.UUID]*outcome, len(contracts))
	var toFreeze []leasing.FrozenLine
	for _, cl := range open {
		items[cl.ContractID] = &outcome{reason: "nothing due through " + w.Period.End.String()}
		if cl.Err != nil {
			items[cl.ContractID].reason = "schedule: " + cl.Err.Error()
		} else if len(cl.Lines) > 0 {
			items[cl.ContractID].reason = "already billed"
		}
		for _, l := range cl.Lines {
			toFreeze = append(toFreeze, leasing.FrozenLine{ContractID: cl.ContractID, Line: l})
		}
	}
	frozen, err := s.leasing.FreezeLinesTx(ctx, tx, w.GroupID, w.MallID, toFreeze)
	if err != nil {
		return nil, nil, err
	}
	charges := make([]Charge, 0, len(frozen))
	closes := map[uuid.UUID]time.Time{}
	for _, l := range frozen {
		c := byID[l.ContractID]
		charges = append(charges, scheduleCharge(c, l))
		if end := l.Period.End.In(time.UTC); l.Code == schedule.CodePctProvision && end.After(closes[c.MerchantID]) {
			closes[c.MerchantID] = end
		}
	}
	if err := s.sales.CloseManyTx(ctx, tx, w.GroupID, w.MallID, closes, uuid.Nil); err != nil {
		return nil, nil, err
	}
	oneOffs, err := s.oneOffCharges(ctx, tx, w, byID)
	if err != nil {
		return nil, nil, err
	}
	energy, err := s.energy.EnergyCharges(ctx, tx, w.MallID, w.Period, contracts)
	if err != nil {
		return nil, nil, fmt.Errorf("billing: energy: %w", err)
	}
	charges = append(append(charges, oneOffs...), energy...)
	for _, ch := range charges {
		it := items[ch.ContractID]
		if it == nil {
			it = &outcome{}
			items[ch.ContractID] = it
		}
		it.lines, it.gross = it.lines+1, it.gross.Add(ch.Gross)
	}
	return charges, items, nil
}

// salesBase is each contract's monthly declared sales (its merchant's) of the months
// before the run's period, from the earliest contract start: percentage rent of a month
// is billed by the run of the month after it, once the month is over.
func (s *Service) salesBase(ctx context.Context, tx pgx.Tx, w leasing.BillableWindow, contracts []leasing.BillableContract,
	merchants []uuid.UUID, from schedule.Date) (map[uuid.UUID]schedule.Sales, error) {
	months, err := s.sales.MonthsTx(ctx, tx, w.GroupID, w.MallID, merchants, from.In(time.UTC), w.Period.Start.In(time.UTC))
	if err != nil {
		return nil, err
	}
	out := map[uuid.UUID]schedule.Sales{}
	for _, c := range contracts {
		m := months[c.MerchantID]
		if len(m) == 0 {
			continue
		}
		sales := schedule.Sales{}
		for first, amount := range m {
			sales[schedule.Month{Year: first.Year(), Month: first.Month()}] = amount
		}
		out[c.ID] = sales
	}
	return out, nil
}

// writeBills writes the batch's drafts: each merchant's bill of the run (created on its
// first lines, added to by later batches), its lines in one COPY, the one-off charges
// billed marked, and the bills' totals refreshed from their lines.
func (s *Service) writeBills(ctx context.Context, tx pgx.Tx, run queries.BillingRun, drafts []Draft) error {
	if len(drafts) == 0 {
		return nil
	}
	q := queries.New(tx)
	in := queries.UpsertBillsParams{GroupID: run.GroupID, MallID: run.MallID, RunID: run.ID, Period: run.Period,
		CreatedAt: s.now()}
	for _, d := range drafts {
		in.Ids, in.MerchantIds = append(in.Ids, service.NewID()), append(in.MerchantIds, d.MerchantID)
	}
	rows, err := q.UpsertBills(ctx, in)
	if err != nil {
		return err
	}
	billOf := make(map[uuid.UUID]uuid.UUID, len(rows))
	bills := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		billOf[r.MerchantID], bills[i] = r.ID, r.ID
	}
	var lines []queries.InsertLinesParams
	var oneOffs, oneOffLines []uuid.UUID
	for _, d := range drafts {
		for _, l := range d.Lines {
			id := service.NewID()
			lines = append(lines, queries.InsertLinesParams{GroupID: run.GroupID, BillID: billOf[d.MerchantID], ID: id,
				ContractID: l.ContractID, Source: string(l.Source), SourceKey: l.SourceKey, Code: l.Code, OfCode: l.Of,
				PeriodStart: l.Period.Start.In(time.UTC), PeriodEnd: l.Period.End.In(time.UTC),
				DueOn: l.Due.In(time.UTC), VatRate: l.Rate, Net: l.Net, Vat: l.VAT, Gross: l.Gross, Outstanding: l.Gross,
				Basis: l.Basis})
			if l.Source == SourceOneOff {
				oneOffs, oneOffLines = append(oneOffs, uuid.MustParse(l.SourceKey)), append(oneOffLines, id)
			}
		}
	}
	if _, err := q.InsertLines(ctx, lines); err != nil {
		return fmt.Errorf("billing: lines: %w", storage.MapError(err))
	}
	if len(oneOffs) > 0 {
		if err := q.MarkOneOffsBilled(ctx, oneOffs, oneOffLines); err != nil {
			return err
		}
	}
	return q.RefreshBillTotals(ctx, bills)
}

// report records the batch's report lines and advances the run past the batch.
func (s *Service) report(ctx context.Context, q *queries.Queries, run queries.BillingRun, contracts []leasing.BillableContract,
	items map[uuid.UUID]*outcome) error {
	in := queries.InsertRunItemsParams{RunID: run.ID}
	billed, skipped := 0, 0
	for _, c := range contracts {
		it := items[c.ID]
		if it == nil {
			it = &outcome{reason: "nothing due"}
		}
		kind, reason := "billed", ""
		if it.lines == 0 {
			kind, reason = "skipped", it.reason
			skipped++
		} else {
			billed++
		}
		in.ContractIds, in.MerchantIds = append(in.ContractIds, c.ID), append(in.MerchantIds, c.MerchantID)
		in.Outcomes, in.Reasons = append(in.Outcomes, kind), append(in.Reasons, reason)
		in.Lines, in.Grosses = append(in.Lines, int32(it.lines)), append(in.Grosses, it.gross)
	}
	if err := q.InsertRunItems(ctx, in); err != nil {
		return err
	}
	return q.AdvanceRun(ctx, queries.AdvanceRunParams{ID: run.ID, Cursor: contracts[len(contracts)-1].ID,
		Done: int32(len(contracts)), Billed: int32(billed), Skipped: int32(skipped)})
}
