package iot

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices"
)

// Effect is what handling an event did: an outcome recorded with the event
// ("ok", "refused:card_frozen", …) and an optional action to run after the commit
// (a real-time notification), never before.
type Effect struct {
	Outcome     string
	AfterCommit func(ctx context.Context)
}

// Handlers apply the effect of each kind of event inside the bridge's transaction, by
// calling the services. An error rolls the event back and sends it to the dead letters
// with the error as the reason.
type Handlers interface {
	Swipe(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Swipe, receivedAt time.Time) (Effect, error)
	Reading(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Reading, receivedAt time.Time) (Effect, error)
	Checkpoint(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Checkpoint, receivedAt time.Time) (Effect, error)
	Recognition(ctx context.Context, tx pgx.Tx, dev devices.Device, ev Recognition, receivedAt time.Time) (Effect, error)
}

// ReadingBatcher is implemented by Handlers that can store a batch's meter readings at
// once (Services does): the processor then hands it every fresh reading of a batch in
// one call, in the order received, and gets their effects back in that order. An error
// rejects the call as a whole; the processor then reruns the batch event by event
// (Reading), so that only the bad reading is dead-lettered.
type ReadingBatcher interface {
	Readings(ctx context.Context, tx pgx.Tx, rs []DeviceReading) ([]Effect, error)
}

// DeviceReading is one reading of a batch for ReadingBatcher.
type DeviceReading struct {
	Dev        devices.Device
	Reading    Reading
	ReceivedAt time.Time
}

// event is one decoded, checked message ready to be applied.
type event struct {
	msg     *Message
	dev     devices.Device
	kind    string
	header  Header
	status  *Status
	payload any
}

// apply runs the handler of ev's kind.
func apply(ctx context.Context, h Handlers, tx pgx.Tx, ev event) (Effect, error) {
	switch p := ev.payload.(type) {
	case Swipe:
		return h.Swipe(ctx, tx, ev.dev, p, ev.msg.ReceivedAt)
	case Reading:
		return h.Reading(ctx, tx, ev.dev, p, ev.msg.ReceivedAt)
	case Checkpoint:
		return h.Checkpoint(ctx, tx, ev.dev, p, ev.msg.ReceivedAt)
	case Recognition:
		return h.Recognition(ctx, tx, ev.dev, p, ev.msg.ReceivedAt)
	}
	return Effect{}, ErrTopicEvent
}

// decode decodes a payload of kind; the header is returned for the event log.
func decode(kind string, b []byte) (any, Header, error) {
	switch kind {
	case EventSwipe:
		v, err := DecodeSwipe(b)
		return v, v.Header, err
	case EventReading:
		v, err := DecodeReading(b)
		return v, v.Header, err
	case EventCheckpoint:
		v, err := DecodeCheckpoint(b)
		return v, v.Header, err
	case EventRecognition:
		v, err := DecodeRecognition(b)
		return v, v.Header, err
	}
	return nil, Header{}, ErrTopicEvent
}
