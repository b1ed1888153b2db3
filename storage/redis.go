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
	hub    *Hub // every pub/sub subscription of the client, over one connection
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
		// ?client_name=… names the connections (CLIENT LIST), the pub/sub one included.
		ClientName: opt.ClientName,
	})
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return Redis{}, fmt.Errorf("ping redis: %w", err)
	}
	return Redis{UniversalClient: client, Prefix: prefix, hub: newHub(client)}, nil
}

// Hub is the client's pub/sub hub: all its subscriptions share one connection.
func (r Redis) Hub() *Hub { return r.hub }

// Close ends the client's subscriptions and closes its connections.
func (r Redis) Close() error {
	if r.hub != nil {
		_ = r.hub.Close()
	}
	return r.UniversalClient.Close()
}

// SubscribeJSON delivers the JSON messages published on channel, decoded as T, that
// keep accepts (nil: all), until ctx ends; the channel is closed then, or earlier when
// the subscriber falls HubBuffer messages behind (see Hub). Messages that do not decode
// are skipped. The subscription is active when SubscribeJSON returns; buffer is the
// delivery channel's capacity. Every subscription of r shares r's one pub/sub
// connection.
func SubscribeJSON[T any](ctx context.Context, r Redis, channel string, buffer int, keep func(T) bool) (<-chan T, error) {
	ctx, cancel := context.WithCancel(ctx)
	in, err := r.hub.Subscribe(ctx, channel)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan T, buffer)
	go func() {
		defer close(out)
		defer cancel() // unsubscribes when the hub closed in first
		for {
			select {
			case <-ctx.Done():
				return
			case payload, ok := <-in:
				if !ok {
					return
				}
				var v T
				if json.Unmarshal([]byte(payload), &v) != nil || (keep != nil && !keep(v)) {
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
