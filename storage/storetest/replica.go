package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/storage"
)

// CaughtUp waits (up to 30 s) until db's standby (db.Read) has replayed the WAL its
// primary (db.Pool) has written until now (storage.DB.WaitReplayed).
func CaughtUp(t testing.TB, db *storage.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.WaitReplayed(ctx); err != nil {
		t.Fatal(err)
	}
}
