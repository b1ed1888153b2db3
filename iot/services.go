package iot

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"
)

// ErrNoHandler: the kind of event has no service wired.
var ErrNoHandler = errors.New("no service handles this event")

// Services hands events to the services (the Handlers used in production).
type Services struct {
	Swipes       func(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Swipe, at time.Time) (Effect, error)
	Checkpoints  func(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Checkpoint, at time.Time) (Effect, error)
	Recognitions func(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Recognition, at time.Time) (Effect, error)
}

// Swipe hands a card swipe to the arrivals service.
func (s Services) Swipe(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Swipe, at time.Time) (Effect, error) {
	if s.Swipes == nil {
		return Effect{}, ErrNoHandler
	}
	return s.Swipes(ctx, tx, dev, ev, at)
}

// Reading stores a meter reading; a backwards reading is kept, flagged.
func (s Services) Reading(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Reading, at time.Time) (Effect, error) {
	flag, err := meters.RecordTx(ctx, tx, dev, ev.ID, ev.TS, ev.Value, at)
	if flag != "" {
		return Effect{Outcome: "flagged:" + flag}, err
	}
	return Effect{}, err
}

// Checkpoint hands a patrol scan to the patrol service.
func (s Services) Checkpoint(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Checkpoint, at time.Time) (Effect, error) {
	if s.Checkpoints == nil {
		return Effect{}, ErrNoHandler
	}
	return s.Checkpoints(ctx, tx, dev, ev, at)
}

// Recognition hands a face recognition to the arrivals service.
func (s Services) Recognition(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Recognition, at time.Time) (Effect, error) {
	if s.Recognitions == nil {
		return Effect{}, ErrNoHandler
	}
	return s.Recognitions(ctx, tx, dev, ev, at)
}
