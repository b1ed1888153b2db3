package benchab

import (
	"fmt"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []float64
		want float64
	}{
		{"none", nil, 0},
		{"odd", []float64{3, 1, 2}, 2},
		{"even", []float64{4, 1, 3, 2}, 2.5},
	} {
		if got := Median(c.in); got != c.want {
			t.Errorf("%s: Median(%v) = %v, want %v", c.name, c.in, got, c.want)
		}
	}
}

func TestWrites(t *testing.T) {
	got := Writes([]Stmt{
		{SQL: "begin", Tag: "BEGIN"},
		{SQL: "-- name: X :exec\nINSERT INTO ledger_entries (a) SELECT 1", Tag: "INSERT 0 2"},
		{SQL: "INSERT INTO idempotency_keys (scope) VALUES ($1) ON CONFLICT DO NOTHING", Tag: "INSERT 0 0"},
		{SQL: "UPDATE ledger_accounts SET balance = 1 WHERE id = $1", Tag: "UPDATE 1"},
		{SQL: "update ledger_accounts set balance = 2", Tag: "UPDATE 1"},
		{SQL: "WITH u AS (UPDATE coupons SET x = 1 RETURNING id) UPDATE coupon_templates SET n = 1", Tag: "UPDATE 1"},
		{SQL: "SELECT 1 FROM ledger_accounts FOR UPDATE", Tag: "SELECT 1"},
		{SQL: "INSERT INTO coupon_member_claims (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2", Tag: "INSERT 0 1"},
	})
	want := "[coupon_member_claims INSERT ×1 coupon_templates UPDATE ×1 ledger_accounts UPDATE ×2 ledger_entries INSERT ×2]"
	if fmt.Sprint(got) != want {
		t.Errorf("Writes = %v, want %s", got, want)
	}
}

func TestRoundTrips(t *testing.T) {
	got := RoundTrips([]Stmt{{SQL: "begin"}, {SQL: "a", Batch: 1}, {SQL: "b", Batch: 1}, {SQL: "c"}, {SQL: "d", Batch: 2},
		{SQL: "commit"}})
	if got != 5 { // begin, batch 1, c, batch 2, commit
		t.Errorf("RoundTrips = %d, want 5", got)
	}
}
