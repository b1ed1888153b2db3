package energy

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/meters"
)

// DefaultTolerance is how far from a cut-off a reading may lie and still be taken as
// the reading at the cut-off, when Params.Tolerance is zero.
const DefaultTolerance = time.Hour

// Meter is one meter's input: its raw readings and replacements around the period
// (meters.UnitMetersTx loads exactly these; see FromUnitMeters) and its counter's
// modulus (nil: never rolls over).
type Meter struct {
	ID           string
	Unit         string // the unit's code, the meter's binding
	Readings     []meters.Point
	Replacements []meters.Replacement
	Max          *decimal.Decimal
}

// FromUnitMeters converts billing's read of meters into Lines' input.
func FromUnitMeters(ms []meters.UnitMeter) []Meter {
	out := make([]Meter, len(ms))
	for i, m := range ms {
		out[i] = Meter{ID: m.Device.ID, Unit: m.Device.BindingRef, Readings: m.Readings,
			Replacements: m.Replacements, Max: m.Device.MeterMax}
	}
	return out
}

// Params are what prices a period's meters.
type Params struct {
	Period schedule.Period // the billing period's days, both included
	Loc    *time.Location  // the mall's zone: cut-offs and time-of-use bands are its wall clock
	Tariff Tariff
	// Tolerance: a reading this close to a cut-off is the reading at it (zero:
	// DefaultTolerance).
	Tolerance time.Duration
	// PerMeter: one line per meter; otherwise one line per unit summing its meters
	// (tiers then apply to the unit's total).
	PerMeter bool
}

// Flag marks something finance should look at before a line is billed.
type Flag string

// The flags.
const (
	// FlagEstimated: a cut-off reading was interpolated.
	FlagEstimated Flag = "ESTIMATED"
	// FlagPartial: the readings do not cover one side of the period; the uncovered
	// part counts as zero.
	FlagPartial Flag = "PARTIAL"
	// FlagNoReadings: a meter has no reading at all; its consumption is zero.
	FlagNoReadings Flag = "NO_READINGS"
	// FlagBackwardsIgnored: readings that went backwards were left out.
	FlagBackwardsIgnored Flag = "BACKWARDS_IGNORED"
)

// Cutoff is a meter's counter at one of the period's cut-offs.
type Cutoff struct {
	At    time.Time    // the cut-off: local midnight
	Value meters.Value // the counter used, how it was obtained and the readings it came from
}

// Quantity is a quantity of one tier or band.
type Quantity struct {
	Name     string          // the tier ("0-1000", "1000+") or band (PEAK …); "" for FLAT
	Quantity decimal.Decimal // to 3 decimals
}

// MeterUse is one meter's part of a line.
type MeterUse struct {
	MeterID     string
	Start, End  Cutoff
	Consumption decimal.Decimal // End.Value.Adjusted − Start.Value.Adjusted
	// Bands are the meter's consumption per time-of-use band (TIME_OF_USE only), in
	// the tariff's band order, adding up to Consumption.
	Bands   []Quantity
	Flags   []Flag
	Reasons []string       // why each flag was raised, for people
	Ignored []meters.Point // readings left out because they went backwards
}

// Part is one priced quantity of a line: a tier, a band or the flat quantity.
type Part struct {
	Name     string
	Quantity decimal.Decimal
	Price    decimal.Decimal
	Amount   decimal.Decimal // Quantity × Price, exact
}

// Line is one energy charge: a unit's meters (or one meter) over the period.
type Line struct {
	Unit        string
	Meters      []MeterUse // ordered by meter id
	Consumption decimal.Decimal
	Parts       []Part
	// Amount is Σ part amounts, rounded once to the fen, half away from zero.
	Amount decimal.Decimal
	Flags  []Flag // every meter's flags, once each
}

// Lines prices the meters over the period: one line per unit (ordered by unit code),
// or per meter when p.PerMeter (ordered by unit, then meter id). A unit without
// meters has no line: the caller decides whether that is worth a note in the run
// report.
func Lines(p Params, ms []Meter) ([]Line, error) {
	if err := p.Tariff.Validate(); err != nil {
		return nil, err
	}
	switch {
	case p.Period.Start.IsZero() || p.Period.End.Before(p.Period.Start):
		return nil, errs.Invalid("period", "a period needs a start and an end not before it")
	case p.Loc == nil:
		return nil, errs.Invalid("loc", "the mall's zone is needed")
	case p.Tolerance < 0:
		return nil, errs.Invalid("tolerance", "a tolerance must not be negative")
	}
	if p.Tolerance == 0 {
		p.Tolerance = DefaultTolerance
	}
	var tou *day
	if p.Tariff.Kind == TimeOfUse {
		tou, _ = dayOf(p.Tariff.Bands)
	}
	sorted := append([]Meter(nil), ms...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Unit != sorted[j].Unit {
			return sorted[i].Unit < sorted[j].Unit
		}
		return sorted[i].ID < sorted[j].ID
	})
	var out []Line
	for _, m := range sorted {
		u := use(p, tou, m)
		if n := len(out); n > 0 && !p.PerMeter && out[n-1].Unit == m.Unit {
			out[n-1].Meters = append(out[n-1].Meters, u)
			continue
		}
		out = append(out, Line{Unit: m.Unit, Meters: []MeterUse{u}})
	}
	for i := range out {
		price(p.Tariff, &out[i])
	}
	return out, nil
}

// use measures one meter over the period.
func use(p Params, tou *day, m Meter) MeterUse {
	s := meters.Build(m.Readings, m.Replacements, m.Max)
	from, to := p.Period.Start.In(p.Loc), p.Period.End.AddDays(1).In(p.Loc)
	u := MeterUse{MeterID: m.ID, Start: Cutoff{At: from, Value: s.At(from, p.Tolerance)},
		End: Cutoff{At: to, Value: s.At(to, p.Tolerance)}}
	u.Consumption = u.End.Value.Adjusted.Sub(u.Start.Value.Adjusted)
	for _, f := range s.Flagged {
		if f.At.After(from.Add(-p.Tolerance)) && !f.At.After(to.Add(p.Tolerance)) {
			u.Ignored = append(u.Ignored, f)
		}
	}
	u.flag(m.ID, p.Loc)
	if tou != nil {
		pts := []point{{u.Start.Value.At, u.Start.Value.Adjusted}}
		for _, q := range s.Points {
			if q.At.After(u.Start.Value.At) && q.At.Before(u.End.Value.At) {
				pts = append(pts, point{q.At, q.Value})
			}
		}
		pts = append(pts, point{u.End.Value.At, u.End.Value.Adjusted})
		q := apportion(tou.split(pts, p.Loc, len(p.Tariff.Bands)), u.Consumption)
		for i, b := range p.Tariff.Bands {
			u.Bands = append(u.Bands, Quantity{Name: string(b.Name), Quantity: q[i]})
		}
	}
	return u
}

// flag raises the meter's flags with their reasons.
func (u *MeterUse) flag(id string, loc *time.Location) {
	add := func(f Flag, format string, args ...any) {
		if !slices.Contains(u.Flags, f) {
			u.Flags = append(u.Flags, f)
		}
		u.Reasons = append(u.Reasons, fmt.Sprintf("meter %s: ", id)+fmt.Sprintf(format, args...))
	}
	when := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
	if u.Start.Value.Kind == meters.NoPoints {
		add(FlagNoReadings, "no readings; consumption 0")
		return
	}
	for _, c := range []Cutoff{u.Start, u.End} {
		if c.Value.Kind == meters.Estimated {
			add(FlagEstimated, "no reading near %s; %s interpolated", when(c.At), c.Value.Adjusted)
		}
	}
	for _, c := range []Cutoff{u.Start, u.End} {
		switch c.Value.Kind {
		case meters.BeforeFirst:
			add(FlagPartial, "no reading before %s; the first, at %s, stands in", when(c.At), when(c.Value.At))
		case meters.AfterLast:
			add(FlagPartial, "no reading after %s; the last, at %s, stands in", when(c.At), when(c.Value.At))
		}
	}
	if len(u.Ignored) > 0 {
		add(FlagBackwardsIgnored, "%d reading(s) went backwards and were left out", len(u.Ignored))
	}
}

// price fills a line's consumption, parts, amount and flags from its meters.
func price(t Tariff, l *Line) {
	l.Consumption = decimal.Zero
	for _, u := range l.Meters {
		l.Consumption = l.Consumption.Add(u.Consumption)
		for _, f := range u.Flags {
			if !slices.Contains(l.Flags, f) {
				l.Flags = append(l.Flags, f)
			}
		}
	}
	switch t.Kind {
	case Flat:
		l.Parts = []Part{{Quantity: l.Consumption, Price: *t.Price}}
	case Tiered:
		prev := decimal.Zero
		for _, tr := range t.Tiers {
			q := decimal.Max(l.Consumption.Sub(prev), decimal.Zero)
			name := prev.String() + "+"
			if tr.UpTo != nil {
				q = decimal.Min(q, tr.UpTo.Sub(prev))
				name = prev.String() + "-" + tr.UpTo.String()
				prev = *tr.UpTo
			}
			l.Parts = append(l.Parts, Part{Name: name, Quantity: q, Price: tr.Price})
		}
	case TimeOfUse:
		for i, b := range t.Bands {
			q := decimal.Zero
			for _, u := range l.Meters {
				q = q.Add(u.Bands[i].Quantity)
			}
			l.Parts = append(l.Parts, Part{Name: string(b.Name), Quantity: q, Price: b.Price})
		}
	}
	sum := decimal.Zero
	for i := range l.Parts {
		l.Parts[i].Amount = l.Parts[i].Quantity.Mul(l.Parts[i].Price)
		sum = sum.Add(l.Parts[i].Amount)
	}
	l.Amount = sum.Round(2)
}
