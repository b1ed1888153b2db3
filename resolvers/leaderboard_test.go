package resolvers_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
)

// redisTrips counts an app's trips to Redis: one per command, one per pipeline, except
// a new connection's handshake (HELLO, CLIENT SETINFO): GraphQL resolves the two root
// fields concurrently, so the first such request may open a second connection.
type redisTrips struct{ n atomic.Int64 }

func (h *redisTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *redisTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !handshake(cmd) {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}
func (h *redisTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !handshake(cmds[0]) {
			h.n.Add(1)
		}
		return next(ctx, cmds)
	}
}

func handshake(cmd redis.Cmder) bool { return cmd.Name() == "hello" || cmd.Name() == "client" }

// TestLeaderboardRequestRedisTrips: one GraphQL request for the top 100 and my rank
// costs the whole server at most two Redis round trips once the board is built
// (issue 11, point 4).
func TestLeaderboardRequestRedisTrips(t *testing.T) {
	t.Parallel()
	a, org, _ := newLoyaltyAPI(t)
	shopper := &auth.Viewer{Kind: auth.KindShopper, ID: org.Member(t, a.DB)}
	q := `query($m: ID!) { myRank(mallId: $m) { rank points } leaderboard(mallId: $m, first: 100) { rank points } }`
	vars := map[string]any{"m": relay.ID("Mall", org.MallID)}
	if out := a.As(shopper, q, vars); strings.Contains(mustJSON(out), "errors") { // builds the board
		t.Fatalf("first read: %v", out)
	}
	h := &redisTrips{}
	a.Redis.AddHook(h)
	out := a.As(shopper, q, vars)
	if strings.Contains(mustJSON(out), "errors") || field(out, "data", "myRank", "rank") != float64(0) {
		t.Fatalf("leaderboard: %v", out)
	}
	if n := h.n.Load(); n > 2 {
		t.Errorf("top 100 + my rank took %d Redis round trips, want at most 2", n)
	}
}
