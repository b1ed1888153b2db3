package server

import (
	"context"
	"time"

	"github.com/atrium-mall/atrium/storage"
)

// APQCache keeps automatic persisted queries in Redis, shared by every replica.
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

// Add stores query under hash (gqlgen has checked that the hash matches).
func (c *APQCache) Add(ctx context.Context, hash, query string) {
	c.rdb.Set(ctx, c.rdb.Key("apq", hash), query, c.ttl)
}
