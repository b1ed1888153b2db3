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
	switch {
	case at.IsZero() || at.Year() < 2000:
		return r, errs.Invalid("input.at", "a replacement needs its time")
	case at.After(s.now().Add(clockSkew)):
		return r, errs.Invalid("input.at", "a replacement cannot be in the future")
	case utf8.RuneCountInString(note) > maxNoteLen:
		return r, errs.Invalid("input.note", "a note has at most %d characters", maxNoteLen)
	}
	if oldFinal != nil {
		if err := meterValue("input.oldFinal", *oldFinal); err != nil {
			return r, err
		}
	}
	if err := meterValue("input.newStart", newStart); err != nil {
		return r, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		// One replacement at a time per meter, so the duplicate check holds.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('meter-replacement:' || $1))`, d.ID); err != nil {
			return err
		}
		var prev MeterReplacement
		err := tx.QueryRow(ctx, `SELECT device_id, replaced_at, old_final, new_start, note, created_at
			FROM meter_replacements WHERE device_id = $1 AND replaced_at = $2`, d.ID, at).Scan(&prev.DeviceID, &prev.At,
			&prev.OldFinal, &prev.NewStart, &prev.Note, &prev.CreatedAt)
		switch {
		case err == nil:
			if !sameDecimal(prev.OldFinal, oldFinal) || !prev.NewStart.Equal(newStart) || prev.Note != note {
				return ErrReplacementExists.At("input", "at")
			}
			r = prev
			return nil
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if oldFinal != nil && d.MeterMax == nil {
			var last decimal.NullDecimal
			if err := tx.QueryRow(ctx, `SELECT value FROM meter_readings WHERE device_id = $1 AND read_at <= $2 AND flag = ''
				ORDER BY read_at DESC LIMIT 1`, d.ID, at).Scan(&last); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if last.Valid && oldFinal.LessThan(last.Decimal) {
				return errs.Invalid("input.oldFinal", "the old meter already read %s before the replacement", last.Decimal)
			}
		}
		return tx.QueryRow(ctx, `INSERT INTO meter_replacements (id, device_id, replaced_at, old_final, new_start, note)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`, service.NewID(), d.ID, at, oldFinal, newStart, note).Scan(&r.CreatedAt)
	})
	if err != nil {
		return MeterReplacement{}, err
	}
	return r, nil
}

func sameDecimal(a, b *decimal.Decimal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
