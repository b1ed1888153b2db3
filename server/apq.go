package server

import (
	"context"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/storage"
)

// MaxAPQBytes is the largest query kept as a persisted query.
const MaxAPQBytes = 32 << 10

// APQCache keeps automatic persisted queries in Redis, shared by every replica. Only a
// logged-in caller's queries of at most MaxAPQBytes are kept: an anonymous client cannot
// park blobs in the Redis that holds sessions and back-off counters (it sends its query
// in full each time instead).
type APQCache struct {
	rdb storage.Redis
	ttl time.Duration
}

// NewAPQCache keeps queries for ttl after last use.
func NewAPQCache(rdb storage.Redis, ttl time.Duration) *APQCache {
	return &APQCache{rdb: rdb, ttl: ttl}
}

// Get returns the query stored under hash.
func (c *APQCache) Get(ctx context.Context, hash string) (string, bool) {
	q, err := c.rdb.GetEx(ctx, c.rdb.Key("apq", hash), c.ttl).Result()
	return q, err == nil
}

// Add stores query under hash (gqlgen has checked that the hash matches) for a
// logged-in caller and a query of at most MaxAPQBytes; otherwise it keeps nothing.
func (c *APQCache) Add(ctx context.Context, hash, query string) {
	if auth.ViewerFrom(ctx) == nil || len(query) > MaxAPQBytes {
		return
	}
	c.rdb.Set(ctx, c.rdb.Key("apq", hash), query, c.ttl)
}
