package meters

import (
	"context"
	"time"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/meters/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// MeterTx returns the meter device id through q, without an access check (the assets
// context checks a maintenance plan's meter is one of the mall's): NOT_FOUND when it is
// no meter.
func MeterTx(ctx context.Context, q storage.Querier, id string) (devices.Device, error) {
	ds, err := devices.LookupMany(ctx, q, []string{id})
	if err != nil {
		return devices.Device{}, err
	}
	d, ok := ds[id]
	if !ok || d.Type != devices.Meter {
		return devices.Device{}, errs.ErrNotFound
	}
	return d, nil
}

// UsageTx is a meter's consumption from from to to, read through q without an access
// check: the assets context's usage-based maintenance plans (a system job) read it.
func UsageTx(ctx context.Context, q storage.Querier, id string, from, to time.Time) (Usage, error) {
	d, err := MeterTx(ctx, q, id)
	if err != nil {
		return Usage{}, err
	}
	series, err := seriesOf(ctx, queries.New(q), d, from, to)
	if err != nil {
		return Usage{}, err
	}
	return series.Between(from, to), nil
}
