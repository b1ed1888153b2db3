package devices

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/devices/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// device is a registry row as a Device; its MallCode is the caller's to fill.
func device(r queries.DeviceByIDRow) Device {
	d := Device{ID: r.ID, MallID: r.MallID, Type: Type(r.Type), Name: r.Name, Zone: r.Zone, Location: r.Location,
		BindingKind: r.BindingKind, BindingRef: r.BindingRef, Enabled: r.Enabled, Online: r.Online,
		LastSeenAt: r.LastSeenAt, MeterMax: r.MeterMax, CreatedAt: r.CreatedAt}
	if r.MeterKind != nil {
		d.MeterKind = *r.MeterKind
	}
	return d
}

// lookup reads a device through q without its mall's code; an unknown id is NOT_FOUND.
func lookup(ctx context.Context, q storage.Querier, id string) (Device, error) {
	r, err := queries.New(q).DeviceByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Device{}, errs.ErrNotFound
	} else if err != nil {
		return Device{}, err
	}
	return device(r), nil
}

// Lookup returns a device without an access check (the bridge and the broker use it).
func (s *Service) Lookup(ctx context.Context, q storage.Querier, id string) (Device, error) {
	d, err := lookup(ctx, q, id)
	if err != nil {
		return Device{}, err
	}
	p, err := s.org.MallPlace(ctx, q, d.MallID)
	if err != nil {
		return Device{}, fmt.Errorf("mall of device %s: %w", id, err)
	}
	d.MallCode = p.MallCode
	return d, nil
}

// Get returns a device the viewer may see: staff of its mall with one of roles
// (admin, maintenance or security when none are given).
func (s *Service) Get(ctx context.Context, id string, roles ...auth.Role) (Device, error) {
	d, err := lookup(ctx, s.db.Pool, id)
	if err != nil {
		return Device{}, err
	}
	if len(roles) == 0 {
		roles = viewRoles
	}
	p, err := s.authorize(ctx, d.MallID, roles...)
	if err != nil {
		return Device{}, errs.ErrNotFound
	}
	d.MallCode = p.MallCode
	return d, nil
}

var viewRoles = []auth.Role{auth.RoleAdmin, auth.RoleMaintenance, auth.RoleSecurity}

// List returns up to first of a mall's devices after the device id after (""),
// optionally of one type, and whether there are more.
func (s *Service) List(ctx context.Context, mallID uuid.UUID, typ Type, after string, first int) ([]Device, bool, error) {
	if first <= 0 || first > page.MaxFirst {
		first = page.DefaultFirst
	}
	p, err := s.authorize(ctx, mallID, viewRoles...)
	if err != nil {
		return nil, false, err
	}
	rows, err := queries.New(s.db.Pool).DevicesOfMall(ctx, queries.DevicesOfMallParams{MallID: mallID, Type: string(typ),
		After: after, Lim: int32(first + 1)})
	if err != nil {
		return nil, false, err
	}
	out := make([]Device, 0, len(rows))
	for _, r := range rows {
		d := device(queries.DeviceByIDRow(r))
		d.MallCode = p.MallCode
		out = append(out, d)
	}
	if len(out) > first {
		return out[:first], true, nil
	}
	return out, false, nil
}

// authorize checks that the viewer is staff of the mall with one of roles, and returns
// the mall (an unknown mall is FORBIDDEN).
func (s *Service) authorize(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// LookupMany returns the devices with ids that exist, by id, without an access check.
// ids may repeat (a batch names each device once per message); each is looked up once.
func LookupMany(ctx context.Context, q storage.Querier, ids []string) (map[string]Device, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	rows, err := queries.New(q).DevicesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Device, len(rows))
	for _, r := range rows {
		d := device(queries.DeviceByIDRow{ID: r.ID, MallID: r.MallID, Type: r.Type, Name: r.Name, Zone: r.Zone,
			Location: r.Location, BindingKind: r.BindingKind, BindingRef: r.BindingRef, Enabled: r.Enabled,
			Online: r.Online, LastSeenAt: r.LastSeenAt, MeterKind: r.MeterKind, MeterMax: r.MeterMax,
			CreatedAt: r.CreatedAt})
		d.MallCode = r.MallCode
		out[d.ID] = d
	}
	return out, nil
}

// UnitMeters returns a mall's meters of kind ("electricity", "water", "gas") bound to
// any of the units (binding_kind 'unit', binding_ref the unit's code, as the registry
// and the meters tests bind them), through q and without an access check: billing
// reads them inside its bill run's transaction. Ordered by unit, then id.
func UnitMeters(ctx context.Context, q storage.Querier, mallID uuid.UUID, kind string, units []string) ([]Device, error) {
	rows, err := queries.New(q).MetersOfUnits(ctx, queries.MetersOfUnitsParams{MallID: mallID, MeterKind: kind,
		Refs: units})
	if err != nil {
		return nil, err
	}
	out := make([]Device, len(rows))
	for i, r := range rows {
		out[i] = device(queries.DeviceByIDRow(r))
	}
	return out, nil
}
