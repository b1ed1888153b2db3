package iot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errBridgeStopped: the bridge stopped before a delivered message was committed.
var errBridgeStopped = errors.New("iot bridge stopped")

// deliver hands one message straight to the bridge's worker (the embedded broker's
// Direct mode, bypassing MQTT) and returns once its batch is committed — the
// broker acknowledges the device only then. An error means it may not have been
// committed: the device is not acknowledged and publishes it again (the event id makes
// a repeat harmless).
func (b *Bridge) deliver(ctx context.Context, topic string, payload []byte) error {
	done := make(chan struct{})
	var once sync.Once
	m := &Message{Topic: topic, Payload: payload, ReceivedAt: time.Now(), Ack: func() { once.Do(func() { close(done) }) }}
	select {
	case b.queue <- m:
	case <-b.quit:
		return errBridgeStopped
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-b.quit:
	case <-ctx.Done():
	}
	select {
	case <-done: // committed just as the bridge stopped
		return nil
	default:
		return errors.Join(errBridgeStopped, ctx.Err())
	}
}
