package devices

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// NewDevice is the input of Register.
type NewDevice struct {
	ID          string
	MallID      uuid.UUID
	Type        Type
	Name        string
	Zone        string
	Location    string
	BindingKind string
	BindingRef  string
	MeterKind   string
	MeterMax    *decimal.Decimal
}

var bindingFor = map[Type]string{Meter: "unit", Patrol: "checkpoint", FaceCamera: "entrance", CardReader: "entrance"}

func (n NewDevice) validate() error {
	switch {
	case !ValidID(n.ID):
		return errs.Invalid("input.id", "a device id is 1-64 letters, digits, '_' or '-'")
	case !n.Type.Valid():
		return errs.Invalid("input.type", "unknown device type %q", n.Type)
	case n.Type == CardReader && n.BindingKind == "resource":
		if _, err := uuid.Parse(n.BindingRef); err != nil {
			return errs.Invalid("input.bindingRef", "a lounge reader binds to a bookable resource id")
		}
	case n.BindingKind != "" && n.BindingKind != bindingFor[n.Type]:
		return errs.Invalid("input.bindingKind", "a %s binds to a %s", n.Type, bindingFor[n.Type])
	case n.Type == Meter && n.MeterKind != "electricity" && n.MeterKind != "water" && n.MeterKind != "gas":
		return errs.Invalid("input.meterKind", "a meter is electricity, water or gas")
	case n.MeterMax != nil && !n.MeterMax.IsPositive():
		return errs.Invalid("input.meterMax", "the counter maximum must be positive")
	}
	return nil
}

// Register creates a device and returns it with its MQTT password, shown only once
// (only its hash is stored). Admins and maintenance staff of the mall may register.
func (s *Service) Register(ctx context.Context, n NewDevice) (Device, string, error) {
	if err := s.authorize(ctx, n.MallID, auth.RoleAdmin, auth.RoleMaintenance); err != nil {
		return Device{}, "", err
	}
	return s.RegisterUnchecked(ctx, n)
}

// RegisterUnchecked is Register without the access check (seeding, tests, the lead's
// bootstrap).
func (s *Service) RegisterUnchecked(ctx context.Context, n NewDevice) (Device, string, error) {
	if err := n.validate(); err != nil {
		return Device{}, "", err
	}
	if n.BindingKind == "" && n.BindingRef != "" {
		n.BindingKind = bindingFor[n.Type]
	}
	password := newPassword()
	h, err := s.pw.Hash(password)
	if err != nil {
		return Device{}, "", err
	}
	var meterKind *string
	if n.Type == Meter {
		meterKind = &n.MeterKind
	}
	_, err = s.db.Pool.Exec(ctx, `INSERT INTO devices (id, mall_id, type, name, zone, location, binding_kind,
		binding_ref, password_hash, meter_kind, meter_max, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
		n.ID, n.MallID, n.Type, n.Name, n.Zone, n.Location, n.BindingKind, n.BindingRef, h, meterKind, n.MeterMax, s.now())
	if err = storage.MapError(err); errors.Is(err, storage.ErrConflict) {
		return Device{}, "", ErrDeviceExists.At("input", "id")
	} else if errors.Is(err, storage.ErrForeignKey) {
		return Device{}, "", errs.Invalid("input.mallId", "no such mall")
	} else if err != nil {
		return Device{}, "", fmt.Errorf("insert device: %w", err)
	}
	d, err := s.Lookup(ctx, s.db.Pool, n.ID)
	return d, password, err
}

// SetEnabled enables or disables a device; a disabled device cannot connect to the
// embedded broker and its events go to the dead letters.
func (s *Service) SetEnabled(ctx context.Context, id string, enabled bool) (Device, error) {
	d, err := s.Get(ctx, id, auth.RoleAdmin, auth.RoleMaintenance)
	if err != nil {
		return Device{}, err
	}
	if _, err := s.db.Pool.Exec(ctx, `UPDATE devices SET enabled = $2 WHERE id = $1`, id, enabled); err != nil {
		return Device{}, err
	}
	d.Enabled = enabled
	return d, nil
}

// RotatePassword sets a new MQTT password and returns it (shown once).
func (s *Service) RotatePassword(ctx context.Context, id string) (string, error) {
	if _, err := s.Get(ctx, id, auth.RoleAdmin, auth.RoleMaintenance); err != nil {
		return "", err
	}
	password := newPassword()
	h, err := s.pw.Hash(password)
	if err != nil {
		return "", err
	}
	_, err = s.db.Pool.Exec(ctx, `UPDATE devices SET password_hash = $2 WHERE id = $1`, id, h)
	return password, err
}

// Authenticate checks a device's MQTT credentials (username = device id) and returns
// the device if they match and it is enabled. Used by the embedded broker.
func (s *Service) Authenticate(ctx context.Context, id, password string) (Device, error) {
	var h string
	err := s.db.Pool.QueryRow(ctx, `SELECT password_hash FROM devices WHERE id = $1 AND enabled`, id).Scan(&h)
	if err != nil {
		s.pw.CheckNoUser(password)
		return Device{}, ErrBadCredential
	}
	if !s.pw.Check(h, password) {
		return Device{}, ErrBadCredential
	}
	return s.Lookup(ctx, s.db.Pool, id)
}
