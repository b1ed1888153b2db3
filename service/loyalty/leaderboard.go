package loyalty

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
)

// Leaderboards: points earned (net of claw-backs) per mall and business month, in a
// Redis sorted set per mall and month. PostgreSQL (loyalty_points_earned) is the
// truth: postings add to the set after their commit, but only while the set exists
// (a "built" marker key), and a read of a lost set rebuilds it from PostgreSQL.
// Known gap: an earning committed between a rebuild's PostgreSQL read and its Redis
// write is missing from the set until the next rebuild (RebuildLeaderboard can be
// run periodically to bound that); PostgreSQL never loses it.

// Rank is a member's place on a leaderboard.
type Rank struct {
	MemberID uuid.UUID
	Points   decimal.Decimal
	Rank     int // 1-based; 0 when the member earned nothing this month
}

// recordEarning stores points earned (or clawed back, negative) for the leaderboard.
func recordEarning(ctx context.Context, tx pgx.Tx, pl place, member uuid.UUID, pts decimal.Decimal, at time.Time) (earning, error) {
	month := monthOf(at, pl.Loc)
	_, err := tx.Exec(ctx, `INSERT INTO loyalty_points_earned (id, mall_id, member_id, month, points, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, service.NewID(), pl.MallID, member, month+"-01", pts, at)
	return earning{MallID: pl.MallID, MemberID: member, Month: month, Points: pts}, err
}

func monthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

func (s *Service) boardKeys(mall uuid.UUID, month string) (set, built string) {
	tag := "{" + mall.String() + ":" + month + "}"
	return s.redis.Key("loyalty", "lb", tag, "z"), s.redis.Key("loyalty", "lb", tag, "built")
}

// incrIfBuilt adds to a member's score only while the set is marked built.
var incrIfBuilt = redis.NewScript(`if redis.call('EXISTS', KEYS[2]) == 1 then
	return redis.call('ZINCRBY', KEYS[1], ARGV[1], ARGV[2]) end return false`)

// afterCommit applies committed earnings to the leaderboards. A failure is only
// logged: PostgreSQL has the truth and the next rebuild restores it.
func (s *Service) afterCommit(ctx context.Context, earned []earning) {
	if s.redis.UniversalClient == nil {
		return
	}
	for _, e := range earned {
		set, built := s.boardKeys(e.MallID, e.Month)
		err := incrIfBuilt.Run(ctx, s.redis, []string{set, built}, e.Points.InexactFloat64(), e.MemberID.String()).Err()
		if err != nil && err != redis.Nil {
			slog.WarnContext(ctx, "leaderboard update failed", "mall", e.MallID, "err", err)
		}
	}
}

// RebuildLeaderboard recomputes a mall's month from PostgreSQL into Redis.
func (s *Service) RebuildLeaderboard(ctx context.Context, mall uuid.UUID, month string) error {
	rows, err := s.db.Pool.Query(ctx, `SELECT member_id, sum(points) FROM loyalty_points_earned
		WHERE mall_id = $1 AND month = $2::date GROUP BY member_id HAVING sum(points) <> 0`, mall, month+"-01")
	if err != nil {
		return err
	}
	var zs []redis.Z
	defer rows.Close()
	for rows.Next() {
		var m uuid.UUID
		var p decimal.Decimal
		if err := rows.Scan(&m, &p); err != nil {
			return err
		}
		zs = append(zs, redis.Z{Member: m.String(), Score: p.InexactFloat64()})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	set, built := s.boardKeys(mall, month)
	_, err = s.redis.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, set)
		if len(zs) > 0 {
			p.ZAdd(ctx, set, zs...)
		}
		p.Set(ctx, built, "1", 0)
		return nil
	})
	return err
}

// ensureBoard rebuilds the month's set when Redis lost it.
func (s *Service) ensureBoard(ctx context.Context, mall uuid.UUID, month string) (string, error) {
	set, built := s.boardKeys(mall, month)
	n, err := s.redis.Exists(ctx, built).Result()
	if err != nil || n == 1 {
		return set, err
	}
	return set, s.RebuildLeaderboard(ctx, mall, month)
}

// Leaderboard returns the top n members of a mall's month ("2006-01").
func (s *Service) Leaderboard(ctx context.Context, mall uuid.UUID, month string, n int) ([]Rank, error) {
	set, err := s.ensureBoard(ctx, mall, month)
	if err != nil {
		return nil, err
	}
	zs, err := s.redis.ZRevRangeWithScores(ctx, set, 0, int64(n)-1).Result()
	if err != nil {
		return nil, err
	}
	out := make([]Rank, 0, len(zs))
	for i, z := range zs {
		id, _ := uuid.Parse(z.Member.(string))
		out = append(out, Rank{MemberID: id, Points: decimal.NewFromFloat(z.Score), Rank: i + 1})
	}
	return out, nil
}

// MyRank returns a member's place on a mall's month.
func (s *Service) MyRank(ctx context.Context, mall uuid.UUID, month string, member uuid.UUID) (Rank, error) {
	r := Rank{MemberID: member}
	set, err := s.ensureBoard(ctx, mall, month)
	if err != nil {
		return r, err
	}
	score, err := s.redis.ZScore(ctx, set, member.String()).Result()
	if err == redis.Nil {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	rank, err := s.redis.ZRevRank(ctx, set, member.String()).Result()
	r.Points, r.Rank = decimal.NewFromFloat(score), int(rank)+1
	return r, err
}
