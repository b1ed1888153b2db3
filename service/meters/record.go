package meters

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters/internal/queries"
)

// Flag values of a stored reading.
const (
	FlagNone      = ""
	FlagBackwards = "backwards"
)

// RecordTx stores a reading of meter dev inside tx (the bridge's event transaction)
// and returns its flag: "backwards" when it is lower than the meter's previous reading
// with no replacement in between and no plausible rollover (such a reading is kept for
// inspection but not used in consumption).
func RecordTx(ctx context.Context, tx pgx.Tx, dev devices.Device, eventID string, at time.Time,
	value decimal.Decimal, receivedAt time.Time) (string, error) {
	flag, err := queries.New(tx).InsertReading(ctx, queries.InsertReadingParams{DeviceID: dev.ID, ReadAt: at,
		Value: value, EventID: eventID, ReceivedAt: receivedAt, MeterMax: dev.MeterMax})
	if err != nil {
		return "", fmt.Errorf("insert reading: %w", err)
	}
	return flag, nil
}

// NewReading is one reading to store with RecordManyTx.
type NewReading struct {
	Dev        devices.Device
	EventID    string
	At         time.Time
	Value      decimal.Decimal
	ReceivedAt time.Time
}

// RecordManyTx stores readings inside tx exactly as RecordTx would one after the other,
// and returns their flags in order, in one statement per wave (see Waves): a batch in
// which every meter sends one reading is one statement.
func RecordManyTx(ctx context.Context, tx pgx.Tx, rs []NewReading) ([]string, error) {
	flags := make([]string, len(rs))
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.Dev.ID
	}
	q := queries.New(tx)
	for _, wave := range Waves(ids) {
		arg := queries.InsertReadingsParams{DeviceIds: make([]string, len(wave)), ReadAt: make([]time.Time, len(wave)),
			Vals: make([]decimal.Decimal, len(wave)), EventIds: make([]string, len(wave)),
			ReceivedAt: make([]time.Time, len(wave)), MeterMax: make([]string, len(wave))}
		at := make(map[string]int, len(wave)) // device → index in rs
		for k, i := range wave {
			r := rs[i]
			arg.DeviceIds[k], arg.ReadAt[k], arg.Vals[k], arg.EventIds[k], arg.ReceivedAt[k] = r.Dev.ID, r.At, r.Value,
				r.EventID, r.ReceivedAt
			if r.Dev.MeterMax != nil {
				arg.MeterMax[k] = r.Dev.MeterMax.String()
			}
			at[r.Dev.ID] = i
		}
		rows, err := q.InsertReadings(ctx, arg)
		if err != nil {
			return nil, fmt.Errorf("insert readings: %w", err)
		}
		if len(rows) != len(wave) {
			return nil, fmt.Errorf("insert readings: %d rows stored of %d", len(rows), len(wave))
		}
		for _, row := range rows {
			flags[at[row.DeviceID]] = row.Flag
		}
	}
	return flags, nil
}

// Waves splits the positions of a batch's readings (given by meter) into waves: the
// k-th reading of every meter goes into wave k, so a wave holds at most one reading per
// meter and each meter's readings keep their order across waves. A reading's flag
// depends only on its own meter's earlier readings, so storing wave after wave, each
// in one statement, gives the flags that storing one by one would.
func Waves(meters []string) [][]int {
	var waves [][]int
	seen := map[string]int{}
	for i, m := range meters {
		k := seen[m]
		seen[m] = k + 1
		if k == len(waves) {
			waves = append(waves, nil)
		}
		waves[k] = append(waves[k], i)
	}
	return waves
}

// EnsurePartitions creates the monthly partitions of meter_readings for the month of
// now and the months after it (a job runs it monthly, ahead of time, so readings never
// pile up in the default partition).
//
// The months are UTC months on purpose, not a mall's business months: partitions are
// storage, shared by every mall, and their bounds must meet the ones the migration
// created (00:00 UTC of each first day), or a new partition would overlap an old one.
func (s *Service) EnsurePartitions(ctx context.Context, now time.Time, months int) error {
	m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	for range months + 1 {
		next := m.AddDate(0, 1, 0)
		if err := s.createPartition(ctx, m, next); err != nil {
			return fmt.Errorf("partition %s: %w", m.Format("2006-01"), err)
		}
		m = next
	}
	return nil
}

// createPartition creates the partition meter_readings_YYYYMM for [from, to) if missing.
func (s *Service) createPartition(ctx context.Context, from, to time.Time) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		err := q.SetPartitionBounds(ctx, queries.SetPartitionBoundsParams{Name: "meter_readings_" + from.Format("200601"),
			FromAt: from.Format(time.RFC3339), ToAt: to.Format(time.RFC3339)})
		if err != nil {
			return err
		}
		return q.CreatePartition(ctx)
	})
}
