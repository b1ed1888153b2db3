package devices

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/storage"
)

// Claim records that device's event id is being processed, inside tx. It returns false
// when the event was already processed (a duplicate): the caller must then apply no
// effect. Together with the effect in the same transaction this is exactly-once.
func Claim(ctx context.Context, tx pgx.Tx, deviceID, eventID, kind string, ts, receivedAt time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO iot_events (device_id, event_id, kind, ts, processed_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, deviceID, eventID, kind, ts, receivedAt)
	if err != nil {
		return false, fmt.Errorf("claim event: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Touch marks devices seen (and online) at at; the bridge calls it once per batch. The
// ids are sorted and deduplicated so that concurrent batches lock rows in one order.
func Touch(ctx context.Context, q storage.Querier, ids []string, at time.Time) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	_, err := q.Exec(ctx, `UPDATE devices SET last_seen_at = greatest(last_seen_at, $2), online = true
		WHERE id IN (SELECT id FROM devices WHERE id = ANY($1) ORDER BY id FOR UPDATE) AND (NOT online OR last_seen_at IS NULL OR last_seen_at < $2)`, ids, at)
	return err
}

// SetOutcome records how a claimed event ended (ok, refused:<reason>, …).
func SetOutcome(ctx context.Context, tx pgx.Tx, deviceID, eventID, outcome string) error {
	_, err := tx.Exec(ctx, `UPDATE iot_events SET outcome = $3 WHERE device_id = $1 AND event_id = $2`,
		deviceID, eventID, outcome)
	return err
}

// DeadLetter is a message the bridge could not process.
type DeadLetter struct {
	ID         uuid.UUID
	Topic      string
	Payload    []byte
	Reason     string
	DeviceID   string     // when the topic named a device
	MallID     *uuid.UUID // when the device is known
	ReceivedAt time.Time
}

// RecordDeadLetters stores dead letters (never dropped) with one COPY.
func RecordDeadLetters(ctx context.Context, q storage.Querier, letters []DeadLetter) error {
	if len(letters) == 0 {
		return nil
	}
	rows := make([][]any, len(letters))
	for i, l := range letters {
		if l.ID == uuid.Nil {
			l.ID = service.NewID()
		}
		var dev *string
		if l.DeviceID != "" {
			dev = &l.DeviceID
		}
		rows[i] = []any{l.ID, l.Topic, l.Payload, l.Reason, dev, l.MallID, l.ReceivedAt}
	}
	_, err := q.CopyFrom(ctx, pgx.Identifier{"dead_letters"},
		[]string{"id", "topic", "payload", "reason", "device_id", "mall_id", "received_at"}, pgx.CopyFromRows(rows))
	return err
}

// DeadLetters returns up to first dead letters of a mall after the cursor id (newest
// last), for admin and maintenance staff of the mall.
func (s *Service) DeadLetters(ctx context.Context, mallID uuid.UUID, after uuid.UUID, first int) ([]DeadLetter, error) {
	if err := s.authorize(ctx, mallID, viewRoles...); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, topic, payload, reason, coalesce(device_id, ''), mall_id, received_at
		FROM dead_letters WHERE mall_id = $1 AND id > $2 ORDER BY id LIMIT $3`, mallID, after, first)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeadLetter, error) {
		var l DeadLetter
		err := r.Scan(&l.ID, &l.Topic, &l.Payload, &l.Reason, &l.DeviceID, &l.MallID, &l.ReceivedAt)
		return l, err
	})
}
