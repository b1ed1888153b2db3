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
// and returns their flags in order, in two statements whatever the batch: one reads the
// history the flags depend on (ReadingHistory), the flags are decided in order against
// it (flags.go), and one statement stores every reading with its flag.
func RecordManyTx(ctx context.Context, tx pgx.Tx, rs []NewReading) ([]string, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	q := queries.New(tx)
	hist, err := histories(ctx, q, rs)
	if err != nil {
		return nil, fmt.Errorf("reading history: %w", err)
	}
	arg := queries.InsertFlaggedReadingsParams{DeviceIds: make([]string, len(rs)), ReadAt: make([]time.Time, len(rs)),
		Vals: make([]decimal.Decimal, len(rs)), EventIds: make([]string, len(rs)),
		ReceivedAt: make([]time.Time, len(rs)), Flags: make([]string, len(rs))}
	for i, r := range rs {
		at := r.At.Truncate(time.Microsecond) // as stored and compared by PostgreSQL
		arg.DeviceIds[i], arg.ReadAt[i], arg.Vals[i], arg.EventIds[i], arg.ReceivedAt[i] = r.Dev.ID, at, r.Value,
			r.EventID, r.ReceivedAt
		arg.Flags[i] = hist[r.Dev.ID].flag(at, r.Value, r.Dev.MeterMax)
	}
	if err := q.InsertFlaggedReadings(ctx, arg); err != nil {
		return nil, fmt.Errorf("insert readings: %w", err)
	}
	return arg.Flags, nil
}

// histories reads, in one statement, the stored history of each meter of rs that the
// flags of its readings in rs depend on.
func histories(ctx context.Context, q *queries.Queries, rs []NewReading) (map[string]*history, error) {
	arg := queries.ReadingHistoryParams{DeviceIds: make([]string, len(rs)), ReadAt: make([]time.Time, len(rs))}
	hist := map[string]*history{}
	for i, r := range rs {
		arg.DeviceIds[i], arg.ReadAt[i] = r.Dev.ID, r.At
		if r.At.After(arg.Until) {
			arg.Until = r.At
		}
		hist[r.Dev.ID] = &history{}
	}
	rows, err := q.ReadingHistory(ctx, arg)
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		h := hist[row.DeviceID]
		if row.Kind == "replacement" {
			h.replacements = append(h.replacements, row.At)
		} else {
			h.points = append(h.points, point{at: row.At, value: row.Value})
		}
	}
	return hist, nil
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
