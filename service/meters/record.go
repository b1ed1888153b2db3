package meters

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/devices"
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
	var flag string
	err := tx.QueryRow(ctx, `INSERT INTO meter_readings (device_id, read_at, value, event_id, received_at, flag)
		SELECT $1, $2, $3, $4, $5, CASE WHEN p.value > $3
			AND NOT EXISTS (SELECT 1 FROM meter_replacements r WHERE r.device_id = $1
				AND r.replaced_at > p.read_at AND r.replaced_at <= $2)
			AND NOT ($6::numeric IS NOT NULL AND p.value - $3 > $6::numeric / 2)
			THEN 'backwards' ELSE '' END
		FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT value, read_at FROM meter_readings
			WHERE device_id = $1 AND read_at < $2 AND flag = '' ORDER BY read_at DESC LIMIT 1) p ON true
		RETURNING flag`, dev.ID, at, value, eventID, receivedAt, dev.MeterMax).Scan(&flag)
	if err != nil {
		return "", fmt.Errorf("insert reading: %w", err)
	}
	return flag, nil
}

// EnsurePartitions creates the monthly partitions of meter_readings for the month of
// now and the months after it (a job runs it monthly, ahead of time, so readings never
// pile up in the default partition).
func (s *Service) EnsurePartitions(ctx context.Context, now time.Time, months int) error {
	m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	for range months + 1 {
		next := m.AddDate(0, 1, 0)
		_, err := s.db.Pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS meter_readings_%s
			PARTITION OF meter_readings FOR VALUES FROM ('%s') TO ('%s')`,
			m.Format("200601"), m.Format(time.RFC3339), next.Format(time.RFC3339)))
		if err != nil {
			return fmt.Errorf("partition %s: %w", m.Format("2006-01"), err)
		}
		m = next
	}
	return nil
}
