package iot

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/patrol"
)

// ErrNoHandler: the kind of event has no service wired.
var ErrNoHandler = errors.New("no service handles this event")

// ErrNoTag: a checkpoint scan names no tag and the device is bound to none.
var ErrNoTag = errors.New("checkpoint scan without a tag from an unbound device")

// Services hands events to the services (the Handlers used in production). Meter
// readings and patrol scans need only the transaction; swipes and recognitions need
// the arrivals service (nil: such events are dead-lettered).
type Services struct {
	Arrivals *arrivals.Service
	// Anomalies hears of backwards meter readings and of consumption far above the
	// meter's rolling average (meters.DefaultHighRule) in the reading's transaction (the
	// work-orders context opens one order per meter and kind); nil: backwards readings
	// are only flagged and consumption is not checked.
	Anomalies MeterAnomalies
}

// MeterAnomalies is told of a meter reading that went backwards, and of a meter whose
// last 24 hours' consumption is far above its rolling average.
type MeterAnomalies interface {
	MeterBackwards(ctx context.Context, tx pgx.Tx, dev devices.Device, value decimal.Decimal) error
	MeterHighConsumption(ctx context.Context, tx pgx.Tx, dev devices.Device, v meters.Verdict) error
}

// anomaly hands a flagged reading to Anomalies; an unflagged one is checked against
// the meter's rolling average when check is set (a batch checks each meter once, at
// its last reading).
func (s Services) anomaly(ctx context.Context, tx pgx.Tx, dev devices.Device, flag string, value decimal.Decimal,
	at time.Time, check bool) error {
	switch {
	case s.Anomalies == nil:
		return nil
	case flag == meters.FlagBackwards:
		return s.Anomalies.MeterBackwards(ctx, tx, dev, value)
	case flag != "" || !check:
		return nil
	}
	v, err := meters.CheckHighTx(ctx, tx, dev, at, meters.DefaultHighRule)
	if err != nil || !v.High {
		return err
	}
	return s.Anomalies.MeterHighConsumption(ctx, tx, dev, v)
}

// Swipe records a card-reader visit; a refused card is recorded, with its reason as
// the event's outcome. At a reader bound to a bookable resource (a lounge) the outcome
// says what happened to the member's booking (redeemed, no_booking, …).
func (s Services) Swipe(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Swipe, _ time.Time) (Effect, error) {
	if s.Arrivals == nil {
		return Effect{}, ErrNoHandler
	}
	in := arrivals.Swipe{MallID: dev.MallID, DeviceID: dev.ID, UID: ev.UID, At: ev.TS}
	if dev.BindingKind == "resource" {
		in.Resource = dev.BindingRef
	}
	v, err := s.Arrivals.SwipeTx(ctx, tx, in)
	switch {
	case err != nil:
		return Effect{}, err
	case v.Result == "ok":
		return Effect{Outcome: v.Lounge, AfterCommit: v.AfterCommit}, nil
	}
	return Effect{Outcome: "refused:" + v.Reason}, nil
}

// Reading stores a meter reading; a backwards reading is kept, flagged.
func (s Services) Reading(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Reading, at time.Time) (Effect, error) {
	flag, err := meters.RecordTx(ctx, tx, dev, ev.ID, ev.TS, ev.Value, at)
	if err == nil {
		err = s.anomaly(ctx, tx, dev, flag, ev.Value, ev.TS, true)
	}
	if flag != "" {
		return Effect{Outcome: "flagged:" + flag}, err
	}
	return Effect{}, err
}

// Readings stores a batch's meter readings, as Reading would one after the other.
func (s Services) Readings(ctx context.Context, tx pgx.Tx, rs []DeviceReading) ([]Effect, error) {
	in := make([]meters.NewReading, len(rs))
	for i, r := range rs {
		in[i] = meters.NewReading{Dev: r.Dev, EventID: r.Reading.ID, At: r.Reading.TS, Value: r.Reading.Value,
			ReceivedAt: r.ReceivedAt}
	}
	flags, err := meters.RecordManyTx(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	last := map[string]int{} // each meter's latest reading of the batch
	for i, r := range rs {
		if j, ok := last[r.Dev.ID]; !ok || !r.Reading.TS.Before(rs[j].Reading.TS) {
			last[r.Dev.ID] = i
		}
	}
	fxs := make([]Effect, len(rs))
	for i, f := range flags {
		if f != "" {
			fxs[i].Outcome = "flagged:" + f
		}
		if err := s.anomaly(ctx, tx, rs[i].Dev, f, rs[i].Reading.Value, rs[i].Reading.TS, last[rs[i].Dev.ID] == i); err != nil {
			return nil, err
		}
	}
	return fxs, nil
}

// Checkpoint records a patrol scan (the tag defaults to the device's bound checkpoint).
func (s Services) Checkpoint(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Checkpoint, _ time.Time) (Effect, error) {
	tag := ev.Tag
	if tag == "" && dev.BindingKind == "checkpoint" {
		tag = dev.BindingRef
	}
	if tag == "" {
		return Effect{}, ErrNoTag
	}
	known, err := patrol.ScanTx(ctx, tx, patrol.Scan{MallID: dev.MallID, DeviceID: dev.ID, Badge: ev.Badge, Tag: tag, At: ev.TS})
	if err != nil || known {
		return Effect{}, err
	}
	return Effect{Outcome: "unknown_tag"}, nil
}

// Recognition records a consenting member's arrival (unknown faces store nothing).
func (s Services) Recognition(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Recognition, _ time.Time) (Effect, error) {
	if s.Arrivals == nil {
		return Effect{}, ErrNoHandler
	}
	a, after, err := s.Arrivals.RecognizeTx(ctx, tx, arrivals.Recognition{MallID: dev.MallID, DeviceID: dev.ID,
		Entrance: dev.BindingRef, EventID: ev.ID, FaceID: ev.FaceID, At: ev.TS, Snapshot: ev.Snapshot, SnapshotURL: ev.SnapshotURL})
	if err != nil {
		return Effect{}, err
	}
	if a == nil {
		return Effect{Outcome: "unknown_face"}, nil
	}
	return Effect{AfterCommit: after}, nil
}
