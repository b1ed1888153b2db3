package iot

import (
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// fakeMsg is an MQTT message for the callback.
type fakeMsg struct {
	mqtt.Message
	topic string
}

func (m fakeMsg) Topic() string   { return m.topic }
func (m fakeMsg) Payload() []byte { return nil }
func (m fakeMsg) Ack()            {}

// TestReceiveBlocksWhenFull: the MQTT callback blocks while the buffer is full (so the
// broker keeps the messages), resumes when the worker drains it, and is released by Stop.
func TestReceiveBlocksWhenFull(t *testing.T) {
	t.Parallel()
	b := NewBridge(BridgeConfig{Buffer: 1}, &Processor{}, nil)
	b.receive(nil, fakeMsg{topic: "a"})
	done := make(chan struct{})
	go func() { b.receive(nil, fakeMsg{topic: "b"}); close(done) }()
	select {
	case <-done:
		t.Fatal("callback did not block on a full buffer")
	case <-time.After(50 * time.Millisecond):
	}
	if m := <-b.queue; m.Topic != "a" {
		t.Fatalf("first message %q", m.Topic)
	}
	<-done // unblocked by the drain
	go func() { b.receive(nil, fakeMsg{topic: "c"}); b.receive(nil, fakeMsg{topic: "d"}) }()
	close(b.quit) // Stop releases a blocked callback
	if len(b.queue) != 1 {
		t.Fatalf("queue holds %d, want 1 (bounded)", len(b.queue))
	}
}
