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
// The batch first runs set-wise without savepoints (the common case: every event
// applies): one statement claims every event, the handlers' ReadingBatcher stores the
// fresh readings at once, one statement records the outcomes. If any event is rejected,
// that transaction is rolled back and the batch runs again event by event with a
// savepoint per event, so the rejected ones leave no trace but a dead letter.
func (p *Processor) Process(ctx context.Context, msgs []*Message) error {
	b, err := p.Prepare(ctx, msgs)
	if err != nil {
		return err
	}
	return p.Apply(ctx, b)
}

// Prepared is a batch parsed, looked up and decoded (Prepare), ready to be applied in
// its transaction (Apply). Preparing reads only the device registry, so the bridge
// prepares a batch while the one before it commits.
type Prepared struct {
	evs  []event
	dead []devices.DeadLetter
}

// Prepare parses topics, looks the devices up and decodes the payloads of msgs. An
// error means the devices could not be looked up (the caller retries).
func (p *Processor) Prepare(ctx context.Context, msgs []*Message) (Prepared, error) {
	evs, dead, err := p.prepare(ctx, msgs)
	return Prepared{evs: evs, dead: dead}, err
}

// Apply commits a prepared batch (see Process); an error means nothing was committed.
func (p *Processor) Apply(ctx context.Context, b Prepared) error {
	after, err := p.run(ctx, b.evs, b.dead, false)
	if errors.Is(err, errSlowPath) {
		after, err = p.run(ctx, b.evs, b.dead, true)
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

// run applies evs and records dead letters in one transaction: set-wise without
// savepoints (batch), else event by event, each under a savepoint.
func (p *Processor) run(ctx context.Context, evs []event, dead0 []devices.DeadLetter, savepoints bool) ([]func(context.Context), error) {
	var after []func(context.Context)
	var statuses []string
	for _, ev := range evs {
		if ev.status != nil {
			statuses = append(statuses, ev.dev.ID)
		}
	}
	// Work the hooks queue for after the commit (storage.Defer: work-order
	// announcements) runs after the effects' own AfterCommit.
	ctx, hooked := storage.WithAfterCommit(ctx)
	err := p.DB.InTx(ctx, func(tx pgx.Tx) error {
		dead := append([]devices.DeadLetter(nil), dead0...)
		after = nil
		hooked.Reset()
		// Device-row locks: status devices first, in id order (rare); every other event
		// takes only KEY SHARE locks (the iot_events foreign key), and Touch, last,
		// skips what it cannot lock at once — so two bridges never deadlock on devices.
		if err := devices.LockForStatus(ctx, tx, statuses); err != nil {
			return fmt.Errorf("lock status devices: %w", err)
		}
		fxs := make([]Effect, len(evs))
		rejected := make([]bool, len(evs))
		if savepoints {
			for i, ev := range evs {
				fx, reason, err := p.one(ctx, tx, ev)
				if err != nil {
					return err
				}
				if reason != "" {
					dead = append(dead, deadLetter(ev.msg, reason, &ev.dev))
					rejected[i] = true
				}
				fxs[i] = fx
			}
		} else {
			var err error
			if fxs, err = p.batch(ctx, tx, evs); err != nil {
				return err
			}
		}
		var seen []string
		var last time.Time
		for i, ev := range evs {
			if rejected[i] {
				continue
			}
			if fxs[i].AfterCommit != nil {
				after = append(after, fxs[i].AfterCommit)
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
		if err := devices.RecordDeadLetters(ctx, tx, dead); err != nil {
			return err
		}
		after = append(after, hooked.Run)
		return nil
	})
	return after, err
}

// batch applies evs in tx set-wise, every event expected to apply: one statement claims
// all of them, the fresh meter readings are stored with one call of the handlers'
// ReadingBatcher (when they have one), other kinds go to their handler one by one, and
// one statement records the outcomes. It returns the effects by event (none for a
// status or a duplicate); a rejection returns errSlowPath, or its cause when that is
// transient (the batch is then retried as a whole).
func (p *Processor) batch(ctx context.Context, tx pgx.Tx, evs []event) ([]Effect, error) {
	fail := func(cause error) error {
		if transient(ctx, cause) {
			return cause
		}
		return errSlowPath
	}
	fxs := make([]Effect, len(evs))
	key := func(ev event) devices.EventKey { return devices.EventKey{DeviceID: ev.dev.ID, EventID: ev.header.ID} }
	first := map[devices.EventKey]int{} // a batch's second copy of an event is a duplicate
	var claims []devices.EventClaim
	for i, ev := range evs {
		if ev.status != nil {
			if _, reason, cause := p.applyIn(ctx, tx, ev); reason != "" {
				return nil, fail(cause)
			}
			continue
		}
		if _, dup := first[key(ev)]; dup {
			continue
		}
		first[key(ev)] = i
		claims = append(claims, devices.EventClaim{DeviceID: ev.dev.ID, EventID: ev.header.ID, Kind: ev.kind,
			TS: ev.header.TS, ReceivedAt: ev.msg.ReceivedAt})
	}
	fresh, err := devices.ClaimMany(ctx, tx, claims)
	if err != nil {
		return nil, fail(err)
	}
	batcher, _ := p.Handlers.(ReadingBatcher)
	var readings []DeviceReading
	var at []int // readings[j] is evs[at[j]]
	for i, ev := range evs {
		if ev.status != nil || first[key(ev)] != i || !fresh[key(ev)] {
			continue
		}
		if r, ok := ev.payload.(Reading); ok && batcher != nil {
			readings = append(readings, DeviceReading{Dev: ev.dev, Reading: r, ReceivedAt: ev.msg.ReceivedAt})
			at = append(at, i)
			continue
		}
		fx, err := apply(ctx, p.Handlers, tx, ev)
		if err != nil {
			return nil, fail(err)
		}
		fxs[i] = fx
	}
	if len(readings) > 0 {
		rfx, err := batcher.Readings(ctx, tx, readings)
		if err != nil {
			return nil, fail(err)
		}
		if len(rfx) != len(readings) {
			return nil, errSlowPath
		}
		for j, i := range at {
			fxs[i] = rfx[j]
		}
	}
	outcomes := map[devices.EventKey]string{}
	for i, fx := range fxs {
		if fx.Outcome != "" && fx.Outcome != "ok" {
			outcomes[key(evs[i])] = fx.Outcome
		}
	}
	if err := devices.SetOutcomes(ctx, tx, outcomes); err != nil {
		return nil, fail(err)
	}
	return fxs, nil
}

// one applies one event under a savepoint. A rejected event returns its reason (the
// savepoint is rolled back); an error means the transaction itself failed.
func (p *Processor) one(ctx context.Context, tx pgx.Tx, ev event) (Effect, string, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return Effect{}, "", err
	}
	spCtx, released := storage.WithAfterCommit(ctx) // dropped with a rolled-back savepoint
	fx, reason, cause := p.applyIn(spCtx, sp, ev)
	if reason != "" {
		if transient(ctx, cause) {
			return Effect{}, "", cause // retry the batch rather than dead-letter a good event
		}
		if err := sp.Rollback(ctx); err != nil {
			return Effect{}, "", err
		}
		return Effect{}, reason, nil
	}
	if err := sp.Commit(ctx); err != nil {
		return Effect{}, "", err
	}
	storage.Defer(ctx, released.Run)
	return fx, "", nil
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
