package devices

import (
	"slices"
	"testing"
	"time"
)

func TestPlanPartitions(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	r := Retention{Months: 13, DedupWindow: 7 * 24 * time.Hour, Ahead: 3}
	cases := []struct {
		name       string
		now        time.Time
		existing   []string
		r          Retention
		wantCreate []string
		wantDrop   []string
		wantCutoff time.Time
	}{
		{name: "creates the current month and three ahead", now: day(2026, 11, 20), r: r,
			wantCreate: []string{"iot_events_202611", "iot_events_202612", "iot_events_202701", "iot_events_202702"},
			wantCutoff: day(2025, 10, 1)},
		{name: "drops only months wholly before the cutoff", now: day(2026, 11, 20), r: r,
			existing:   []string{"iot_events_202508", "iot_events_202509", "iot_events_202510", "iot_events_202511"},
			wantCreate: []string{"iot_events_202611", "iot_events_202612", "iot_events_202701", "iot_events_202702"},
			wantDrop:   []string{"iot_events_202508", "iot_events_202509"}, wantCutoff: day(2025, 10, 1)},
		{name: "the first instant of a month moves the cutoff", now: day(2026, 12, 1), r: r,
			existing:   []string{"iot_events_202510", "iot_events_202511"},
			wantCreate: []string{"iot_events_202612", "iot_events_202701", "iot_events_202702", "iot_events_202703"},
			wantDrop:   []string{"iot_events_202510"}, wantCutoff: day(2025, 11, 1)},
		{name: "the last instant of a month does not", now: day(2026, 12, 1).Add(-time.Nanosecond), r: r,
			existing:   []string{"iot_events_202510", "iot_events_202511"},
			wantCreate: []string{"iot_events_202611", "iot_events_202612", "iot_events_202701", "iot_events_202702"},
			wantCutoff: day(2025, 10, 1)},
		{name: "a local time is taken in UTC", now: time.Date(2026, 12, 1, 2, 0, 0, 0, time.FixedZone("CST", 8*3600)),
			r: Retention{Months: 1, Ahead: 0}, existing: []string{"iot_events_202610"},
			wantCreate: []string{"iot_events_202611"}, wantCutoff: day(2026, 10, 1)},
		{name: "names that are not months are left alone", now: day(2026, 11, 20), r: Retention{Months: 1, Ahead: 0},
			existing:   []string{"iot_events_default", "iot_events_2025", "iot_events_209913x", "iot_events_201501"},
			wantCreate: []string{"iot_events_202611"}, wantDrop: []string{"iot_events_201501"}, wantCutoff: day(2026, 10, 1)},
		{name: "future months are never dropped", now: day(2026, 11, 20), r: Retention{Months: 1, Ahead: 1},
			existing:   []string{"iot_events_202703"},
			wantCreate: []string{"iot_events_202611", "iot_events_202612"}, wantCutoff: day(2026, 10, 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := planPartitions(c.now, c.existing, c.r)
			var created []string
			for _, m := range p.Create {
				created = append(created, partitionName(m))
			}
			if !slices.Equal(created, c.wantCreate) || !slices.Equal(p.Drop, c.wantDrop) || !p.Cutoff.Equal(c.wantCutoff) {
				t.Fatalf("create %v drop %v cutoff %v; want %v %v %v", created, p.Drop, p.Cutoff, c.wantCreate,
					c.wantDrop, c.wantCutoff)
			}
		})
	}
}
