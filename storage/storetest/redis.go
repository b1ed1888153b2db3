package storetest

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/storage"
)

// Redis returns a client on the test Redis server with a key prefix of the test's own;
// the test's keys are deleted when it ends.
func Redis(t testing.TB) storage.Redis {
	t.Helper()
	ctx := context.Background()
	r, err := storage.OpenRedis(ctx, RedisURL(), RandomName("test:")+":")
	if err != nil {
		t.Fatalf("redis (%s): %v — run `make test`, which starts Redis", RedisURL(), err)
	}
	t.Cleanup(func() {
		iter := r.Scan(ctx, 0, r.Prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			r.Del(ctx, iter.Val())
		}
		_ = r.Close()
	})
	return r
}
