// Package meters is meter readings: cumulative counters (electricity kWh, water and gas
// m³) per meter device, meter replacements, and consumption per meter and per unit for
// a period, correct under out-of-order arrival, rollover, replacement and gaps.
package meters

import (
	"time"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
)

// Service is the meters context.
type Service struct {
	db      *storage.DB
	devices *devices.Service
	now     func() time.Time
}

// New returns the service.
func New(db *storage.DB, devs *devices.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, devices: devs, now: now}
}
