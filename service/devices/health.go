package devices

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// SetStatus applies a device's retained status message (online/offline, also its last
// will) at time at. Going online clears an open offline alarm.
func SetStatus(ctx context.Context, tx pgx.Tx, deviceID string, online bool, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE devices SET online = $2,
		last_seen_at = CASE WHEN $2 THEN greatest(last_seen_at, $3) ELSE last_seen_at END WHERE id = $1`,
		deviceID, online, at); err != nil {
		return err
	}
	if online {
		return clearAlarm(ctx, tx, deviceID, at)
	}
	return nil
}

func clearAlarm(ctx context.Context, tx pgx.Tx, deviceID string, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE device_alarms SET cleared_at = $2
		WHERE device_id = $1 AND kind = 'offline' AND cleared_at IS NULL`, deviceID, at)
	return err
}

// Alarm is an offline alarm.
type Alarm struct {
	ID        uuid.UUID
	DeviceID  string
	MallID    uuid.UUID
	RaisedAt  time.Time
	ClearedAt *time.Time
}

// CheckSilence is the health job: every enabled device not seen for longer than
// silence (or that reported offline) gets one open offline alarm and is marked
// offline; a device seen again since its alarm was raised has the alarm cleared.
// It returns the alarms it raised. Safe to run concurrently (a unique index keeps at
// most one open alarm per device).
func (s *Service) CheckSilence(ctx context.Context, now time.Time, silence time.Duration) ([]Alarm, error) {
	var raised []Alarm
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE device_alarms a SET cleared_at = $1 FROM devices d
			WHERE a.device_id = d.id AND a.cleared_at IS NULL AND d.online AND d.last_seen_at > a.raised_at`, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE devices SET online = false
			WHERE enabled AND online AND (last_seen_at IS NULL OR last_seen_at < $1)`, now.Add(-silence)); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `INSERT INTO device_alarms (id, device_id, mall_id, raised_at)
			SELECT gen_random_uuid(), id, mall_id, $1 FROM devices
			WHERE enabled AND NOT online AND (last_seen_at IS NULL OR last_seen_at < $2)
			ON CONFLICT (device_id, kind) WHERE cleared_at IS NULL DO NOTHING
			RETURNING id, device_id, mall_id, raised_at, cleared_at`, now, now.Add(-silence))
		if err != nil {
			return err
		}
		raised, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Alarm])
		return err
	})
	return raised, err
}

// OpenAlarms returns a mall's open offline alarms.
func (s *Service) OpenAlarms(ctx context.Context, mallID uuid.UUID) ([]Alarm, error) {
	if err := s.authorize(ctx, mallID, viewRoles...); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, device_id, mall_id, raised_at, cleared_at FROM device_alarms
		WHERE mall_id = $1 AND cleared_at IS NULL ORDER BY raised_at, id`, mallID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Alarm])
}
