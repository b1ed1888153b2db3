package storage_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestDataExceptionsAreRecognised: values PostgreSQL refuses (a NUL byte in text, a
// number out of range, malformed text for a type) are data exceptions, which the error
// presenter answers as bad input; a unique violation or a missing row is not.
func TestDataExceptionsAreRecognised(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	cases := []struct {
		name string
		sql  string
		args []any
		want bool
	}{
		{"NUL byte in text", `SELECT $1::text`, []any{"a\x00b"}, true},
		{"number out of range", `SELECT 99999999999999999999::numeric(18,2)`, nil, true},
		{"malformed uuid", `SELECT 'nope'::uuid`, nil, true},
		{"division by zero is a bug, not input", `SELECT 1/0`, nil, false},
		{"no row", `SELECT 1 WHERE false`, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			err := db.Pool.QueryRow(ctx, tc.sql, tc.args...).Scan(&v)
			if err == nil {
				t.Fatal("PostgreSQL accepted it")
			}
			if got := storage.IsDataException(err); got != tc.want {
				t.Fatalf("IsDataException(%v) = %v, want %v", err, got, tc.want)
			}
		})
	}
}
