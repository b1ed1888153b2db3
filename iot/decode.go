package iot

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// MaxPayload is the largest payload accepted (a camera snapshot in base64 included).
const MaxPayload = 1 << 20

// Header is what every event payload carries: an id unique per device and a time.
type Header struct {
	ID string    `json:"id"`
	TS time.Time `json:"ts"`
}

// Swipe is a card-reader event.
type Swipe struct {
	Header
	UID string `json:"uid"`
}

// Reading is a meter event: the cumulative counter value.
type Reading struct {
	Header
	Value decimal.Decimal `json:"value"`
}

// Checkpoint is a patrol event: a guard's badge scanned at a checkpoint tag.
type Checkpoint struct {
	Header
	Badge string `json:"badge"`
	Tag   string `json:"tag"` // empty: the device's bound checkpoint
}

// Recognition is a face-camera event.
type Recognition struct {
	Header
	FaceID      string  `json:"faceId"`
	Confidence  float64 `json:"confidence"`
	Snapshot    []byte  `json:"-"` // decoded from snapshotBase64
	SnapshotB64 string  `json:"snapshotBase64"`
	SnapshotURL string  `json:"snapshotUrl"`
}

// ErrMalformed wraps every decoding failure.
var ErrMalformed = errors.New("malformed payload")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// decodeJSON decodes one JSON object into v and checks the header.
func decodeJSON(b []byte, v any, h *Header) error {
	if len(b) > MaxPayload {
		return malformed("payload larger than %d bytes", MaxPayload)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return malformed("%v", err)
	}
	if d.More() {
		return malformed("trailing data after the JSON object")
	}
	if !token(h.ID, 128) {
		return malformed("id must be 1-128 printable characters")
	}
	if h.TS.IsZero() || h.TS.Year() < 2000 || h.TS.Year() > 9999 {
		return malformed("ts must be an RFC 3339 time")
	}
	return nil
}

// token reports whether s is 1..max printable, non-space characters.
func token(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// DecodeSwipe decodes a swipe payload.
func DecodeSwipe(b []byte) (Swipe, error) {
	var s Swipe
	if err := decodeJSON(b, &s, &s.Header); err != nil {
		return Swipe{}, err
	}
	if !token(s.UID, 64) {
		return Swipe{}, malformed("uid must be 1-64 printable characters")
	}
	return s, nil
}

// DecodeReading decodes a meter reading: a non-negative value with at most 3 decimals.
func DecodeReading(b []byte) (Reading, error) {
	var r Reading
	if err := decodeJSON(b, &r, &r.Header); err != nil {
		return Reading{}, err
	}
	switch {
	case r.Value.IsNegative():
		return Reading{}, malformed("value must not be negative")
	case r.Value.Exponent() < -3 && !r.Value.Equal(r.Value.Round(3)):
		return Reading{}, malformed("value has more than 3 decimals")
	case r.Value.GreaterThanOrEqual(decimal.New(1, 15)):
		return Reading{}, malformed("value too large")
	}
	return r, nil
}

// DecodeCheckpoint decodes a patrol checkpoint scan.
func DecodeCheckpoint(b []byte) (Checkpoint, error) {
	var c Checkpoint
	if err := decodeJSON(b, &c, &c.Header); err != nil {
		return Checkpoint{}, err
	}
	if !token(c.Badge, 64) {
		return Checkpoint{}, malformed("badge must be 1-64 printable characters")
	}
	if c.Tag != "" && !token(c.Tag, 64) {
		return Checkpoint{}, malformed("tag must be 1-64 printable characters")
	}
	return c, nil
}

// DecodeRecognition decodes a face recognition; faceId is empty for an unknown face.
func DecodeRecognition(b []byte) (Recognition, error) {
	var r Recognition
	if err := decodeJSON(b, &r, &r.Header); err != nil {
		return Recognition{}, err
	}
	if r.FaceID != "" && !token(r.FaceID, 128) {
		return Recognition{}, malformed("faceId must be 1-128 printable characters")
	}
	if r.Confidence < 0 || r.Confidence > 1 {
		return Recognition{}, malformed("confidence must be between 0 and 1")
	}
	if r.SnapshotB64 != "" {
		img, err := base64.StdEncoding.DecodeString(r.SnapshotB64)
		if err != nil {
			return Recognition{}, malformed("snapshotBase64: %v", err)
		}
		r.Snapshot, r.SnapshotB64 = img, ""
	}
	if r.SnapshotURL != "" && !validURL(r.SnapshotURL) {
		return Recognition{}, malformed("snapshotUrl must be an http(s) URL")
	}
	return r, nil
}

// Status is a device's retained status.
type Status struct {
	Online bool
	TS     time.Time // zero when the payload is the bare word
}

// DecodeStatus decodes "online"/"offline", bare or as {"status": "...", "ts": "..."}.
func DecodeStatus(b []byte) (Status, error) {
	switch string(bytes.TrimSpace(b)) {
	case "online":
		return Status{Online: true}, nil
	case "offline":
		return Status{}, nil
	}
	var v struct {
		Status string    `json:"status"`
		TS     time.Time `json:"ts"`
	}
	if len(b) > 4096 {
		return Status{}, malformed("status payload too large")
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return Status{}, malformed("%v", err)
	}
	if v.Status != "online" && v.Status != "offline" {
		return Status{}, malformed("status must be online or offline")
	}
	return Status{Online: v.Status == "online", TS: v.TS}, nil
}
