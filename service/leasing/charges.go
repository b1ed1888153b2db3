package leasing

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/storage"
)

// ScheduleLine is one line of a contract's schedule: Frozen when billing has billed it
// (it never changes again), otherwise an adjustment or a line still to bill.
type ScheduleLine struct {
	schedule.Line
	Frozen bool
}

// freezeRoles may freeze lines (billing runs as one of them, or as the group's system viewer).
var freezeRoles = []auth.Role{auth.RoleFinance, auth.RoleAdmin}

// Schedule is a readable contract's charge schedule through a date: the frozen lines as
// they were billed, an ADJUSTMENT line for every billed charge and period a later
// version changed (billed in the current month), and the lines of periods not billed
// yet whose billing period starts by through.
func (s *Service) Schedule(ctx context.Context, id uuid.UUID, through schedule.Date) ([]ScheduleLine, error) {
	c, err := s.Contract(ctx, id)
	if err != nil {
		return nil, err
	}
	frozen, open, err := s.compute(ctx, s.db.Pool, c, through)
	if err != nil {
		return nil, err
	}
	out := make([]ScheduleLine, 0, len(frozen)+len(open))
	for _, l := range frozen {
		out = append(out, ScheduleLine{Line: l, Frozen: true})
	}
	for _, l := range open {
		out = append(out, ScheduleLine{Line: l})
	}
	return out, nil
}

// compute returns the frozen lines and the open ones (adjustments, then pending lines
// of billing periods starting by through).
func (s *Service) compute(ctx context.Context, db storage.Querier, c Contract, through schedule.Date) ([]schedule.Line, []schedule.Line, error) {
	q := queries.New(db)
	sc, err := s.scheduleContract(ctx, q, c)
	if err != nil {
		return nil, nil, err
	}
	frozen, err := billedLines(ctx, q, c)
	if err != nil {
		return nil, nil, err
	}
	open, err := openLines(sc, frozen, nil, through, s.currentMonth(ctx, db, c))
	if err != nil {
		return nil, nil, fmt.Errorf("leasing: schedule of %s: %w", c.ID, err)
	}
	return frozen, open, nil
}

// currentMonth is the calendar month of the mall's today: where adjustments are billed.
func (s *Service) currentMonth(ctx context.Context, db storage.Querier, c Contract) schedule.Period {
	loc := s.org.Zones().Of("")
	if p, err := s.org.MallPlace(ctx, db, c.MallID); err == nil {
		loc = p.Loc
	}
	return schedule.MonthOf(schedule.DateOf(s.now().In(loc))).Period()
}

// scheduleContract builds schedule's input from the approved versions (the draft
// original before anything is approved: a preview) and the termination date.
func (s *Service) scheduleContract(ctx context.Context, q *queries.Queries, c Contract) (schedule.Contract, error) {
	rows, err := q.VersionsOfContract(ctx, c.GroupID, c.ID)
	if err != nil {
		return schedule.Contract{}, err
	}
	sc := schedule.Contract{TerminatedOn: c.TerminatedOn}
	for _, r := range rows {
		if VersionStatus(r.Status) != VersionApproved && !(r.Number == 1 && !holding(c.StoredStatus)) {
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

func billedLines(ctx context.Context, q *queries.Queries, c Contract) ([]schedule.Line, error) {
	rows, err := q.BilledLines(ctx, c.GroupID, c.ID)
	if err != nil {
		return nil, err
	}
	return linesOf(rows), nil
}

// billedLine is a frozen line as it was billed.
func billedLine(r queries.LeasingBilledLine) schedule.Line {
	return schedule.Line{Code: schedule.Code(r.Code), Of: schedule.Code(r.OfCode), Version: int(r.Version),
		Period:     schedule.Period{Start: dateOf(r.PeriodStart), End: dateOf(r.PeriodEnd)},
		BillPeriod: schedule.Period{Start: dateOf(r.BillStart), End: dateOf(r.BillEnd)},
		DueDate:    dateOf(r.DueOn), Amount: r.Amount, Days: int(r.Days), Basis: r.Basis}
}

// FreezeThrough is billing's call: it freezes the open lines of a contract whose billing
// period starts by through (adjustments included), so they never change again. A line
// is frozen once: its identity (charge, corrected charge, version, billing period, days)
// is the table's key, and freezing again — a rerun of the same bill run — adds nothing.
// It returns how many lines it froze now. FINANCE or ADMIN of the mall.
func (s *Service) FreezeThrough(ctx context.Context, id uuid.UUID, through schedule.Date) (int, error) {
	frozen := 0
	_, err := s.step(ctx, id, freezeRoles, func(q *queries.Queries, tx pgx.Tx, c Contract) error {
		_, open, err := s.compute(ctx, tx, c, through)
		if err != nil {
			return err
		}
		for _, l := range open {
			n, err := q.InsertBilledLine(ctx, billedRow(c, l, s.now()))
			if err != nil {
				return err
			}
			frozen += int(n)
		}
		return s.audit(ctx, tx, c.MallID, c.ID, "leasing.freeze", "", map[string]any{"through": through.String(),
			"lines": frozen})
	})
	return frozen, err
}

func billedRow(c Contract, l schedule.Line, now time.Time) queries.InsertBilledLineParams {
	return queries.InsertBilledLineParams{GroupID: c.GroupID, MallID: c.MallID, ContractID: c.ID, Code: string(l.Code),
		OfCode: string(l.Of), Version: int32(l.Version), PeriodStart: timeOf(l.Period.Start),
		PeriodEnd: timeOf(l.Period.End), BillStart: timeOf(l.BillPeriod.Start), BillEnd: timeOf(l.BillPeriod.End),
		DueOn: timeOf(l.DueDate), Amount: l.Amount, Days: int32(l.Days), Basis: l.Basis, FrozenAt: now}
}

// Settlement is what ending a contract early leaves to settle: the open lines through
// the termination date (adjustments of billed periods, such as the credit for days
// after it, and periods not billed yet, deposits excepted), the deposit held (billed
// DEPOSIT lines) to refund, and the net (positive: the tenant owes).
type Settlement struct {
	Lines       []schedule.Line
	Outstanding decimal.Decimal
	DepositHeld decimal.Decimal
	Net         decimal.Decimal
}

// Settlement computes a readable terminated contract's settlement (zero otherwise).
func (s *Service) Settlement(ctx context.Context, c Contract) (Settlement, error) {
	if err := access.At(ctx, c.ref, readRoles...); err != nil || c.TerminatedOn.IsZero() {
		return Settlement{}, err
	}
	frozen, open, err := s.compute(ctx, s.db.Pool, c, c.TerminatedOn)
	if err != nil {
		return Settlement{}, err
	}
	return settle(frozen, open), nil
}

// settle is the settlement rule over a terminated contract's frozen and open lines.
func settle(frozen, open []schedule.Line) Settlement {
	st := Settlement{Lines: []schedule.Line{}}
	for _, l := range open {
		if l.Code == schedule.CodeDeposit {
			continue
		}
		st.Lines = append(st.Lines, l)
		st.Outstanding = st.Outstanding.Add(l.Amount)
	}
	for _, l := range frozen {
		if l.Code == schedule.CodeDeposit || l.Code == schedule.CodeAdjustment && l.Of == schedule.CodeDeposit {
			st.DepositHeld = st.DepositHeld.Add(l.Amount)
		}
	}
	st.Net = st.Outstanding.Sub(st.DepositHeld)
	return st
}
