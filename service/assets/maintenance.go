package assets

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/assets/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/org"
)

// Maintenance is a preventive maintenance due: what the work-orders context opens an
// order for.
type Maintenance struct {
	MallID  uuid.UUID
	AssetID uuid.UUID
	Tag     string
	Name    string
	Title   string
	DueKey  string // the due date ("2026-05-01") or usage mark ("usage:…")
	UnitID  *uuid.UUID
	Zone    string
}

// MaintenanceHook opens the work order of a maintenance due, inside the transaction
// that found it due, and returns its id (service/workorders implements it).
type MaintenanceHook interface {
	MaintenanceDue(ctx context.Context, tx pgx.Tx, m Maintenance) (uuid.UUID, error)
}

// SetMaintenanceHook sets the hook (not a Deps field: its context is built after this one).
func (s *Service) SetMaintenanceHook(h MaintenanceHook) { s.hook = h }

// Plan kinds: every N days, every N months, or every UsageEvery units of a meter.
const (
	EveryDays   = "DAYS"
	EveryMonths = "MONTHS"
	EveryUsage  = "USAGE"
)

// Plan is a preventive maintenance plan of an asset.
type Plan struct {
	ID, AssetID, MallID uuid.UUID
	Title               string
	Every               string
	N                   int
	MeterDeviceID       string
	UsageEvery          decimal.Decimal
	NextDue             *time.Time
	UsageSince          *time.Time
	Active              bool
}

func planOf(r queries.AssetMaintenancePlan) Plan {
	return Plan{ID: r.ID, AssetID: r.AssetID, MallID: r.MallID, Title: r.Title, Every: r.EveryKind, N: int(r.EveryN),
		MeterDeviceID: r.MeterDeviceID, UsageEvery: r.UsageEvery, NextDue: r.NextDue, UsageSince: r.UsageSince,
		Active: r.Active}
}

// PlanInput is a new plan; FirstDue (date plans) defaults to one interval from today.
type PlanInput struct {
	AssetID       uuid.UUID
	Title         string
	Every         string
	N             int
	FirstDue      time.Time
	MeterDeviceID string
	UsageEvery    decimal.Decimal
}

// CreatePlan adds a maintenance plan to an asset (ADMIN, MAINTENANCE of its mall). A
// usage plan names a meter of the mall; its use counts from now.
func (s *Service) CreatePlan(ctx context.Context, in PlanInput) (Plan, error) {
	a, p, err := s.assetFor(ctx, in.AssetID, planRoles...)
	if err != nil {
		return Plan{}, err
	}
	if a.Status != Active {
		return Plan{}, ErrDisposed
	}
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || utf8.RuneCountInString(in.Title) > 200 {
		return Plan{}, errs.Invalid("input.title", "a title of 1 to 200 characters")
	}
	params := queries.InsertPlanParams{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID, AssetID: a.ID,
		Title: in.Title, EveryKind: in.Every, CreatedBy: access.Actor(ctx), CreatedAt: s.now()}
	switch in.Every {
	case EveryDays, EveryMonths:
		if in.N < 1 || in.N > 3650 {
			return Plan{}, errs.Invalid("input.n", "every 1 to 3650 days or months")
		}
		due := depreciation.Day(in.FirstDue)
		if in.FirstDue.IsZero() {
			due = advance(s.today(p), in.Every, in.N)
		}
		params.EveryN, params.NextDue = int32(in.N), &due
	case EveryUsage:
		if !in.UsageEvery.IsPositive() {
			return Plan{}, errs.Invalid("input.usageEvery", "a usage interval above 0")
		}
		if m, err := meters.MeterTx(ctx, s.db.Pool, in.MeterDeviceID); err != nil || m.MallID != p.MallID {
			return Plan{}, ErrPlanMeterNeeded.At("input", "meterDeviceId")
		}
		now := s.now()
		params.MeterDeviceID, params.UsageEvery, params.UsageSince = in.MeterDeviceID, in.UsageEvery, &now
	default:
		return Plan{}, errs.Invalid("input.every", "a plan runs every DAYS, MONTHS or USAGE")
	}
	r, err := queries.New(s.db.Pool).InsertPlan(ctx, params)
	return planOf(r), err
}

// advance is day plus n days or months.
func advance(day time.Time, every string, n int) time.Time {
	if every == EveryMonths {
		first := depreciation.D(day.Year(), day.Month()+time.Month(n), 1)
		return depreciation.D(first.Year(), first.Month(), min(day.Day(), depreciation.MonthEnd(first).Day()))
	}
	return day.AddDate(0, 0, n)
}

// Plans lists an asset's plans (readers of the register).
func (s *Service) Plans(ctx context.Context, assetID uuid.UUID) ([]Plan, error) {
	if _, _, err := s.assetFor(ctx, assetID, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).PlansOfAsset(ctx, assetID)
	out := make([]Plan, len(rows))
	for i, r := range rows {
		out[i] = planOf(r)
	}
	return out, err
}

// MaintenanceRecord is a work order a plan opened for an asset.
type MaintenanceRecord struct {
	PlanID   uuid.UUID
	DueKey   string
	OrderID  uuid.UUID
	OpenedAt time.Time
}

// History is an asset's maintenance history, newest first (readers of the register).
func (s *Service) History(ctx context.Context, assetID uuid.UUID) ([]MaintenanceRecord, error) {
	if _, _, err := s.assetFor(ctx, assetID, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).MaintenanceOfAsset(ctx, assetID)
	out := make([]MaintenanceRecord, len(rows))
	for i, r := range rows {
		out[i] = MaintenanceRecord{PlanID: r.PlanID, DueKey: r.DueKey, OrderID: r.OrderID, OpenedAt: r.OpenedAt}
	}
	return out, err
}

// OpenDueMaintenance opens the work orders of every plan due (the job; no viewer): a
// date plan due on or before the mall's today opens one order for its due date and
// moves to its next due after today; a usage plan whose meter counted UsageEvery since
// its mark opens one and sets the mark to now. Each plan is locked while it is
// handled, and an order is recorded once per plan and due: a rerun opens nothing.
func (s *Service) OpenDueMaintenance(ctx context.Context) (int, error) {
	if s.hook == nil {
		return 0, nil
	}
	plans, err := queries.New(s.db.Pool).ActivePlans(ctx, depreciation.Day(s.now()).AddDate(0, 0, 1))
	if err != nil {
		return 0, err
	}
	opened := 0
	for _, pl := range plans {
		p, err := s.org.MallPlace(ctx, nil, pl.MallID)
		if err != nil {
			return opened, err
		}
		// InTxAfter: the work orders' announcements go out once the order is committed.
		err = s.db.InTxAfter(ctx, func(ctx context.Context, tx pgx.Tx) error {
			ok, err := s.openDue(ctx, tx, p, pl.ID)
			if ok {
				opened++
			}
			return err
		})
		if err != nil {
			return opened, fmt.Errorf("assets: maintenance plan %s: %w", pl.ID, err)
		}
	}
	return opened, nil
}

// openDue handles one locked plan.
func (s *Service) openDue(ctx context.Context, tx pgx.Tx, p org.Place, planID uuid.UUID) (bool, error) {
	q := queries.New(tx)
	pl, err := q.LockPlan(ctx, planID)
	if err != nil || !pl.Active {
		return false, err
	}
	today, now := s.today(p), s.now()
	next := queries.AdvancePlanParams{ID: pl.ID, NextDue: pl.NextDue, UsageSince: pl.UsageSince}
	var due string
	switch pl.EveryKind {
	case EveryUsage:
		if pl.UsageSince == nil {
			return false, nil
		}
		used, err := meters.UsageTx(ctx, tx, pl.MeterDeviceID, *pl.UsageSince, now)
		if err != nil || used.Amount.LessThan(pl.UsageEvery) {
			return false, err
		}
		due, next.UsageSince = "usage:"+now.UTC().Format(time.RFC3339), &now
	default:
		if pl.NextDue == nil || pl.NextDue.After(today) {
			return false, nil
		}
		due = pl.NextDue.Format(time.DateOnly)
		n := *pl.NextDue
		for !n.After(today) {
			n = advance(n, pl.EveryKind, int(pl.EveryN))
		}
		next.NextDue = &n
	}
	row, err := q.AssetByID(ctx, pl.AssetID)
	if err != nil {
		return false, err
	}
	a := assetOf(row)
	m := Maintenance{MallID: a.MallID, AssetID: a.ID, Tag: a.Tag, Name: a.Name, Title: pl.Title, DueKey: due}
	if a.Location.Kind == AtUnit {
		if id, err := uuid.Parse(a.Location.Ref); err == nil {
			m.UnitID = &id
		}
	} else {
		m.Zone = a.Location.Ref
	}
	order, err := s.hook.MaintenanceDue(ctx, tx, m)
	if err != nil {
		return false, err
	}
	n, err := q.InsertMaintenanceOrder(ctx, queries.InsertMaintenanceOrderParams{PlanID: pl.ID, DueKey: due,
		GroupID: a.GroupID, MallID: a.MallID, AssetID: a.ID, OrderID: order, OpenedAt: now})
	if err != nil {
		return false, err
	}
	if n == 0 {
		return false, fmt.Errorf("due %s already opened", due) // the lock makes this a bug: roll the order back
	}
	return true, q.AdvancePlan(ctx, next)
}
