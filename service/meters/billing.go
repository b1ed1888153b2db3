package meters

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// UnitMeter is one meter bound to a unit, with what building its series needs.
type UnitMeter struct {
	Device devices.Device // Device.BindingRef is the unit's code; Device.MeterMax the modulus
	// Readings are the meter's readings in [from, to] (flagged ones included: Build
	// decides again) and its nearest unflagged reading before from and after to.
	Readings []Point
	// Replacements are those between the outermost readings loaded.
	Replacements []Replacement
}

// Series builds the meter's monotonic series (see Build).
func (m UnitMeter) Series() Series { return Build(m.Readings, m.Replacements, m.Device.MeterMax) }

// UnitMetersTx is billing's read of meters: a mall's meters of kind ("electricity",
// "water", "gas") bound to any of units (devices.binding_kind 'unit', binding_ref the
// unit's code — leasing_units.code, unique in a mall), each with its readings and
// replacements around [from, to] (the period's cut-off instants), through q so billing
// can call it inside its transaction. It makes two queries whatever the number of
// units and meters, and checks no access (billing is a system job). Ordered by unit,
// then meter id; a unit without meters is absent.
func UnitMetersTx(ctx context.Context, q storage.Querier, mallID uuid.UUID, kind string, units []string,
	from, to time.Time) ([]UnitMeter, error) {
	devs, err := devices.UnitMeters(ctx, q, mallID, kind, units)
	if err != nil || len(devs) == 0 {
		return nil, err
	}
	ids := make([]string, len(devs))
	at := make(map[string]int, len(devs))
	out := make([]UnitMeter, len(devs))
	for i, d := range devs {
		ids[i], at[d.ID], out[i].Device = d.ID, i, d
	}
	rows, err := queries.New(q).MeterHistories(ctx, queries.MeterHistoriesParams{DeviceIds: ids, FromAt: from, ToAt: to})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		m := &out[at[r.DeviceID]]
		if r.Kind == "replacement" {
			m.Replacements = append(m.Replacements, Replacement{At: r.At, OldFinal: r.OldFinal, NewStart: r.Value})
		} else {
			m.Readings = append(m.Readings, Point{At: r.At, Value: r.Value})
		}
	}
	return out, nil
}
