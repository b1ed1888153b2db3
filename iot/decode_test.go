package iot

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/atrium-mall/atrium/service/devices"
)

func TestParseTopic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		topic string
		want  Topic
		err   error
	}{
		{"atrium/M1/meter/m-01/reading", Topic{"M1", devices.Meter, "m-01", EventReading}, nil},
		{"atrium/M1/card-reader/r1/swipe", Topic{"M1", devices.CardReader, "r1", EventSwipe}, nil},
		{"atrium/M1/patrol/p1/checkpoint", Topic{"M1", devices.Patrol, "p1", EventCheckpoint}, nil},
		{"atrium/M1/face-camera/c1/recognition", Topic{"M1", devices.FaceCamera, "c1", EventRecognition}, nil},
		{"atrium/M1/face-camera/c1/status", Topic{"M1", devices.FaceCamera, "c1", EventStatus}, nil},
		{"atrium/M1/meter/m-01/swipe", Topic{}, ErrTopicEvent},
		{"atrium/M1/toaster/t1/status", Topic{}, ErrTopicType},
		{"other/M1/meter/m-01/reading", Topic{}, ErrTopicShape},
		{"atrium/M1/meter/m-01/reading/x", Topic{}, ErrTopicShape},
		{"atrium//meter/m-01/reading", Topic{}, ErrTopicShape},
		{"atrium/M1/meter/m 1/reading", Topic{}, ErrTopicShape},
		{"", Topic{}, ErrTopicShape},
	}
	for _, tt := range tests {
		got, err := ParseTopic("atrium", tt.topic)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseTopic(%q) = %+v, %v; want %+v, %v", tt.topic, got, err, tt.want, tt.err)
		}
		if err == nil && got.String("atrium") != tt.topic {
			t.Errorf("String() = %q, want %q", got.String("atrium"), tt.topic)
		}
	}
}

func TestDecodeReading(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		value string
		ok    bool
	}{
		{`{"id":"e1","ts":"2026-01-02T03:04:05Z","value":"1234.567"}`, "1234.567", true},
		{`{"id":"e1","ts":"2026-01-02T03:04:05+08:00","value":12.5}`, "12.5", true},
		{`{"id":"e1","ts":"2026-01-02T03:04:05Z","value":"1.2345"}`, "", false},
		{`{"id":"e1","ts":"2026-01-02T03:04:05Z","value":"-1"}`, "", false},
		{`{"id":"e1","ts":"2026-01-02T03:04:05Z","value":"1e20"}`, "", false},
		{`{"id":"","ts":"2026-01-02T03:04:05Z","value":"1"}`, "", false},
		{`{"id":"e1","value":"1"}`, "", false},
		{`{"id":"e1","ts":"yesterday","value":"1"}`, "", false},
		{`{"id":"e 1","ts":"2026-01-02T03:04:05Z","value":"1"}`, "", false},
		{`{"id":"e1","ts":"2026-01-02T03:04:05Z","value":"1"} {}`, "", false},
		{`not json`, "", false},
	}
	for _, tt := range tests {
		r, err := DecodeReading([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("DecodeReading(%s): err %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Errorf("error %v is not ErrMalformed", err)
		}
		if tt.ok && r.Value.String() != tt.value {
			t.Errorf("value = %s, want %s", r.Value, tt.value)
		}
	}
}

func TestDecodeOthers(t *testing.T) {
	t.Parallel()
	const h = `"id":"e1","ts":"2026-01-02T03:04:05Z"`
	tests := []struct {
		name string
		fn   func([]byte) error
		in   string
		ok   bool
	}{
		{"swipe", swipeErr, `{` + h + `,"uid":"04A1B2C3"}`, true},
		{"swipe no uid", swipeErr, `{` + h + `}`, false},
		{"checkpoint", checkpointErr, `{` + h + `,"badge":"G-7","tag":"CP-3"}`, true},
		{"checkpoint bound tag", checkpointErr, `{` + h + `,"badge":"G-7"}`, true},
		{"checkpoint no badge", checkpointErr, `{` + h + `,"tag":"CP-3"}`, false},
		{"recognition", recognitionErr, `{` + h + `,"faceId":"f1","confidence":0.93,"snapshotBase64":"aGVsbG8="}`, true},
		{"recognition unknown face", recognitionErr, `{` + h + `}`, true},
		{"recognition bad base64", recognitionErr, `{` + h + `,"faceId":"f1","snapshotBase64":"!!"}`, false},
		{"recognition bad url", recognitionErr, `{` + h + `,"faceId":"f1","snapshotUrl":"ftp://x/y"}`, false},
		{"recognition confidence", recognitionErr, `{` + h + `,"faceId":"f1","confidence":2}`, false},
		{"status bare", statusErr, `online`, true},
		{"status json", statusErr, `{"status":"offline","ts":"2026-01-02T03:04:05Z"}`, true},
		{"status junk", statusErr, `maybe`, false},
	}
	for _, tt := range tests {
		if err := tt.fn([]byte(tt.in)); (err == nil) != tt.ok {
			t.Errorf("%s: err %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	r, _ := DecodeRecognition([]byte(`{` + h + `,"faceId":"f1","snapshotBase64":"aGVsbG8="}`))
	if string(r.Snapshot) != "hello" {
		t.Errorf("snapshot = %q", r.Snapshot)
	}
}

func swipeErr(b []byte) error       { _, err := DecodeSwipe(b); return err }
func checkpointErr(b []byte) error  { _, err := DecodeCheckpoint(b); return err }
func recognitionErr(b []byte) error { _, err := DecodeRecognition(b); return err }
func statusErr(b []byte) error      { _, err := DecodeStatus(b); return err }

// fuzzDecoder checks a decoder never panics, fails only with ErrMalformed, and accepts
// its own re-encoded output.
func fuzzDecoder[T any](f *testing.F, seeds []string, decode func([]byte) (T, error)) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decode(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if _, err := decode(again); err != nil {
			t.Fatalf("re-decode %s: %v", again, err)
		}
	})
}

const seedHeader = `"id":"e1","ts":"2026-01-02T03:04:05Z"`

func FuzzDecodeSwipe(f *testing.F) {
	fuzzDecoder(f, []string{`{` + seedHeader + `,"uid":"04A1"}`, `{}`, `[]`, `{"id":1}`}, DecodeSwipe)
}

func FuzzDecodeReading(f *testing.F) {
	fuzzDecoder(f, []string{`{` + seedHeader + `,"value":"1.5"}`, `{` + seedHeader + `,"value":1e3}`, `{"value":"x"}`}, DecodeReading)
}

func FuzzDecodeCheckpoint(f *testing.F) {
	fuzzDecoder(f, []string{`{` + seedHeader + `,"badge":"G1","tag":"T1"}`, `{` + seedHeader + `,"badge":"G1"}`}, DecodeCheckpoint)
}

func FuzzDecodeRecognition(f *testing.F) {
	fuzzDecoder(f, []string{`{` + seedHeader + `,"faceId":"f","snapshotBase64":"aGk="}`,
		`{` + seedHeader + `,"snapshotUrl":"https://c/x.jpg"}`, `{` + seedHeader + `,"confidence":-1}`}, func(b []byte) (Recognition, error) {
		r, err := DecodeRecognition(b)
		return r, err
	})
}

func FuzzDecodeStatus(f *testing.F) {
	for _, s := range []string{"online", "offline", `{"status":"online"}`, `{"status":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := DecodeStatus(b); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", err)
		}
	})
}

func FuzzParseTopic(f *testing.F) {
	for _, s := range []string{"atrium/M1/meter/m1/reading", "atrium/M1/patrol/p/status", "a/b/c", "atrium/M1/x/y/z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tp, err := ParseTopic("atrium", s)
		if err == nil && tp.String("atrium") != s {
			t.Fatalf("round trip %q → %q", s, tp.String("atrium"))
		}
	})
}

func TestTransient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		ctx  context.Context
		err  error
		want bool
	}{
		{ctx, nil, false},
		{ctx, errors.New("card not found"), false},
		{ctx, &pgconn.PgError{Code: "40P01"}, true},
		{ctx, &pgconn.PgError{Code: "40001"}, true},
		{ctx, &pgconn.PgError{Code: "57P01"}, true},
		{ctx, &pgconn.PgError{Code: "23505"}, false},
		{ctx, &pgconn.PgError{Code: "22P02"}, false},
		{canceled, errors.New("x"), true},
	}
	for _, tt := range tests {
		if got := transient(tt.ctx, tt.err); got != tt.want {
			t.Errorf("transient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
