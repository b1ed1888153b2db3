package leasing

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/storage"
)

// Billing's batched calls. A bill run (the billing context) works a mall's contracts in
// keyset batches, one transaction each: BillableContracts pages the contracts,
// OpenLinesTx computes their open lines in that transaction (three reads for the whole
// batch), FreezeLinesTx freezes them in one statement and returns the lines frozen now —
// the only ones billing bills, so a (contract, charge, period) is billed once whatever
// reruns or crashes happen. These calls trust their caller: billing authorized the
// run's starter (FINANCE or ADMIN of the mall) and runs them from its job.

// BillableContract is a contract a bill run works.
type BillableContract struct {
	ID, GroupID, MallID, MerchantID uuid.UUID
	Start, End, TerminatedOn        schedule.Date
}

// BillableWindow is which contracts a bill run of Period works: those holding their
// units from a day by Period.End that ended on or after Since (Since before
// Period.Start, so a contract that ended lately still gets its late lines: an
// adjustment, the true-up of its last year).
type BillableWindow struct {
	GroupID, MallID uuid.UUID
	Period          schedule.Period
	Since           schedule.Date
}

func (w BillableWindow) bounds() (time.Time, time.Time) { return timeOf(w.Period.End), timeOf(w.Since) }

// BillableContracts returns up to max contracts of the window after the id after, in id
// order (a keyset page).
func (s *Service) BillableContracts(ctx context.Context, db storage.Querier, w BillableWindow, after uuid.UUID, max int) ([]BillableContract, error) {
	to, since := w.bounds()
	rows, err := queries.New(db).BillableContracts(ctx, queries.BillableContractsParams{GroupID: w.GroupID,
		MallID: w.MallID, After: after, ToOn: to, SinceOn: since, Max: int32(max)})
	if err != nil {
		return nil, fmt.Errorf("leasing: billable contracts: %w", err)
	}
	out := make([]BillableContract, len(rows))
	for i, r := range rows {
		out[i] = BillableContract{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, MerchantID: r.MerchantID,
			Start: dateOf(r.StartOn), End: dateOf(r.EndOn)}
		if r.TerminatedOn != nil {
			out[i].TerminatedOn = dateOf(*r.TerminatedOn)
		}
	}
	return out, nil
}

// CountBillable is how many contracts the window has.
func (s *Service) CountBillable(ctx context.Context, db storage.Querier, w BillableWindow) (int, error) {
	to, since := w.bounds()
	n, err := queries.New(db).CountBillableContracts(ctx, queries.CountBillableContractsParams{GroupID: w.GroupID,
		MallID: w.MallID, ToOn: to, SinceOn: since})
	return int(n), err
}

// ContractLines are one contract's open lines (Err set, Lines empty, when its schedule
// cannot be computed: billing reports the contract skipped).
type ContractLines struct {
	ContractID uuid.UUID
	Lines      []schedule.Line
	Err        error
}

// FrozenLine is one line of a contract to freeze, or frozen.
type FrozenLine struct {
	ContractID uuid.UUID
	schedule.Line
}

// Key is the line's identity, the key of leasing_billed_lines:
// "CODE|OF|VERSION|BILL_START|PERIOD_START".
func (l FrozenLine) Key() string { return LineKey(l.Line) }

// LineKey is a schedule line's identity within its contract.
func LineKey(l schedule.Line) string {
	return fmt.Sprintf("%s|%s|%d|%s|%s", l.Code, l.Of, l.Version, l.BillPeriod.Start, l.Period.Start)
}

// OpenLinesTx computes in tx the open lines of contracts (all of one group and mall)
// through a date, as Schedule does for one: adjustments of billed periods, then lines
// of billing periods starting by through. sales are each contract's monthly sales, the
// base of its percentage rent (nil: none known). The contracts' versions and frozen
// lines are read in one statement each. A contract whose schedule fails gets its error.
func (s *Service) OpenLinesTx(ctx context.Context, tx pgx.Tx, contracts []BillableContract, through schedule.Date,
	sales map[uuid.UUID]schedule.Sales) ([]ContractLines, error) {
	if len(contracts) == 0 {
		return nil, nil
	}
	ids := make([]uuid.UUID, len(contracts))
	for i, c := range contracts {
		ids[i] = c.ID
	}
	q := queries.New(tx)
	group := contracts[0].GroupID
	versions, err := q.VersionsOfContracts(ctx, group, ids)
	if err != nil {
		return nil, fmt.Errorf("leasing: versions: %w", err)
	}
	billed, err := q.BilledLinesOfContracts(ctx, group, ids)
	if err != nil {
		return nil, fmt.Errorf("leasing: billed lines: %w", err)
	}
	byContract := map[uuid.UUID][]queries.LeasingContractVersion{}
	for _, v := range versions {
		byContract[v.ContractID] = append(byContract[v.ContractID], v)
	}
	frozen := map[uuid.UUID][]queries.LeasingBilledLine{}
	for _, l := range billed {
		frozen[l.ContractID] = append(frozen[l.ContractID], l)
	}
	p, err := s.org.MallPlace(ctx, tx, contracts[0].MallID)
	if err != nil {
		return nil, err
	}
	in := schedule.MonthOf(s.today(p)).Period()
	out := make([]ContractLines, len(contracts))
	for i, c := range contracts {
		out[i] = ContractLines{ContractID: c.ID}
		sc, err := approvedSchedule(c.TerminatedOn, byContract[c.ID])
		if err == nil {
			out[i].Lines, err = openLines(sc, linesOf(frozen[c.ID]), sales[c.ID], through, in)
		}
		if err != nil {
			out[i].Err = fmt.Errorf("leasing: schedule of %s: %w", c.ID, err)
		}
	}
	return out, nil
}

// approvedSchedule is schedule's input from a billable contract's approved versions.
func approvedSchedule(terminatedOn schedule.Date, rows []queries.LeasingContractVersion) (schedule.Contract, error) {
	sc := schedule.Contract{TerminatedOn: terminatedOn}
	for _, r := range rows {
		if VersionStatus(r.Status) != VersionApproved {
			continue
		}
		v, err := versionOf(r)
		if err != nil {
			return sc, err
		}
		sc.Versions = append(sc.Versions, schedule.Version{Number: v.Number, EffectiveFrom: v.EffectiveFrom, Terms: v.Terms})
	}
	return sc, nil
}

// openLines is the rule of compute: adjustments of the frozen lines (billed in the
// period in), then the recomputed lines of periods not billed yet starting by through.
// Without sales (leasing's own views: Schedule, Settlement, FreezeThrough) percentage
// rent cannot be recomputed, so its billed lines are not adjusted away.
func openLines(sc schedule.Contract, frozen []schedule.Line, sales schedule.Sales, through schedule.Date, in schedule.Period) ([]schedule.Line, error) {
	upTo := through
	for _, l := range frozen {
		if l.BillPeriod.Start.After(upTo) {
			upTo = l.BillPeriod.Start
		}
	}
	recomputed, err := schedule.Lines(sc, sales, upTo)
	if err != nil {
		return nil, err
	}
	var open []schedule.Line
	for _, l := range schedule.Adjust(frozen, recomputed, in, in.End) {
		if sales == nil && (l.Of == schedule.CodePctProvision || l.Of == schedule.CodePctTrueUp) {
			continue // without the sales base percentage rent is not recomputed: what was billed stands
		}
		open = append(open, l)
	}
	for _, l := range schedule.Pending(frozen, recomputed) {
		if !l.BillPeriod.Start.After(through) {
			open = append(open, l)
		}
	}
	return open, nil
}

// FreezeLinesTx freezes lines (of contracts of one group and mall) in tx with one
// statement and returns those frozen now; a line frozen before — by an earlier batch,
// a rerun or a concurrent run — is not returned.
func (s *Service) FreezeLinesTx(ctx context.Context, tx pgx.Tx, groupID, mallID uuid.UUID, lines []FrozenLine) ([]FrozenLine, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	in := queries.FreezeLinesParams{GroupID: groupID, MallID: mallID, FrozenAt: s.now()}
	byKey := make(map[string]FrozenLine, len(lines))
	for _, l := range lines {
		in.ContractIds, in.Codes, in.OfCodes = append(in.ContractIds, l.ContractID), append(in.Codes, string(l.Code)), append(in.OfCodes, string(l.Of))
		in.Versions, in.Days = append(in.Versions, int32(l.Version)), append(in.Days, int32(l.Days))
		in.PeriodStarts, in.PeriodEnds = append(in.PeriodStarts, timeOf(l.Period.Start)), append(in.PeriodEnds, timeOf(l.Period.End))
		in.BillStarts, in.BillEnds = append(in.BillStarts, timeOf(l.BillPeriod.Start)), append(in.BillEnds, timeOf(l.BillPeriod.End))
		in.DueOns, in.Amounts, in.Bases = append(in.DueOns, timeOf(l.DueDate)), append(in.Amounts, l.Amount), append(in.Bases, l.Basis)
		byKey[l.ContractID.String()+"/"+l.Key()] = l
	}
	rows, err := queries.New(tx).FreezeLines(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("leasing: freeze lines: %w", err)
	}
	out := make([]FrozenLine, 0, len(rows))
	for _, r := range rows {
		key := schedule.Line{Code: schedule.Code(r.Code), Of: schedule.Code(r.OfCode), Version: int(r.Version),
			BillPeriod: schedule.Period{Start: dateOf(r.BillStart)}, Period: schedule.Period{Start: dateOf(r.PeriodStart)}}
		if l, ok := byKey[r.ContractID.String()+"/"+LineKey(key)]; ok {
			out = append(out, l)
		}
	}
	return out, nil
}

func linesOf(rows []queries.LeasingBilledLine) []schedule.Line {
	out := make([]schedule.Line, len(rows))
	for i, r := range rows {
		out[i] = billedLine(r)
	}
	return out
}

// ContractTerms is a contract with the approved terms governing a day: what billing's
// energy step (the units) and late-fee job (the late-fee rule) need.
type ContractTerms struct {
	BillableContract
	Terms schedule.Terms
}

// ContractTermsTx returns, in db, the contracts of ids (of one group; uuid.Nil: the
// first contract's) that have an approved version, each with the approved terms governing on (schedule.Governing). It
// checks no access: billing calls it from its jobs and after authorizing its caller.
func (s *Service) ContractTermsTx(ctx context.Context, db storage.Querier, groupID uuid.UUID, ids []uuid.UUID,
	on schedule.Date) (map[uuid.UUID]ContractTerms, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q := queries.New(db)
	rows, err := q.ContractsByIDs(ctx, ids)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	if groupID == uuid.Nil {
		groupID = rows[0].GroupID
	}
	versions, err := q.VersionsOfContracts(ctx, groupID, ids)
	if err != nil {
		return nil, fmt.Errorf("leasing: versions: %w", err)
	}
	byContract := map[uuid.UUID][]queries.LeasingContractVersion{}
	for _, v := range versions {
		byContract[v.ContractID] = append(byContract[v.ContractID], v)
	}
	out := make(map[uuid.UUID]ContractTerms, len(rows))
	for _, r := range rows {
		if r.GroupID != groupID {
			continue
		}
		sc, err := approvedSchedule(schedule.Date{}, byContract[r.ID])
		if err != nil {
			return nil, err
		}
		if len(sc.Versions) == 0 {
			continue
		}
		c := ContractTerms{BillableContract: BillableContract{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID,
			MerchantID: r.MerchantID, Start: dateOf(r.StartOn), End: dateOf(r.EndOn)},
			Terms: schedule.Governing(sc.Versions, on).Terms}
		if r.TerminatedOn != nil {
			c.TerminatedOn = dateOf(*r.TerminatedOn)
		}
		out[r.ID] = c
	}
	return out, nil
}
