package iot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/internal/benchab"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/devices"
)

// plain hides the ReadingBatcher of the handlers it wraps: the processor then stores
// readings one by one (the reference the set-based batch must match).
type plain struct{ iot.Handlers }

// picky refuses readings whose id is "bad", in a batch as one by one.
type picky struct{ iot.Services }

var errBad = errors.New("bad reading")

func (p picky) Reading(ctx context.Context, tx pgx.Tx, dev devices.Device, ev iot.Reading, at time.Time) (iot.Effect, error) {
	if ev.ID == "bad" {
		return iot.Effect{}, errBad
	}
	return p.Services.Reading(ctx, tx, dev, ev, at)
}

func (p picky) Readings(ctx context.Context, tx pgx.Tx, rs []iot.DeviceReading) ([]iot.Effect, error) {
	for _, r := range rs {
		if r.Reading.ID == "bad" {
			return nil, errBad
		}
	}
	return p.Services.Readings(ctx, tx, rs)
}

// TestBatchMatchesOneByOne: batches processed set-wise (one claim statement, the
// readings' history in one statement and the readings in one more, outcomes in one
// statement) leave exactly the rows that processing event by event leaves — flags of
// backwards readings and rollovers within one batch, readings out of order within a
// batch and across batches, replacements between readings (and at a reading's very
// time), duplicates within a batch and across batches, a rejected reading
// dead-lettered alone.
func TestBatchMatchesOneByOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	max := decimal.NewFromInt(1000)
	ctx := context.Background()
	// Each batch as (meter suffix, id, minute, value).
	type r struct {
		meter, id string
		minute    int
		value     string
	}
	batches := [][]r{
		{{"1", "a", 0, "100"}, {"1", "b", 1, "90"}, {"1", "c", 2, "110"}, {"1", "a", 0, "100"}, {"2", "a", 0, "950"},
			{"2", "b", 1, "10"}, {"2", "c", 2, "5"}, {"1", "d", 3, "105"}, {"3", "a", 5, "7"}},
		{{"1", "a", 0, "100"}, {"1", "e", 4, "120"}, {"3", "b", 4, "8"}, {"1", "bad", 5, "1"}, {"2", "d", 3, "20"},
			{"1", "f", 5, "50"}, {"3", "b", 4, "8"}, {"3", "c", 2, "6"}, {"3", "d", 3, "5"}},
		{{"1", "bad", 6, "1"}},
		{{"1", "a", 0, "100"}, {"3", "a", 5, "7"}, {"1", "g", 7, "130"}},
		// Meter 4 is replaced at minute 2 (a new counter from 0).
		{{"4", "a", 0, "500"}, {"4", "b", 3, "2"}, {"4", "c", 1, "400"}, {"4", "d", 4, "1"}, {"4", "e", 6, "3"},
			{"4", "f", 5, "4"}},
		{{"4", "g", 2, "450"}, {"4", "h", 7, "2"}},
	}
	for _, side := range []string{"x", "y"} {
		for _, m := range []string{"1", "2", "3", "4"} {
			n := newMeter(side + m)
			if m == "2" {
				n.MeterMax = &max
			}
			e.device(n)
		}
		e.exec(`INSERT INTO meter_replacements (id, device_id, replaced_at) VALUES (gen_random_uuid(), $1, $2)`,
			side+"4", ts0.Add(2*time.Minute))
	}
	sides := map[string]iot.Handlers{"x": picky{}, "y": plain{picky{}}}
	for side, h := range sides {
		p := &iot.Processor{DB: e.db, Handlers: h, Root: e.root}
		for _, batch := range batches {
			var msgs []*iot.Message
			for _, x := range batch {
				d, err := e.devs.Lookup(ctx, e.db.Pool, side+x.meter)
				if err != nil {
					t.Fatal(err)
				}
				msgs = append(msgs, &iot.Message{Topic: e.topic(d, "reading"), Payload: []byte(reading(x.id, x.minute, x.value)),
					ReceivedAt: time.Now(), Ack: func() {}})
			}
			if err := p.Process(ctx, msgs); err != nil {
				t.Fatal(err)
			}
		}
	}
	state := func(side string) []string {
		var out []string
		rows, err := e.db.Pool.Query(ctx, `
			SELECT 'reading ' || substr(device_id, 2) || ' ' || event_id || ' ' || value::text || ' ' || flag FROM meter_readings WHERE device_id LIKE $1
			UNION ALL SELECT 'event ' || substr(device_id, 2) || ' ' || event_id || ' ' || outcome FROM iot_events WHERE device_id LIKE $1
			UNION ALL SELECT 'claim ' || substr(device_id, 2) || ' ' || event_id FROM iot_event_claims WHERE device_id LIKE $1
			UNION ALL SELECT 'dead ' || substr(device_id, 2) || ' ' || reason FROM dead_letters WHERE device_id LIKE $1`, side+"%")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
		slices.Sort(out)
		return out
	}
	x, y := state("x"), state("y")
	if !slices.Equal(x, y) {
		t.Fatalf("set-wise:\n%v\none by one:\n%v", x, y)
	}
	for _, want := range []string{"reading 1 b 90.000 backwards", "event 1 b flagged:backwards", "reading 2 b 10.000 ",
		"reading 2 c 5.000 backwards", "reading 1 f 50.000 backwards", "dead 1 rejected: bad reading",
		"reading 3 c 6.000 ", "reading 3 d 5.000 backwards", "reading 4 b 2.000 ", "reading 4 c 400.000 backwards",
		"reading 4 d 1.000 backwards", "reading 4 e 3.000 ", "reading 4 f 4.000 ", "reading 4 g 450.000 ",
		"reading 4 h 2.000 backwards"} {
		if !slices.Contains(x, want) {
			t.Errorf("missing %q in %v", want, x)
		}
	}
	if n := e.count(`SELECT count(*) FROM meter_readings WHERE device_id = 'x1'`); n != 7 {
		t.Errorf("%d readings of x1, want 7 (a b c d e f g)", n)
	}
	if n := e.count(`SELECT count(*) FROM dead_letters WHERE device_id = 'x1'`); n != 2 {
		t.Errorf("%d dead letters of x1, want 2", n)
	}
}

// TestBatchStatements: a batch of 500 readings of 50 meters, ten each (the benchmark's
// shape), runs set-wise in a fixed number of statements whatever its size: the device
// lookup, then in one transaction the claims, the readings' history, the readings, and
// the devices marked seen — no savepoint (the batch did not fall back to event by
// event) and no statement per reading or per meter.
func TestBatchStatements(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	db, tr := benchab.Traced(t, e.db)
	var topics []string
	for i := range 50 {
		topics = append(topics, e.topic(e.device(newMeter(fmt.Sprintf("s%02d", i))), "reading"))
	}
	p := &iot.Processor{DB: db, Handlers: iot.Services{}, Root: e.root}
	for round := range 2 { // the second batch has a stored history
		var msgs []*iot.Message
		for j := range 500 {
			n := round*500 + j
			msgs = append(msgs, &iot.Message{Topic: topics[j%50], Payload: []byte(reading(fmt.Sprint("r", n), n, fmt.Sprint(n))),
				ReceivedAt: time.Now(), Ack: func() {}})
		}
		tr.Take()
		if err := p.Process(context.Background(), msgs); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range tr.Take() {
			name := strings.Fields(s.SQL)[0]
			if strings.HasPrefix(s.SQL, "-- name: ") {
				name = strings.Fields(s.SQL)[2]
			}
			names = append(names, name)
		}
		want := []string{"DevicesByIDs", "begin", "ClaimEvents", "ReadingHistory", "InsertFlaggedReadings", "TouchDevices", "commit"}
		if !slices.Equal(names, want) {
			t.Fatalf("batch %d ran %v, want %v", round, names, want)
		}
	}
	if n := e.count(`SELECT count(*) FROM meter_readings WHERE device_id LIKE 's%' AND flag = ''`); n != 1000 {
		t.Fatalf("%d unflagged readings, want 1000", n)
	}
}
