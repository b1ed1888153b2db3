package devices

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/devices/internal/queries"
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
	if _, err := s.authorize(ctx, n.MallID, auth.RoleAdmin, auth.RoleMaintenance); err != nil {
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
	if err := s.insert(ctx, n, h); err != nil {
		return Device{}, "", err
	}
	d, err := s.Lookup(ctx, s.db.Pool, n.ID)
	return d, password, err
}

// insert stores n with the password hash h.
func (s *Service) insert(ctx context.Context, n NewDevice, h string) error {
	var meterKind *string
	if n.Type == Meter {
		meterKind = &n.MeterKind
	}
	err := queries.New(s.db.Pool).InsertDevice(ctx, queries.InsertDeviceParams{ID: n.ID, MallID: n.MallID,
		Type: string(n.Type), Name: n.Name, Zone: n.Zone, Location: n.Location, BindingKind: n.BindingKind,
		BindingRef: n.BindingRef, PasswordHash: h, MeterKind: meterKind, MeterMax: n.MeterMax, CreatedAt: s.now()})
	switch err = storage.MapError(err); {
	case errors.Is(err, storage.ErrConflict):
		return ErrDeviceExists.At("input", "id")
	case errors.Is(err, storage.ErrForeignKey):
		return errs.Invalid("input.mallId", "no such mall")
	case err != nil:
		return fmt.Errorf("insert device: %w", err)
	}
	return nil
}

// SetEnabled enables or disables a device; a disabled device cannot connect to the
// embedded broker and its events go to the dead letters.
func (s *Service) SetEnabled(ctx context.Context, id string, enabled bool) (Device, error) {
	d, err := s.Get(ctx, id, auth.RoleAdmin, auth.RoleMaintenance)
	if err != nil {
		return Device{}, err
	}
	change := Disable
	if enabled {
		change = Enable
	}
	to, err := statuses.Next(change, d.Status())
	if err != nil {
		return Device{}, err
	}
	d.Enabled = to == StatusEnabled
	if err := queries.New(s.db.Pool).SetDeviceEnabled(ctx, d.Enabled, id); err != nil {
		return Device{}, fmt.Errorf("set device %s %s: %w", id, to, err)
	}
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
	return password, queries.New(s.db.Pool).SetDevicePassword(ctx, h, id)
}

// Authenticate checks a device's MQTT credentials (username = device id) and returns
// the device if they match and it is enabled. Used by the embedded broker.
func (s *Service) Authenticate(ctx context.Context, id, password string) (Device, error) {
	h, err := queries.New(s.db.Pool).EnabledDevicePassword(ctx, id)
	if err != nil {
		s.pw.CheckNoUser(password)
		return Device{}, ErrBadCredential
	}
	if !s.pw.Check(h, password) {
		return Device{}, ErrBadCredential
	}
	return s.Lookup(ctx, s.db.Pool, id)
}
