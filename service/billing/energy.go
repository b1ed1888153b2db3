package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing/energy"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// MeterKinds are the meter kinds billed, each with its own tariff.
var MeterKinds = []string{"electricity", "water", "gas"}

// ErrMeterKind is a tariff of a kind that is not billed.
var ErrMeterKind = errs.New(errs.KindUser, "METER_KIND", "a meter kind is electricity, water or gas")

// Tariff is a mall's tariff of a meter kind from a day on.
type Tariff struct {
	MeterKind     string
	EffectiveFrom schedule.Date
	Tariff        energy.Tariff
	CreatedAt     time.Time
}

// SetTariff sets the tariff of a meter kind at a mall from a day on (validated by
// energy.Tariff.Validate; setting the same day again replaces it): FINANCE or ADMIN of
// the mall. A run bills a month's energy at the tariff in force on its first day.
func (s *Service) SetTariff(ctx context.Context, mallID uuid.UUID, kind string, from schedule.Date, t energy.Tariff) ([]Tariff, error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(MeterKinds, kind) {
		return nil, ErrMeterKind.At("meterKind")
	}
	if from.IsZero() {
		return nil, errs.Invalid("effectiveFrom", "a tariff takes effect on a day")
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	if err := queries.New(s.db.Pool).UpsertTariff(ctx, queries.UpsertTariffParams{GroupID: p.GroupID, MallID: p.MallID,
		MeterKind: kind, EffectiveFrom: from.In(time.UTC), Tariff: raw, CreatedBy: viewerID(ctx), CreatedAt: s.now()}); err != nil {
		return nil, err
	}
	return tariffs(ctx, s.db.Pool, p.GroupID, p.MallID)
}

// Tariffs lists a mall's tariffs by meter kind, newest first: FINANCE or ADMIN of the mall.
func (s *Service) Tariffs(ctx context.Context, mallID uuid.UUID) ([]Tariff, error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return nil, err
	}
	return tariffs(ctx, s.db.Pool, p.GroupID, p.MallID)
}

func tariffs(ctx context.Context, db storage.Querier, group, mall uuid.UUID) ([]Tariff, error) {
	rows, err := queries.New(db).TariffsOfMall(ctx, group, mall)
	if err != nil {
		return nil, err
	}
	out := make([]Tariff, len(rows))
	for i, r := range rows {
		out[i] = Tariff{MeterKind: r.MeterKind, EffectiveFrom: schedule.DateOf(r.EffectiveFrom), CreatedAt: r.CreatedAt}
		if err := json.Unmarshal(r.Tariff, &out[i].Tariff); err != nil {
			return nil, fmt.Errorf("billing: tariff: %w", err)
		}
	}
	return out, nil
}

// Metered is the EnergySource of production: energy in arrears, so the run of month M
// bills the energy of month M−1. For each contract of the batch it takes the units of
// the approved terms governing M−1's last day, the part of M−1 the contract ran (from
// its start to its end or termination), and per meter kind with a tariff in force on
// M−1's first day: the kind's meters bound to those units (meters.UnitMetersTx, one
// read per kind for the whole batch), priced by energy.Lines (one line per unit), one
// ENERGY charge per unit and kind with SourceKey "KIND|UNIT|YYYY-MM" (the consumption
// month), due on the contract's due day of M. A unit whose meters read nothing and
// raise no flag bills nothing. The readings a line used are recorded with it
// (billing_energy_usage, EnergyUsage), which is also the claim that bills the line once.
type Metered struct {
	Leasing *leasing.Service
	Org     *org.Service
}

// EnergyCharges is the energy step of a run's batch.
func (m Metered) EnergyCharges(ctx context.Context, tx pgx.Tx, mallID uuid.UUID, period schedule.Period,
	contracts []leasing.BillableContract) ([]Charge, error) {
	if len(contracts) == 0 {
		return nil, nil
	}
	p, err := m.Org.MallPlace(ctx, tx, mallID)
	if err != nil {
		return nil, err
	}
	month := schedule.MonthOf(period.Start.AddDays(-1))
	used := month.Period()
	q := queries.New(tx)
	inForce, err := q.TariffsInForce(ctx, queries.TariffsInForceParams{GroupID: p.GroupID, MallID: p.MallID,
		OnDay: used.Start.In(time.UTC)})
	if err != nil || len(inForce) == 0 {
		return nil, err
	}
	ids := make([]uuid.UUID, len(contracts))
	for i, c := range contracts {
		ids[i] = c.ID
	}
	terms, err := m.Leasing.ContractTermsTx(ctx, tx, p.GroupID, ids, used.End)
	if err != nil {
		return nil, err
	}
	var units []string
	for _, c := range terms {
		for _, u := range c.Terms.Units {
			units = append(units, u.Code)
		}
	}
	var claims claimSet
	for _, row := range inForce {
		var t energy.Tariff
		if err := json.Unmarshal(row.Tariff, &t); err != nil {
			return nil, fmt.Errorf("billing: tariff: %w", err)
		}
		ms, err := meters.UnitMetersTx(ctx, tx, p.MallID, row.MeterKind, units, used.Start.In(p.Loc),
			used.End.AddDays(1).In(p.Loc))
		if err != nil {
			return nil, err
		}
		byUnit := map[string][]energy.Meter{}
		for _, em := range energy.FromUnitMeters(ms) {
			byUnit[em.Unit] = append(byUnit[em.Unit], em)
		}
		for _, c := range contracts {
			ct, ok := terms[c.ID]
			span, ran := contractSpan(ct, used)
			if !ok || !ran {
				continue
			}
			var mine []energy.Meter
			for _, u := range ct.Terms.Units {
				mine = append(mine, byUnit[u.Code]...)
			}
			if len(mine) == 0 {
				continue
			}
			lines, err := energy.Lines(energy.Params{Period: span, Loc: p.Loc, Tariff: t}, mine)
			if err != nil {
				return nil, err
			}
			for _, l := range lines {
				if l.Amount.IsZero() && len(l.Flags) == 0 {
					continue
				}
				claims.add(c, ct.Terms, row.MeterKind, month, span, period, l)
			}
		}
	}
	return claims.claim(ctx, q, p.GroupID)
}

// contractSpan is the part of used the contract ran.
func contractSpan(c leasing.ContractTerms, used schedule.Period) (schedule.Period, bool) {
	end := c.End
	if !c.TerminatedOn.IsZero() && c.TerminatedOn.Before(end) {
		end = c.TerminatedOn
	}
	span := used
	if c.Start.After(span.Start) {
		span.Start = c.Start
	}
	if end.Before(span.End) {
		span.End = end
	}
	return span, !span.End.Before(span.Start)
}

// claimSet gathers a batch's energy charges with their usage rows.
type claimSet struct {
	charges []Charge
	in      queries.ClaimEnergyUsageParams
}

func (cs *claimSet) add(c leasing.BillableContract, t schedule.Terms, kind string, month schedule.Month,
	span, billed schedule.Period, l energy.Line) {
	key := fmt.Sprintf("%s|%s|%04d-%02d", strings.ToUpper(kind), l.Unit, month.Year, month.Month)
	detail, _ := json.Marshal(usageOf(l))
	flags := make([]string, len(l.Flags))
	for i, f := range l.Flags {
		flags[i] = string(f)
	}
	cs.charges = append(cs.charges, Charge{ContractID: c.ID, MerchantID: c.MerchantID, Source: SourceEnergy,
		SourceKey: key, Code: CodeEnergy, Period: span, Due: dueIn(billed, t.Billing.DueDay), Gross: l.Amount,
		Basis: energyBasis(kind, l)})
	in := &cs.in
	in.ContractIds, in.SourceKeys, in.MeterKinds = append(in.ContractIds, c.ID), append(in.SourceKeys, key), append(in.MeterKinds, kind)
	in.Units, in.PeriodStarts = append(in.Units, l.Unit), append(in.PeriodStarts, span.Start.In(time.UTC))
	in.PeriodEnds = append(in.PeriodEnds, span.End.In(time.UTC))
	in.Estimated = append(in.Estimated, slices.Contains(l.Flags, energy.FlagEstimated))
	in.Flags, in.Details = append(in.Flags, strings.Join(flags, ",")), append(in.Details, detail)
}

// claim records the usage rows and returns the charges of those recorded now.
func (cs *claimSet) claim(ctx context.Context, q *queries.Queries, group uuid.UUID) ([]Charge, error) {
	if len(cs.charges) == 0 {
		return nil, nil
	}
	cs.in.GroupID = group
	rows, err := q.ClaimEnergyUsage(ctx, cs.in)
	if err != nil {
		return nil, fmt.Errorf("billing: energy usage: %w", err)
	}
	fresh := map[string]bool{}
	for _, r := range rows {
		fresh[r.ContractID.String()+"/"+r.SourceKey] = true
	}
	var out []Charge
	for _, c := range cs.charges {
		if fresh[c.ContractID.String()+"/"+c.SourceKey] {
			out = append(out, c)
		}
	}
	return out, nil
}

// dueIn is the due day of a contract in a billing period (a short month: its last day;
// no due day: the first).
func dueIn(p schedule.Period, day int) schedule.Date {
	if day < 1 {
		return p.Start
	}
	d := schedule.D(p.Start.Year(), p.Start.Month(), day)
	if d.After(p.End) || d.Month() != p.Start.Month() {
		return p.End
	}
	return d
}

// energyBasis is the computation in words: consumption, parts, amount and flags.
func energyBasis(kind string, l energy.Line) string {
	parts := make([]string, 0, len(l.Parts))
	for _, pt := range l.Parts {
		name := ""
		if pt.Name != "" {
			name = pt.Name + " "
		}
		parts = append(parts, fmt.Sprintf("%s%s × %s", name, pt.Quantity, pt.Price))
	}
	s := fmt.Sprintf("%s %s: %s = %s", kind, l.Consumption, strings.Join(parts, " + "), l.Amount.StringFixed(2))
	if len(l.Flags) > 0 {
		fs := make([]string, len(l.Flags))
		for i, f := range l.Flags {
			fs[i] = string(f)
		}
		s += " [" + strings.Join(fs, ", ") + "]"
	}
	return s
}

// EnergyUsage is the consumption an energy line billed: its meters' cut-off readings.
type EnergyUsage struct {
	MeterKind   string          `json:"meterKind"`
	Unit        string          `json:"unit"`
	Period      schedule.Period `json:"-"`
	Estimated   bool            `json:"-"`
	Flags       []string        `json:"-"`
	Consumption decimal.Decimal `json:"consumption"`
	Meters      []MeterReading  `json:"meters"`
	Reasons     []string        `json:"reasons,omitempty"`
}

// MeterReading is one meter's readings at a line's cut-offs.
type MeterReading struct {
	MeterID     string          `json:"meterId"`
	Start       CutoffReading   `json:"start"`
	End         CutoffReading   `json:"end"`
	Consumption decimal.Decimal `json:"consumption"`
}

// CutoffReading is a meter's counter at a cut-off: the value used, its instant, how it
// was obtained (ACTUAL, ESTIMATED, BEFORE_FIRST, AFTER_LAST, NO_POINTS) and the
// readings it came from.
type CutoffReading struct {
	Cutoff   time.Time       `json:"cutoff"`
	At       time.Time       `json:"at"`
	Value    decimal.Decimal `json:"value"`
	Kind     string          `json:"kind"`
	Readings []meters.Point  `json:"readings,omitempty"`
}

func usageOf(l energy.Line) EnergyUsage {
	u := EnergyUsage{Unit: l.Unit, Consumption: l.Consumption}
	cut := func(c energy.Cutoff) CutoffReading {
		return CutoffReading{Cutoff: c.At, At: c.Value.At, Value: c.Value.Raw, Kind: string(c.Value.Kind),
			Readings: c.Value.Readings}
	}
	for _, m := range l.Meters {
		u.Meters = append(u.Meters, MeterReading{MeterID: m.MeterID, Start: cut(m.Start), End: cut(m.End),
			Consumption: m.Consumption})
		u.Reasons = append(u.Reasons, m.Reasons...)
	}
	return u
}

// EnergyUsage is the usage an energy line billed (nil for another line): whoever may
// read the line's bill.
func (s *Service) EnergyUsage(ctx context.Context, b Bill, l Line) (*EnergyUsage, error) {
	if err := s.canRead(ctx, b); err != nil {
		return nil, err
	}
	if l.Source != SourceEnergy || l.BillID != b.ID {
		return nil, nil
	}
	r, err := queries.New(s.db.Pool).EnergyUsage(ctx, queries.EnergyUsageParams{GroupID: b.GroupID,
		ContractID: l.ContractID, SourceKey: l.SourceKey})
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var u EnergyUsage
	if err := json.Unmarshal(r.Detail, &u); err != nil {
		return nil, err
	}
	u.MeterKind, u.Estimated, u.Flags = r.MeterKind, r.Estimated, r.Flags
	u.Period = schedule.Period{Start: schedule.DateOf(r.PeriodStart), End: schedule.DateOf(r.PeriodEnd)}
	return &u, nil
}
