package storage

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Redis is a Redis client (single node or cluster) with a key prefix, so that several
// deployments or parallel tests can share one server without colliding.
type Redis struct {
	redis.UniversalClient
	Prefix string
}

// Key joins the prefix and parts with ':'. In a cluster, use a {hash tag} part to keep
// keys that a script touches together on one slot.
func (r Redis) Key(parts ...string) string {
	return r.Prefix + strings.Join(parts, ":")
}

// OpenRedis connects to rawURL. Several hosts separated by commas
// (redis://h1:6379,h2:6379) select Redis Cluster through the same interface.
func OpenRedis(ctx context.Context, rawURL, prefix string) (Redis, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Redis{}, fmt.Errorf("parse redis url: %w", err)
	}
	hosts := strings.Split(u.Host, ",")
	first := *u
	first.Host = hosts[0]
	opt, err := redis.ParseURL(first.String())
	if err != nil {
		return Redis{}, fmt.Errorf("parse redis url: %w", err)
	}
	client := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:     hosts,
		DB:        opt.DB,
		Username:  opt.Username,
		Password:  opt.Password,
		TLSConfig: opt.TLSConfig,
	})
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return Redis{}, fmt.Errorf("ping redis: %w", err)
	}
	return Redis{UniversalClient: client, Prefix: prefix}, nil
}
