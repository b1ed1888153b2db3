package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestUUIDRoundTrips: uuid.UUID arguments and columns (single, nullable, arrays, text
// casts) read back as written, and NULL leaves a uuid.UUID at its zero as the Scanner did.
func TestUUIDRoundTrips(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	a, b := uuid.Must(uuid.NewV7()), uuid.New()
	var got, zero uuid.UUID
	var text string
	var ptr, null *uuid.UUID
	var list []uuid.UUID
	err := db.Pool.QueryRow(ctx, `SELECT $1::uuid, $1::uuid::text, $2::uuid, NULL::uuid, NULL::uuid, $3::uuid[]`,
		a, &b, []uuid.UUID{a, b}).Scan(&got, &text, &ptr, &null, &zero, &list)
	if err != nil {
		t.Fatal(err)
	}
	if got != a || text != a.String() || ptr == nil || *ptr != b || null != nil || zero != uuid.Nil ||
		len(list) != 2 || list[0] != a || list[1] != b {
		t.Fatalf("got %v %q %v %v %v %v", got, text, ptr, null, zero, list)
	}
	var fromText uuid.UUID
	if err := db.Pool.QueryRow(ctx, `SELECT $1::text::uuid`, b.String()).Scan(&fromText); err != nil || fromText != b {
		t.Fatalf("text to uuid: %v %v", fromText, err)
	}
	var isNull bool
	if err := db.Pool.QueryRow(ctx, `SELECT $1::uuid IS NULL`, (*uuid.UUID)(nil)).Scan(&isNull); err != nil || !isNull {
		t.Fatalf("nil *uuid.UUID: %v %v", isNull, err)
	}
}

// TestDecimalRoundTrips: numerics scan into decimal.Decimal with their value, scale and
// text (as parsing their text gives), nullable and array forms too; NULL and NaN into a
// decimal.Decimal are errors, as with the Scanner.
func TestDecimalRoundTrips(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	for _, s := range []string{"0", "10.00", "-0.0001", "12.5", "1e20", "123456789012345678901234567890.123", "-7"} {
		var d decimal.Decimal
		var text string
		if err := db.Pool.QueryRow(ctx, `SELECT $1::numeric, $1::numeric::text`, s).Scan(&d, &text); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		want := decimal.RequireFromString(text)
		// The scale is kept: the same negative exponent (an integer may come back as
		// 1e20 rather than 100000000000000000000e0, the same value and text).
		sameScale := d.Exponent() == want.Exponent() || (d.Exponent() >= 0 && want.Exponent() >= 0)
		if !d.Equal(want) || !sameScale || d.String() != want.String() {
			t.Fatalf("%s: got %s (exp %d), want %s (exp %d)", s, d, d.Exponent(), want, want.Exponent())
		}
		var back string
		if err := db.Pool.QueryRow(ctx, `SELECT $1::numeric::text`, d).Scan(&back); err != nil || back != text {
			t.Fatalf("%s: written back as %q: %v", s, back, err)
		}
	}
	var ptr, null *decimal.Decimal
	var nd decimal.NullDecimal
	var list []decimal.Decimal
	err := db.Pool.QueryRow(ctx, `SELECT 2.50::numeric, NULL::numeric, NULL::numeric, ARRAY[1.5, 2]::numeric[]`).
		Scan(&ptr, &null, &nd, &list)
	if err != nil || ptr == nil || ptr.String() != "2.5" || null != nil || nd.Valid || len(list) != 2 || list[0].String() != "1.5" {
		t.Fatalf("got %v %v %v %v: %v", ptr, null, nd, list, err)
	}
	var d decimal.Decimal
	if err := db.Pool.QueryRow(ctx, `SELECT NULL::numeric`).Scan(&d); err == nil {
		t.Fatal("NULL scanned into a decimal.Decimal")
	}
	if err := db.Pool.QueryRow(ctx, `SELECT 'NaN'::numeric`).Scan(&d); err == nil {
		t.Fatal("NaN scanned into a decimal.Decimal")
	}
}

// TestUUIDAndDecimalPlansAreBinary: the pool's type map plans uuid.UUID and
// decimal.Decimal without database/sql's Valuer and Scanner (their text round trips).
func TestUUIDAndDecimalPlansAreBinary(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	conn, err := db.Pool.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	m := conn.Conn().TypeMap()
	plans := []any{
		m.PlanEncode(pgtype.UUIDOID, pgtype.BinaryFormatCode, uuid.New()),
		m.PlanScan(pgtype.UUIDOID, pgtype.BinaryFormatCode, new(uuid.UUID)),
		m.PlanScan(pgtype.NumericOID, pgtype.BinaryFormatCode, new(decimal.Decimal)),
	}
	for _, p := range plans {
		if name := fmt.Sprintf("%T", p); strings.Contains(name, "SQLScanner") || strings.Contains(name, "DriverValuer") {
			t.Errorf("plan %s goes through database/sql", name)
		}
	}
}
