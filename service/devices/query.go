package devices

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

const deviceCols = `d.id, d.mall_id, m.code, d.type, d.name, d.zone, d.location, d.binding_kind, d.binding_ref,
	d.enabled, d.online, d.last_seen_at, d.meter_kind, d.meter_max, d.created_at
	FROM devices d JOIN malls m ON m.id = d.mall_id `

func scanDevice(row pgx.Row) (Device, error) {
	var d Device
	var kind *string
	err := row.Scan(&d.ID, &d.MallID, &d.MallCode, &d.Type, &d.Name, &d.Zone, &d.Location, &d.BindingKind,
		&d.BindingRef, &d.Enabled, &d.Online, &d.LastSeenAt, &kind, &d.MeterMax, &d.CreatedAt)
	if kind != nil {
		d.MeterKind = *kind
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return Device{}, errs.ErrNotFound
	}
	return d, err
}

// Lookup returns a device without an access check (the bridge and the broker use it).
func (s *Service) Lookup(ctx context.Context, q storage.Querier, id string) (Device, error) {
	return scanDevice(q.QueryRow(ctx, `SELECT `+deviceCols+`WHERE d.id = $1`, id))
}

// Get returns a device the viewer may see: staff of its mall with one of roles
// (admin, maintenance or security when none are given).
func (s *Service) Get(ctx context.Context, id string, roles ...auth.Role) (Device, error) {
	d, err := s.Lookup(ctx, s.db.Pool, id)
	if err != nil {
		return Device{}, err
	}
	if len(roles) == 0 {
		roles = viewRoles
	}
	if err := s.authorize(ctx, d.MallID, roles...); err != nil {
		return Device{}, errs.ErrNotFound
	}
	return d, nil
}

var viewRoles = []auth.Role{auth.RoleAdmin, auth.RoleMaintenance, auth.RoleSecurity}

// List returns up to first of a mall's devices after the device id after (""),
// optionally of one type, and whether there are more.
func (s *Service) List(ctx context.Context, mallID uuid.UUID, typ Type, after string, first int) ([]Device, bool, error) {
	if first <= 0 || first > page.MaxFirst {
		first = page.DefaultFirst
	}
	if err := s.authorize(ctx, mallID, viewRoles...); err != nil {
		return nil, false, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT `+deviceCols+`WHERE d.mall_id = $1 AND ($2 = '' OR d.type = $2)
		AND d.id > $3 ORDER BY d.id LIMIT $4`, mallID, string(typ), after, first+1)
	if err != nil {
		return nil, false, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Device, error) { return scanDevice(r) })
	if err != nil {
		return nil, false, err
	}
	if len(out) > first {
		return out[:first], true, nil
	}
	return out, false, nil
}

// authorize checks that the viewer is staff of the mall with one of roles.
func (s *Service) authorize(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) error {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return errs.ErrUnauthenticated
	}
	ref, err := org.New(org.Deps{DB: s.db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)}).MallRef(ctx, mallID)
	if err != nil {
		return errs.ErrForbidden
	}
	if !v.Can(ref, roles...) {
		return errs.ErrForbidden
	}
	return nil
}

// LookupMany returns the devices with ids that exist, by id, without an access check.
func LookupMany(ctx context.Context, q storage.Querier, ids []string) (map[string]Device, error) {
	rows, err := q.Query(ctx, `SELECT `+deviceCols+`WHERE d.id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Device, error) { return scanDevice(r) })
	out := make(map[string]Device, len(list))
	for _, d := range list {
		out[d.ID] = d
	}
	return out, err
}
