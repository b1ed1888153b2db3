package iot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
)

// Message is one MQTT message as received; Ack tells the broker it is done with.
type Message struct {
	Topic      string
	Payload    []byte
	ReceivedAt time.Time
	Ack        func()
}

// Processor turns batches of messages into effects, exactly once, in one transaction
// per batch (a savepoint per event, so one bad event does not undo the others).
type Processor struct {
	DB       *storage.DB
	Handlers Handlers
	Root     string
	Log      *slog.Logger
}

// Process handles a batch. It returns an error only when the batch could not be
// committed (the caller retries it; nothing was acknowledged). Everything that cannot
// be processed goes to the dead letters in the same transaction.
//
// The batch first runs without savepoints (the common case: every event applies);
// if any event is rejected, that transaction is rolled back and the batch runs again
// with a savepoint per event, so the rejected ones leave no trace but a dead letter.
func (p *Processor) Process(ctx context.Context, msgs []*Message) error {
	evs, dead, err := p.prepare(ctx, msgs)
	if err != nil {
		return err
	}
	after, err := p.run(ctx, evs, dead, false)
	if errors.Is(err, errSlowPath) {
		after, err = p.run(ctx, evs, dead, true)
	}
	if err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	for _, fn := range after {
		fn(ctx)
	}
	return nil
}

// errSlowPath: an event was rejected in a batch run without savepoints.
var errSlowPath = errors.New("rejected event: rerun with savepoints")

// run applies evs and records dead letters in one transaction.
func (p *Processor) run(ctx context.Context, evs []event, dead []devices.DeadLetter, savepoints bool) ([]func(context.Context), error) {
	dead = append([]devices.DeadLetter(nil), dead...)
	var after []func(context.Context)
	var statuses []string
	for _, ev := range evs {
		if ev.status != nil {
			statuses = append(statuses, ev.dev.ID)
		}
	}
	err := p.DB.InTx(ctx, func(tx pgx.Tx) error {
		// Device-row locks: status devices first, in id order (rare); every other event
		// takes only KEY SHARE locks (the iot_events foreign key), and Touch, last,
		// skips what it cannot lock at once — so two bridges never deadlock on devices.
		if err := devices.LockForStatus(ctx, tx, statuses); err != nil {
			return fmt.Errorf("lock status devices: %w", err)
		}
		var seen []string
		var last time.Time
		for _, ev := range evs {
			var fx Effect
			var reason string
			var err error
			if savepoints {
				fx, reason, err = p.one(ctx, tx, ev)
			} else {
				var cause error
				fx, reason, cause = p.applyIn(ctx, tx, ev)
				if reason != "" && transient(ctx, cause) {
					return cause
				} else if reason != "" {
					return errSlowPath
				}
			}
			if err != nil {
				return err
			}
			if reason != "" {
				dead = append(dead, deadLetter(ev.msg, reason, &ev.dev))
				continue
			}
			if fx.AfterCommit != nil {
				after = append(after, fx.AfterCommit)
			}
			if ev.status == nil { // SetStatus already applied a status
				seen = append(seen, ev.dev.ID)
				if ev.msg.ReceivedAt.After(last) {
					last = ev.msg.ReceivedAt
				}
			}
		}
		if len(seen) > 0 {
			if err := devices.Touch(ctx, tx, seen, last); err != nil {
				return fmt.Errorf("touch devices: %w", err)
			}
		}
		return devices.RecordDeadLetters(ctx, tx, dead)
	})
	return after, err
}

// one applies one event under a savepoint. A rejected event returns its reason (the
// savepoint is rolled back); an error means the transaction itself failed.
func (p *Processor) one(ctx context.Context, tx pgx.Tx, ev event) (Effect, string, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return Effect{}, "", err
	}
	fx, reason, cause := p.applyIn(ctx, sp, ev)
	if reason != "" {
		if transient(ctx, cause) {
			return Effect{}, "", cause // retry the batch rather than dead-letter a good event
		}
		if err := sp.Rollback(ctx); err != nil {
			return Effect{}, "", err
		}
		return Effect{}, reason, nil
	}
	return fx, "", sp.Commit(ctx)
}

// applyIn applies ev in tx. A rejection returns its reason and the error behind it.
func (p *Processor) applyIn(ctx context.Context, tx pgx.Tx, ev event) (Effect, string, error) {
	if ev.status != nil {
		at := ev.status.TS
		if at.IsZero() {
			at = ev.msg.ReceivedAt
		}
		if err := devices.SetStatus(ctx, tx, ev.dev.ID, ev.status.Online, at); err != nil {
			return Effect{}, "status: " + err.Error(), err
		}
		return Effect{}, "", nil
	}
	fresh, err := devices.Claim(ctx, tx, ev.dev.ID, ev.header.ID, ev.kind, ev.header.TS, ev.msg.ReceivedAt)
	if err != nil {
		return Effect{}, "claim: " + err.Error(), err
	}
	if !fresh {
		return Effect{}, "", nil // a duplicate: no second effect
	}
	fx, err := apply(ctx, p.Handlers, tx, ev)
	if err != nil {
		if p.Log != nil {
			p.Log.Warn("iot event rejected", "device", ev.dev.ID, "event", ev.header.ID, "err", err)
		}
		return Effect{}, "rejected: " + err.Error(), err
	}
	if fx.Outcome != "" && fx.Outcome != "ok" {
		if err := devices.SetOutcome(ctx, tx, ev.dev.ID, ev.header.ID, fx.Outcome); err != nil {
			return Effect{}, "outcome: " + err.Error(), err
		}
	}
	return fx, "", nil
}

// transient reports whether err is worth retrying the whole batch for (cancellation,
// deadlock, serialization failure, lost connection, server shutting down) rather than
// a property of the event.
func transient(ctx context.Context, err error) bool {
	if err == nil {
		return false
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return pgconn.SafeToRetry(err) || errors.Is(err, io.ErrUnexpectedEOF)
	}
	switch pgErr.Code[:2] {
	case "40", "08", "53", "57":
		return true
	}
	return false
}
