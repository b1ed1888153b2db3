// Package iot is Atrium's MQTT bridge: it subscribes to device topics, decodes and
// checks payloads, and hands each event to the services in a transaction that also
// records the event id, so duplicates have no second effect; everything it cannot
// process goes to the dead letters. It also runs the embedded broker used when no
// external broker is configured. Business rules live in service/, not here.
package iot

import (
	"errors"
	"strings"

	"github.com/atrium-mall/atrium/service/devices"
)

// DefaultRoot is the first segment of every device topic.
const DefaultRoot = "atrium"

// The events a device publishes.
const (
	EventSwipe       = "swipe"
	EventReading     = "reading"
	EventCheckpoint  = "checkpoint"
	EventRecognition = "recognition"
	EventStatus      = "status"
)

// eventOf is the one data event each device type publishes (status aside).
var eventOf = map[devices.Type]string{
	devices.CardReader: EventSwipe,
	devices.Meter:      EventReading,
	devices.Patrol:     EventCheckpoint,
	devices.FaceCamera: EventRecognition,
}

// Topic is a parsed device topic {root}/{mallCode}/{deviceType}/{deviceId}/{event}.
type Topic struct {
	MallCode string
	Type     devices.Type
	DeviceID string
	Event    string
}

// String formats t under root.
func (t Topic) String(root string) string {
	return strings.Join([]string{root, t.MallCode, string(t.Type), t.DeviceID, t.Event}, "/")
}

// Topic parse errors.
var (
	ErrTopicShape = errors.New("topic is not {root}/{mall}/{type}/{device}/{event}")
	ErrTopicType  = errors.New("unknown device type in topic")
	ErrTopicEvent = errors.New("unknown event for this device type")
)

// ParseTopic parses a device topic under root. It checks the shape, the device type,
// that the event belongs to that type, and that the mall and device segments are ids.
func ParseTopic(root, topic string) (Topic, error) {
	parts := strings.Split(topic, "/")
	if len(parts) != 5 || parts[0] != root {
		return Topic{}, ErrTopicShape
	}
	t := Topic{MallCode: parts[1], Type: devices.Type(parts[2]), DeviceID: parts[3], Event: parts[4]}
	if !devices.ValidID(t.MallCode) || !devices.ValidID(t.DeviceID) {
		return Topic{}, ErrTopicShape
	}
	if !t.Type.Valid() {
		return Topic{}, ErrTopicType
	}
	if t.Event != EventStatus && t.Event != eventOf[t.Type] {
		return Topic{}, ErrTopicEvent
	}
	return t, nil
}
