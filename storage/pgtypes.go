package storage

import (
	"fmt"

	"github.com/google/uuid"
	pgxdecimal "github.com/jackc/pgx-shopspring-decimal"
	"github.com/jackc/pgx/v5/pgtype"
)

// Binary wire forms for the two Go types every table uses: google/uuid.UUID and
// shopspring decimal.Decimal.
//
// Both implement database/sql's Valuer and Scanner, and pgx plans those before its own
// wrappers: every UUID argument was turned into its text form, failed the binary
// encode (building an error message with fmt), was parsed back and encoded; every UUID
// and numeric column was converted to text and parsed again by the Scanner. A profile
// of the member home put those round trips at about a third of the pgx CPU of a
// request. The plans below read and write the binary forms directly; the values are
// the same (a numeric keeps its scale, NULL behaves as with the Scanners).

// registerTypes installs the plans on a connection's type map.
func registerTypes(m *pgtype.Map) {
	pgxdecimal.Register(m)
	uuidType := &pgtype.Type{Name: "uuid", OID: pgtype.UUIDOID, Codec: uuidCodec{}}
	m.RegisterType(uuidType)
	m.RegisterType(&pgtype.Type{Name: "_uuid", OID: pgtype.UUIDArrayOID,
		Codec: &pgtype.ArrayCodec{ElementType: uuidType}})
	numericType := &pgtype.Type{Name: "numeric", OID: pgtype.NumericOID, Codec: decimalCodec{}}
	m.RegisterType(numericType)
	m.RegisterType(&pgtype.Type{Name: "_numeric", OID: pgtype.NumericArrayOID,
		Codec: &pgtype.ArrayCodec{ElementType: numericType}})
}

// uuidCodec is pgx's UUID codec that also encodes and scans uuid.UUID itself.
type uuidCodec struct{ pgtype.UUIDCodec }

func (c uuidCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(uuid.UUID); ok {
		return encodeUUID{binary: format == pgtype.BinaryFormatCode}
	}
	return c.UUIDCodec.PlanEncode(m, oid, format, value)
}

func (c uuidCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*uuid.UUID); ok {
		return scanUUID{binary: format == pgtype.BinaryFormatCode}
	}
	return c.UUIDCodec.PlanScan(m, oid, format, target)
}

type encodeUUID struct{ binary bool }

func (p encodeUUID) Encode(value any, buf []byte) ([]byte, error) {
	u := value.(uuid.UUID)
	if p.binary {
		return append(buf, u[:]...), nil
	}
	return append(buf, u.String()...), nil
}

type scanUUID struct{ binary bool }

// Scan leaves dst as it is for NULL, as uuid.UUID's Scan does.
func (p scanUUID) Scan(src []byte, dst any) error {
	if src == nil {
		return nil
	}
	u := dst.(*uuid.UUID)
	if !p.binary {
		parsed, err := uuid.ParseBytes(src)
		if err != nil {
			return err
		}
		*u = parsed
		return nil
	}
	if len(src) != len(u) {
		return fmt.Errorf("invalid length for uuid: %d", len(src))
	}
	copy(u[:], src)
	return nil
}

// decimalCodec is pgx-shopspring-decimal's numeric codec whose scan plans go straight
// to decimal.Decimal and decimal.NullDecimal (its wrappers) rather than through text.
type decimalCodec struct{ pgxdecimal.NumericCodec }

func (c decimalCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if wrap, next, ok := pgxdecimal.TryWrapNumericScanPlan(target); ok {
		if plan := c.NumericCodec.PlanScan(m, oid, format, next); plan != nil {
			wrap.SetNext(plan)
			return wrap
		}
	}
	return c.NumericCodec.PlanScan(m, oid, format, target)
}
