package meters

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/errs"
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
	rows, err := s.db.Pool.Query(ctx, `SELECT device_id, read_at, value, event_id, received_at, flag
		FROM meter_readings WHERE device_id = $1 AND read_at >= $2 AND read_at < $3 ORDER BY read_at`, deviceID, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Reading])
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
	rows, err := s.db.Pool.Query(ctx, `SELECT read_at, value FROM meter_readings WHERE device_id = $1
		AND read_at >= coalesce((SELECT max(read_at) FROM meter_readings WHERE device_id = $1 AND read_at <= $2 AND flag = ''), $2)
		AND read_at <= coalesce((SELECT min(read_at) FROM meter_readings WHERE device_id = $1 AND read_at >= $3 AND flag = ''), $3)`,
		d.ID, from, to)
	if err != nil {
		return Usage{}, err
	}
	pts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Point])
	if err != nil {
		return Usage{}, err
	}
	rows, err = s.db.Pool.Query(ctx, `SELECT replaced_at, old_final, new_start FROM meter_replacements
		WHERE device_id = $1 AND replaced_at <= $2 ORDER BY replaced_at`, d.ID, to)
	if err != nil {
		return Usage{}, err
	}
	reps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Replacement])
	if err != nil {
		return Usage{}, err
	}
	if len(pts) > 0 {
		reps = keepAfter(reps, pts[0].At)
	}
	return Build(pts, reps, d.MeterMax).Between(from, to), nil
}

func keepAfter(reps []Replacement, t time.Time) []Replacement {
	out := reps[:0]
	for _, r := range reps {
		if r.At.After(t) {
			out = append(out, r)
		}
	}
	return out
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
