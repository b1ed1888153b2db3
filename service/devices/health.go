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
//
// With an alarm hook set (SetAlarmHook), each alarm raised or cleared is handed to it
// inside the same transaction, so what it records (a work order) commits with the alarm.
func (s *Service) CheckSilence(ctx context.Context, now time.Time, silence time.Duration) ([]Alarm, error) {
	var raised []Alarm
	err := s.db.InTxAfter(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := queries.New(tx)
		cleared, err := q.ClearReturnedAlarms(ctx, now)
		if err != nil {
			return err
		}
		for _, r := range cleared {
			if err := s.hookCleared(ctx, tx, Alarm(r)); err != nil {
				return err
			}
		}
		if err := q.MarkSilentOffline(ctx, now.Add(-silence)); err != nil {
			return err
		}
		rows, err := q.RaiseOfflineAlarms(ctx, now, now.Add(-silence))
		raised = make([]Alarm, len(rows))
		for i, r := range rows {
			raised[i] = Alarm(r)
			if err := s.hookRaised(ctx, tx, raised[i]); err != nil {
				return err
			}
		}
		return err
	})
	return raised, err
}

// AlarmHook hears of offline alarms inside the transaction that raised or cleared them
// (the work-orders context opens an order per alarm and notes its clearing).
type AlarmHook interface {
	AlarmRaised(ctx context.Context, tx pgx.Tx, a Alarm) error
	AlarmCleared(ctx context.Context, tx pgx.Tx, a Alarm) error
}

// SetAlarmHook sets the hook (not a Deps field: the hook's context is built after
// devices, and tests of devices run without one).
func (s *Service) SetAlarmHook(h AlarmHook) { s.alarms = h }

func (s *Service) hookRaised(ctx context.Context, tx pgx.Tx, a Alarm) error {
	if s.alarms == nil {
		return nil
	}
	return s.alarms.AlarmRaised(ctx, tx, a)
}

func (s *Service) hookCleared(ctx context.Context, tx pgx.Tx, a Alarm) error {
	if s.alarms == nil {
		return nil
	}
	return s.alarms.AlarmCleared(ctx, tx, a)
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
