package storage

import (
	"context"
	"encoding/json"
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

// SubscribeJSON delivers the JSON messages published on channel, decoded as T, that
// keep accepts (nil: all), until ctx ends; the channel is closed then. Messages that
// do not decode are skipped. The subscription is active when SubscribeJSON returns;
// buffer is the delivery channel's capacity.
func SubscribeJSON[T any](ctx context.Context, r Redis, channel string, buffer int, keep func(T) bool) (<-chan T, error) {
	ps := r.Subscribe(ctx, channel)
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return nil, err
	}
	out := make(chan T, buffer)
	go func() {
		defer close(out)
		defer ps.Close() //nolint:errcheck
		msgs := ps.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				var v T
				if json.Unmarshal([]byte(m.Payload), &v) != nil || (keep != nil && !keep(v)) {
					continue
				}
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}
