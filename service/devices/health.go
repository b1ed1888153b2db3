package devices

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices/internal/queries"
)

// SetStatus applies a device's retained status message (online/offline, also its last
// will) at time at. Going online clears an open offline alarm.
func SetStatus(ctx context.Context, tx pgx.Tx, deviceID string, online bool, at time.Time) error {
	q := queries.New(tx)
	if err := q.SetDeviceOnline(ctx, queries.SetDeviceOnlineParams{Online: online, At: at, ID: deviceID}); err != nil {
		return err
	}
	if online {
		return q.ClearOfflineAlarm(ctx, at, deviceID)
	}
	return nil
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
		q := queries.New(tx)
		if err := q.ClearReturnedAlarms(ctx, now); err != nil {
			return err
		}
		if err := q.MarkSilentOffline(ctx, now.Add(-silence)); err != nil {
			return err
		}
		rows, err := q.RaiseOfflineAlarms(ctx, now, now.Add(-silence))
		raised = make([]Alarm, len(rows))
		for i, r := range rows {
			raised[i] = Alarm(r)
		}
		return err
	})
	return raised, err
}

// OpenAlarms returns a mall's open offline alarms.
func (s *Service) OpenAlarms(ctx context.Context, mallID uuid.UUID) ([]Alarm, error) {
	if _, err := s.authorize(ctx, mallID, viewRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).OpenAlarmsOfMall(ctx, mallID)
	out := make([]Alarm, len(rows))
	for i, r := range rows {
		out[i] = Alarm(r)
	}
	return out, err
}
