package meters

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/meters/internal/queries"
)

// Reading is a stored reading.
type Reading struct {
	DeviceID   string
	At         time.Time
	Value      decimal.Decimal
	EventID    string
	ReceivedAt time.Time
	Flag       string
}

var readRoles = []auth.Role{auth.RoleAdmin, auth.RoleMaintenance, auth.RoleFinance}

// meter returns the meter device if the viewer may read it.
func (s *Service) meter(ctx context.Context, id string, roles ...auth.Role) (devices.Device, error) {
	d, err := s.devices.Get(ctx, id, roles...)
	if err != nil {
		return d, err
	}
	if d.Type != devices.Meter {
		return d, errs.ErrNotFound
	}
	return d, nil
}

// Readings returns a meter's readings in [from, to), flagged ones included.
func (s *Service) Readings(ctx context.Context, deviceID string, from, to time.Time) ([]Reading, error) {
	if _, err := s.meter(ctx, deviceID, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ReadingsBetween(ctx, queries.ReadingsBetweenParams{DeviceID: deviceID,
		FromAt: from, ToAt: to})
	if err != nil {
		return nil, err
	}
	out := make([]Reading, len(rows))
	for i, r := range rows {
		out[i] = Reading{DeviceID: r.DeviceID, At: r.ReadAt, Value: r.Value, EventID: r.EventID,
			ReceivedAt: r.ReceivedAt, Flag: r.Flag}
	}
	return out, nil
}

// Consumption returns a meter's consumption from from to to.
func (s *Service) Consumption(ctx context.Context, deviceID string, from, to time.Time) (Usage, error) {
	d, err := s.meter(ctx, deviceID, readRoles...)
	if err != nil {
		return Usage{}, err
	}
	return s.usage(ctx, d, from, to)
}

// usage loads the readings spanning [from, to] (the neighbours outside included) and
// the replacements in between, and computes the consumption.
func (s *Service) usage(ctx context.Context, d devices.Device, from, to time.Time) (Usage, error) {
	series, err := seriesOf(ctx, queries.New(s.db.Pool), d, from, to)
	if err != nil {
		return Usage{}, err
	}
	return series.Between(from, to), nil
}

// seriesOf builds a meter's monotonic series from its readings spanning [from, to]
// (the neighbours outside included) and its replacements until to.
func seriesOf(ctx context.Context, q *queries.Queries, d devices.Device, from, to time.Time) (Series, error) {
	rows, err := q.ReadingsSpanning(ctx, queries.ReadingsSpanningParams{DeviceID: d.ID, FromAt: from, ToAt: to})
	if err != nil {
		return Series{}, fmt.Errorf("readings of %s: %w", d.ID, err)
	}
	pts := make([]Point, len(rows))
	for i, r := range rows {
		pts[i] = Point{At: r.ReadAt, Value: r.Value}
	}
	list, err := q.ReplacementsUntil(ctx, d.ID, to)
	if err != nil {
		return Series{}, fmt.Errorf("replacements of %s: %w", d.ID, err)
	}
	reps := make([]Replacement, len(list))
	for i, r := range list {
		reps[i] = Replacement{At: r.ReplacedAt, OldFinal: r.OldFinal, NewStart: r.NewStart}
	}
	return Build(pts, reps, d.MeterMax), nil
}

// UnitConsumption sums the consumption of a mall's meters of a kind bound to a unit.
func (s *Service) UnitConsumption(ctx context.Context, mallID uuid.UUID, unit, kind string, from, to time.Time) (Usage, error) {
	list, _, err := s.devices.List(ctx, mallID, devices.Meter, "", 100)
	if err != nil {
		return Usage{}, err
	}
	var total Usage
	for _, d := range list {
		if d.BindingRef != unit || d.MeterKind != kind {
			continue
		}
		u, err := s.usage(ctx, d, from, to)
		if err != nil {
			return Usage{}, err
		}
		total.Amount = total.Amount.Add(u.Amount)
		total.Partial = total.Partial || u.Partial
		total.Estimated = total.Estimated || u.Estimated
		total.MaxGap = max(total.MaxGap, u.MaxGap)
	}
	return total, nil
}
