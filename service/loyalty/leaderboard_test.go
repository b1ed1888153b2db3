package loyalty_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// roundTrips counts the client's trips to Redis: one per command, one per pipeline.
type roundTrips struct{ n atomic.Int64 }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// seedBoard gives a mall's month n members with points 1…n (member i has i+1 points)
// straight in loyalty_points_earned, and returns them in that order: how tests and
// benchmarks get a large board quickly; the application never writes members this way.
func seedBoard(t testing.TB, b bundle, month string, n int) []uuid.UUID {
	t.Helper()
	ctx := context.Background()
	rows, err := b.db.Pool.Query(ctx, `WITH m AS (
		INSERT INTO members (id, group_id, status, registered_at)
		SELECT gen_random_uuid(), $1, 'active', now() FROM generate_series(1, $2) RETURNING id),
	numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM m),
	earned AS (INSERT INTO loyalty_points_earned (id, mall_id, member_id, month, points, created_at)
		SELECT gen_random_uuid(), $3, id, ($4 || '-01')::date, i, now() FROM numbered)
	SELECT id FROM numbered ORDER BY i`, b.org.GroupID, n, b.org.MallID, month)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uuid.UUID
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) != n {
		t.Fatalf("seeded %d of %d members: %v", len(ids), n, err)
	}
	return ids
}

// TestLeaderboardRoundTrips: the top 100 and the caller's rank, read by a member of the
// group, cost at most two Redis round trips once the board is built (issue 11, point 4),
// and the answer is right; a member without points gets rank 0 in the same budget.
func TestLeaderboardRoundTrips(t *testing.T) {
	b := setup(t)
	month := "2026-03"
	ids := seedBoard(t, b, month, 150)
	me := ids[120] // 121 points: rank 150-120 = 30
	ctx := shopperCtx(me)
	if _, err := b.svc.Leaderboard(ctx, b.org.MallID, month, 100); err != nil { // builds the board
		t.Fatal(err)
	}
	h := &roundTrips{}
	b.redis.AddHook(h)
	top, err := b.svc.Leaderboard(ctx, b.org.MallID, month, 100)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := b.svc.MyRank(ctx, b.org.MallID, month, me)
	if err != nil {
		t.Fatal(err)
	}
	if n := h.n.Load(); n > 2 {
		t.Errorf("top 100 + my rank took %d Redis round trips, want at most 2", n)
	}
	if len(top) != 100 || top[0].MemberID != ids[149] || top[0].Rank != 1 || !top[99].Points.Equal(d("51")) {
		t.Errorf("top = %d rows, first %+v, last %+v", len(top), top[0], top[len(top)-1])
	}
	if mine.Rank != 30 || !mine.Points.Equal(d("121")) {
		t.Errorf("my rank = %+v, want 30th with 121", mine)
	}
	h.n.Store(0)
	nobody, err := b.svc.MyRank(b.desk, b.org.MallID, month, uuid.New())
	if err != nil || nobody.Rank != 0 || !nobody.Points.IsZero() {
		t.Errorf("rank of a member without points = %+v, %v", nobody, err)
	}
	if n := h.n.Load(); n > 1 {
		t.Errorf("my rank took %d Redis round trips, want 1", n)
	}
}

// BenchmarkLeaderboard: top 100 + my rank of a member of the group (a board of 1,000
// members) through the service — authorization included — against the very Redis
// commands it issues (EXISTS+ZREVRANGE WITHSCORES, EXISTS+ZSCORE+ZREVRANK, each
// pipelined) sent directly through the same client. The two sides alternate request by
// request; ratios are per round of 50 pairs (target: x-direct ≥ 0.5).
//
//	go test -run '^$' -bench Leaderboard -benchtime 4000x ./service/loyalty
func BenchmarkLeaderboard(b *testing.B) {
	s := setup(b)
	month := "2026-03"
	ids := seedBoard(b, s, month, 1000)
	me := ids[500]
	ctx := shopperCtx(me)
	if _, err := s.svc.Leaderboard(ctx, s.org.MallID, month, 100); err != nil {
		b.Fatal(err)
	}
	keys, err := s.redis.Keys(context.Background(), s.redis.Prefix+"*:z").Result()
	if err != nil || len(keys) != 1 {
		b.Fatalf("board keys %v, %v", keys, err)
	}
	set, meta := keys[0], keys[0][:len(keys[0])-1]+"meta"
	service := func() {
		if _, err := s.svc.Leaderboard(ctx, s.org.MallID, month, 100); err != nil {
			b.Fatal(err)
		}
		if _, err := s.svc.MyRank(ctx, s.org.MallID, month, me); err != nil {
			b.Fatal(err)
		}
	}
	direct := func() {
		p := s.redis.Pipeline()
		p.Exists(ctx, meta)
		p.ZRevRangeWithScores(ctx, set, 0, 99)
		if _, err := p.Exec(ctx); err != nil {
			b.Fatal(err)
		}
		p = s.redis.Pipeline()
		p.Exists(ctx, meta)
		p.ZScore(ctx, set, me.String())
		p.ZRevRank(ctx, set, me.String())
		if _, err := p.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	const round = 50
	var tA, tB, rA, rB time.Duration
	var ratios []float64
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		service()
		t1 := time.Now()
		direct()
		rA, rB = rA+t1.Sub(t0), rB+time.Since(t1)
		if (i+1)%round == 0 || i == b.N-1 {
			ratios = append(ratios, rB.Seconds()/rA.Seconds())
			tA, tB, rA, rB = tA+rA, tB+rB, 0, 0
		}
	}
	b.StopTimer()
	slices.Sort(ratios)
	b.ReportMetric(float64(b.N)/tA.Seconds(), "service-req/s")
	b.ReportMetric(float64(b.N)/tB.Seconds(), "direct-req/s")
	b.ReportMetric(tB.Seconds()/tA.Seconds(), "x-direct")
	b.ReportMetric(ratios[0], "x-min")
	b.ReportMetric(ratios[len(ratios)/2], "x-median")
	b.ReportMetric(ratios[len(ratios)-1], "x-max")
}
