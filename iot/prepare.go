package iot

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/atrium-mall/atrium/service/devices"
)

// prepare parses topics, looks the devices up, checks them and decodes payloads.
// What fails becomes a dead letter with the reason.
func (p *Processor) prepare(ctx context.Context, msgs []*Message) ([]event, []devices.DeadLetter, error) {
	topics := make([]Topic, len(msgs))
	errs := make([]error, len(msgs))
	var ids []string
	for i, m := range msgs {
		topics[i], errs[i] = ParseTopic(p.Root, m.Topic)
		if errs[i] == nil {
			ids = append(ids, topics[i].DeviceID)
		} else if t, ok := wrongEvent(p.Root, m.Topic, errs[i]); ok {
			topics[i] = t // a known shape: the dead letter is filed under the device's mall
			ids = append(ids, t.DeviceID)
		}
	}
	devs, err := devices.LookupMany(ctx, p.DB.Pool, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("look up devices: %w", err)
	}
	var evs []event
	var dead []devices.DeadLetter
	for i, m := range msgs {
		if errs[i] != nil {
			dead = append(dead, deadLetter(m, topicReason(topics[i], errs[i]), ownDevice(topics[i], devs)))
			continue
		}
		if topics[i].Event == EventStatus && len(m.Payload) == 0 {
			continue // a retained status being cleared: nothing to do
		}
		ev, reason := check(topics[i], devs, m)
		if reason != "" {
			var d *devices.Device
			if dv, ok := devs[topics[i].DeviceID]; ok {
				d = &dv
			}
			dead = append(dead, deadLetter(m, reason, d))
			continue
		}
		evs = append(evs, ev)
	}
	return evs, dead, nil
}

// check validates the device behind a topic and decodes the payload.
func check(t Topic, devs map[string]devices.Device, m *Message) (event, string) {
	d, ok := devs[t.DeviceID]
	switch {
	case !ok:
		return event{}, "unknown device"
	case !d.Enabled:
		return event{}, "disabled device"
	case d.MallCode != t.MallCode || d.Type != t.Type:
		return event{}, "topic does not match the device's mall and type"
	}
	ev := event{msg: m, dev: d, kind: t.Event}
	if t.Event == EventStatus {
		st, err := DecodeStatus(m.Payload)
		if err != nil {
			return event{}, err.Error()
		}
		ev.status = &st
		return ev, ""
	}
	v, h, err := decode(t.Event, m.Payload)
	if err != nil {
		return event{}, err.Error()
	}
	ev.payload, ev.header = v, h
	return ev, ""
}

// wrongEvent recognises a well-formed topic whose event its device type does not send
// (a meter publishing on …/swipe, or an unknown event), so that its dead letter can be
// filed under the device and its mall, where staff see it (deadLetters(mallId:)).
func wrongEvent(root, topic string, err error) (Topic, bool) {
	if !errors.Is(err, ErrTopicEvent) {
		return Topic{}, false
	}
	parts := strings.Split(topic, "/")
	return Topic{MallCode: parts[1], Type: devices.Type(parts[2]), DeviceID: parts[3], Event: parts[4]}, true
}

// topicReason says why a topic was refused.
func topicReason(t Topic, err error) string {
	if errors.Is(err, ErrTopicEvent) && t.DeviceID != "" {
		return fmt.Sprintf("a %s does not send %q events", t.Type, t.Event)
	}
	return err.Error()
}

// ownDevice is the device a refused topic names, when it exists at the topic's mall
// with the topic's type (a dead letter is never filed under another mall's device).
func ownDevice(t Topic, devs map[string]devices.Device) *devices.Device {
	d, ok := devs[t.DeviceID]
	if !ok || t.DeviceID == "" || d.MallCode != t.MallCode || d.Type != t.Type {
		return nil
	}
	return &d
}

// MaxDeadPayload is how much of a refused payload a dead letter keeps; a longer one
// keeps this prefix and says its size and SHA-256 in the reason.
const MaxDeadPayload = 4 << 10

// deadLetter builds the dead letter of m.
func deadLetter(m *Message, reason string, d *devices.Device) devices.DeadLetter {
	payload := m.Payload
	if len(payload) > MaxDeadPayload {
		reason = fmt.Sprintf("%s (payload of %d bytes, sha256 %x, first %d kept)", reason, len(payload),
			sha256.Sum256(payload), MaxDeadPayload)
		payload = payload[:MaxDeadPayload]
	}
	l := devices.DeadLetter{Topic: clean(m.Topic), Payload: payload, Reason: clean(reason), ReceivedAt: m.ReceivedAt}
	if d != nil {
		l.DeviceID, l.MallID = d.ID, &d.MallID
	}
	if len(l.Payload) == 0 {
		l.Payload = []byte{}
	}
	return l
}

// clean makes s storable as PostgreSQL text (valid UTF-8, no NUL), at most 1000 bytes.
func clean(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "?"), "\x00", "?")
	if len(s) > 1000 {
		s = strings.ToValidUTF8(s[:1000], "")
	}
	return s
}
