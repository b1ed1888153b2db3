// Package meters is meter readings: cumulative counters (electricity kWh, water and gas
// m³) per meter device, meter replacements, and consumption per meter and per unit for
// a period, correct under out-of-order arrival, rollover, replacement and gaps.
package meters

import (
	"time"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the meters context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Devices *devices.Service // meters are devices: lookups and access go through the registry
	Now     func() time.Time
}

// Service is the meters context.
type Service struct {
	db      *storage.DB
	devices *devices.Service
	now     func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("meters", d)
	return &Service{db: d.DB, devices: d.Devices, now: d.Now}
}
