package devices

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/devices/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Claim records that device's event id is being processed, inside tx. It returns false
// when the event was already processed (a duplicate): the caller must then apply no
// effect. Together with the effect in the same transaction this is exactly-once.
func Claim(ctx context.Context, tx pgx.Tx, deviceID, eventID, kind string, ts, receivedAt time.Time) (bool, error) {
	n, err := queries.New(tx).ClaimEvent(ctx, queries.ClaimEventParams{DeviceID: deviceID, EventID: eventID, Kind: kind,
		Ts: ts, ProcessedAt: receivedAt})
	if err != nil {
		return false, fmt.Errorf("claim event: %w", err)
	}
	return n == 1, nil
}

// EventClaim is one event of a batch to claim with ClaimMany.
type EventClaim struct {
	DeviceID, EventID, Kind string
	TS, ReceivedAt          time.Time
}

// EventKey names an event: its device and the device's event id.
type EventKey struct{ DeviceID, EventID string }

// ClaimMany claims a batch of events inside tx in one statement, as Claim does one: it
// returns the events claimed now; the others were processed before (duplicates: the
// caller applies no effect for them). The events must be distinct.
func ClaimMany(ctx context.Context, tx pgx.Tx, evs []EventClaim) (map[EventKey]bool, error) {
	fresh := map[EventKey]bool{}
	if len(evs) == 0 {
		return fresh, nil
	}
	arg := queries.ClaimEventsParams{DeviceIds: make([]string, len(evs)), EventIds: make([]string, len(evs)),
		Kinds: make([]string, len(evs)), Ts: make([]time.Time, len(evs)), ProcessedAt: make([]time.Time, len(evs))}
	for i, e := range evs {
		arg.DeviceIds[i], arg.EventIds[i], arg.Kinds[i], arg.Ts[i], arg.ProcessedAt[i] = e.DeviceID, e.EventID, e.Kind, e.TS,
			e.ReceivedAt
	}
	rows, err := queries.New(tx).ClaimEvents(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("claim events: %w", err)
	}
	for _, r := range rows {
		fresh[EventKey{r.DeviceID, r.EventID}] = true
	}
	return fresh, nil
}

// Touch marks devices seen (and online) at at; the bridge calls it once per batch, last.
// It never waits for a lock: a device row another transaction holds is skipped (that
// one marks the device seen), so concurrent batches cannot deadlock on device rows.
func Touch(ctx context.Context, q storage.Querier, ids []string, at time.Time) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	return queries.New(q).TouchDevices(ctx, at, ids)
}

// LockForStatus takes the row locks (NO KEY UPDATE, in id order) of the devices whose
// status a batch is about to set; the bridge calls it first in the transaction, so
// batches that set statuses wait for each other in one order and never deadlock.
func LockForStatus(ctx context.Context, tx pgx.Tx, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	return queries.New(tx).LockDevices(ctx, ids)
}

// SetOutcome records how a claimed event ended (ok, refused:<reason>, …).
func SetOutcome(ctx context.Context, tx pgx.Tx, deviceID, eventID, outcome string) error {
	return queries.New(tx).SetEventOutcome(ctx, queries.SetEventOutcomeParams{Outcome: outcome, DeviceID: deviceID,
		EventID: eventID})
}

// SetOutcomes records the outcomes of many claimed events in one statement.
func SetOutcomes(ctx context.Context, tx pgx.Tx, outcomes map[EventKey]string) error {
	if len(outcomes) == 0 {
		return nil
	}
	var arg queries.SetEventOutcomesParams
	for k, o := range outcomes {
		arg.DeviceIds, arg.EventIds, arg.Outcomes = append(arg.DeviceIds, k.DeviceID), append(arg.EventIds, k.EventID),
			append(arg.Outcomes, o)
	}
	return queries.New(tx).SetEventOutcomes(ctx, arg)
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
	rows := make([]queries.InsertDeadLettersParams, len(letters))
	for i, l := range letters {
		if l.ID == uuid.Nil {
			l.ID = service.NewID()
		}
		var dev *string
		if l.DeviceID != "" {
			dev = &l.DeviceID
		}
		rows[i] = queries.InsertDeadLettersParams{ID: l.ID, Topic: l.Topic, Payload: l.Payload, Reason: l.Reason,
			DeviceID: dev, MallID: l.MallID, ReceivedAt: l.ReceivedAt}
	}
	if _, err := queries.New(q).InsertDeadLetters(ctx, rows); err != nil {
		return fmt.Errorf("record dead letters: %w", err)
	}
	return nil
}

// DeadLetters returns up to first dead letters of a mall after the cursor id (newest
// last), for admin and maintenance staff of the mall.
func (s *Service) DeadLetters(ctx context.Context, mallID uuid.UUID, after uuid.UUID, first int) ([]DeadLetter, error) {
	if _, err := s.authorize(ctx, mallID, viewRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).DeadLettersOfMall(ctx, queries.DeadLettersOfMallParams{MallID: mallID,
		After: after, Lim: int32(first)})
	if err != nil {
		return nil, err
	}
	out := make([]DeadLetter, len(rows))
	for i, r := range rows {
		out[i] = DeadLetter(r)
	}
	return out, nil
}
