package meters

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/meters/internal/queries"
)

// ErrReplacementExists: the meter already has a different replacement at that instant.
var ErrReplacementExists = errs.New(errs.KindUser, "METER_REPLACEMENT_EXISTS",
	"the meter already has a different replacement at this time")

// Limits of a replacement.
const (
	clockSkew   = 5 * time.Minute // a replacement may be dated this far ahead of the clock
	maxNoteLen  = 500
	valueDigits = 15 // numeric(18,3): 15 digits before the point
)

// MeterReplacement is a recorded meter replacement.
type MeterReplacement struct {
	DeviceID  string
	At        time.Time
	OldFinal  *decimal.Decimal // nil: the old meter's last reading
	NewStart  decimal.Decimal
	Note      string
	CreatedAt time.Time
}

// meterValue checks a counter value: not negative, at most 3 decimals, fits numeric(18,3).
func meterValue(field string, v decimal.Decimal) error {
	switch {
	case v.IsNegative():
		return errs.Invalid(field, "a meter value must not be negative")
	case !v.Equal(v.Round(3)):
		return errs.Invalid(field, "a meter value has at most 3 decimals")
	case v.GreaterThanOrEqual(decimal.New(1, valueDigits)):
		return errs.Invalid(field, "a meter value is below 10^%d", valueDigits)
	}
	return nil
}

// validate checks a replacement's time, note and values against the clock now.
func (r MeterReplacement) validate(now time.Time) error {
	switch {
	case r.At.IsZero() || r.At.Year() < 2000:
		return errs.Invalid("input.at", "a replacement needs its time")
	case r.At.After(now.Add(clockSkew)):
		return errs.Invalid("input.at", "a replacement cannot be in the future")
	case utf8.RuneCountInString(r.Note) > maxNoteLen:
		return errs.Invalid("input.note", "a note has at most %d characters", maxNoteLen)
	}
	if r.OldFinal != nil {
		if err := meterValue("input.oldFinal", *r.OldFinal); err != nil {
			return err
		}
	}
	return meterValue("input.newStart", r.NewStart)
}

// RecordReplacement records that a meter was replaced at at: the old meter's final
// value (nil: its last reading) and the new meter's start value (usually zero).
// Admins and maintenance staff of the meter's mall may (anyone else: NOT_FOUND, as for
// every device they cannot see). Recording the same replacement again returns it
// unchanged; a different one at the same instant is METER_REPLACEMENT_EXISTS. A final
// value below a reading the old meter already sent before at is refused (unless the
// meter rolls over).
func (s *Service) RecordReplacement(ctx context.Context, deviceID string, at time.Time,
	oldFinal *decimal.Decimal, newStart decimal.Decimal, note string) (MeterReplacement, error) {
	d, err := s.meter(ctx, deviceID, auth.RoleAdmin, auth.RoleMaintenance)
	if err != nil {
		return MeterReplacement{}, err
	}
	at = at.Truncate(time.Microsecond) // as PostgreSQL stores it, so a repeat matches
	r := MeterReplacement{DeviceID: d.ID, At: at, OldFinal: oldFinal, NewStart: newStart, Note: note}
	if err := r.validate(s.now()); err != nil {
		return r, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		prev, found, err := replacementAt(ctx, tx, d.ID, at)
		switch {
		case err != nil:
			return err
		case found && !prev.same(r):
			return ErrReplacementExists.At("input", "at")
		case found:
			r = prev
			return nil
		}
		if oldFinal != nil && d.MeterMax == nil {
			if err := finalNotBelowLast(ctx, tx, d.ID, at, *oldFinal); err != nil {
				return err
			}
		}
		r.CreatedAt, err = queries.New(tx).InsertReplacement(ctx, queries.InsertReplacementParams{ID: service.NewID(),
			DeviceID: d.ID, ReplacedAt: at, OldFinal: oldFinal, NewStart: newStart, Note: note})
		return err
	})
	if err != nil {
		return MeterReplacement{}, err
	}
	return r, nil
}

// replacementAt locks the meter's replacements for tx (one at a time per meter, so the
// duplicate check holds) and returns the one at at, if any.
func replacementAt(ctx context.Context, tx pgx.Tx, deviceID string, at time.Time) (MeterReplacement, bool, error) {
	q := queries.New(tx)
	if err := q.LockReplacements(ctx, deviceID); err != nil {
		return MeterReplacement{}, false, err
	}
	row, err := q.ReplacementAt(ctx, deviceID, at)
	if errors.Is(err, pgx.ErrNoRows) {
		return MeterReplacement{}, false, nil
	} else if err != nil {
		return MeterReplacement{}, false, err
	}
	return MeterReplacement{DeviceID: row.DeviceID, At: row.ReplacedAt, OldFinal: row.OldFinal, NewStart: row.NewStart,
		Note: row.Note, CreatedAt: row.CreatedAt}, true, nil
}

// finalNotBelowLast refuses an old meter's final value below a reading it already sent
// before at.
func finalNotBelowLast(ctx context.Context, tx pgx.Tx, deviceID string, at time.Time, final decimal.Decimal) error {
	last, err := queries.New(tx).LastReadingBy(ctx, deviceID, at)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	if final.LessThan(last) {
		return errs.Invalid("input.oldFinal", "the old meter already read %s before the replacement", last)
	}
	return nil
}

// same reports whether p records the same replacement as r (a repeat).
func (p MeterReplacement) same(r MeterReplacement) bool {
	return sameDecimal(p.OldFinal, r.OldFinal) && p.NewStart.Equal(r.NewStart) && p.Note == r.Note
}

func sameDecimal(a, b *decimal.Decimal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
