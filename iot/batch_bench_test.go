package iot_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// BenchmarkProcessBatch is the database side of BenchmarkMeterIngest without MQTT: b.N
// readings of 50 meters in batches of 500 through Processor.Process, against CopyFrom
// of the same rows into the same tables (copyOnly), alternating the two sides five
// times, and reports each side's median rate and their ratio.
//
//	go test -run '^$' -bench ProcessBatch -benchtime 5000x ./iot
func BenchmarkProcessBatch(b *testing.B) {
	db := storetest.DB(b)
	ctx := context.Background()
	_, mall, code := newMall(b, db)
	root := storetest.RandomName("bench-")
	devs := servicetest.New(b, db).Devices
	var topics []string
	for i := range benchDevices {
		d, _, err := devs.RegisterUnchecked(ctx, devices.NewDevice{ID: fmt.Sprintf("m%03d", i), MallID: mall,
			Type: devices.Meter, MeterKind: "electricity"})
		if err != nil {
			b.Fatal(err)
		}
		topics = append(topics, iot.Topic{MallCode: code, Type: d.Type, DeviceID: d.ID, Event: "reading"}.String(root))
	}
	p := &iot.Processor{DB: db, Handlers: iot.Services{}, Root: root}
	n, seq := b.N, 0
	bridge := func(base int) {
		for lo := 0; lo < n; lo += 500 {
			var msgs []*iot.Message
			for j := lo; j < min(n, lo+500); j++ {
				msgs = append(msgs, &iot.Message{Topic: topics[j%len(topics)], Payload: []byte(benchReading("batch", base, j)),
					ReceivedAt: time.Now(), Ack: func() {}})
			}
			if err := p.Process(ctx, msgs); err != nil {
				b.Fatal(err)
			}
		}
	}
	rates := map[string][]float64{}
	b.ResetTimer()
	const rounds = 5
	for r := range rounds {
		for _, side := range []string{"bridge", "copy"} {
			if r%2 == 1 {
				side = map[string]string{"bridge": "copy", "copy": "bridge"}[side]
			}
			base := seq
			seq += n
			if side == "bridge" {
				rates[side] = append(rates[side], rate(n, func() { bridge(base) }))
			} else {
				rates[side] = append(rates[side], rate(n, func() { copyOnly(b, db, base, n) }))
			}
		}
	}
	b.StopTimer()
	med := func(side string) float64 { return slices.Sorted(slices.Values(rates[side]))[rounds/2] }
	b.ReportMetric(med("bridge"), "events/s")
	b.ReportMetric(med("copy"), "copy-events/s")
	b.ReportMetric(med("bridge")/med("copy"), "x-copy")
}
