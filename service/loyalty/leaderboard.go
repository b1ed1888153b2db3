package loyalty

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Leaderboards: points earned (net of claw-backs) per mall and business month, in a
// Redis sorted set per mall and month. PostgreSQL (loyalty_points_earned) is the truth;
// Redis is a cache that is exact, not just eventually close:
//
//   - A rebuild reads the month's sums in one REPEATABLE READ transaction together with
//     that transaction's snapshot (pg_current_snapshot: xmin, xmax, in-progress xids),
//     and installs both in Redis (the set and a "meta" hash) in one script.
//   - Every earning remembers the id of the transaction that wrote it. After commit it
//     is added to the set only if the installed snapshot does not already see that
//     transaction, so an earning is never counted twice, whenever its after-commit step
//     runs relative to a rebuild.
//   - While a rebuild runs (its "building" key is set) and no board is installed,
//     after-commit steps queue their earnings in a "pending" list; the rebuild applies
//     those its snapshot does not see, so none is lost either.
//
// A lost board (Redis flushed) is rebuilt on the next read. If the after-commit step
// itself fails (Redis down), the set stays behind until the next rebuild;
// RebuildLeaderboard may be run periodically to bound that.

// Rank is a member's place on a leaderboard.
type Rank struct {
	MemberID uuid.UUID
	Points   decimal.Decimal
	Rank     int // 1-based; 0 when the member earned nothing this month
}

// recordEarning stores points earned (or clawed back, negative) for the leaderboard,
// with the id of the transaction that writes it.
func recordEarning(ctx context.Context, tx pgx.Tx, pl org.Place, member uuid.UUID, pts decimal.Decimal, at time.Time) (earning, error) {
	e := earning{MallID: pl.MallID, MemberID: member, Month: calendar.Month(at, pl.Loc), Points: pts}
	var err error
	e.TxID, err = queries.New(tx).InsertPointsEarned(ctx, queries.InsertPointsEarnedParams{ID: service.NewID(),
		MallID: pl.MallID, MemberID: member, Month: e.Month, Points: pts, CreatedAt: at})
	return e, err
}

// queueEarning is recordEarning queued in b: the earning's TxID is set when b is sent.
func queueEarning(ctx context.Context, b *storage.Batch, pl org.Place, member uuid.UUID, pts decimal.Decimal, at time.Time) *earning {
	e := &earning{MallID: pl.MallID, MemberID: member, Month: calendar.Month(at, pl.Loc), Points: pts}
	b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).InsertPointsEarned(ctx, queries.InsertPointsEarnedParams{ID: service.NewID(),
			MallID: pl.MallID, MemberID: member, Month: e.Month, Points: pts, CreatedAt: at})
	}).QueryRow(func(row pgx.Row) error { return row.Scan(&e.TxID) })
	return e
}

// boardKeys are a board's keys, all in one Redis Cluster slot: the sorted set, the
// installed snapshot, the rebuild lock and the earnings queued during a rebuild.
func (s *Service) boardKeys(mall uuid.UUID, month string) []string {
	tag := "{" + mall.String() + ":" + month + "}"
	return []string{s.redis.Key("loyalty", "lb", tag, "z"), s.redis.Key("loyalty", "lb", tag, "meta"),
		s.redis.Key("loyalty", "lb", tag, "building"), s.redis.Key("loyalty", "lb", tag, "pending")}
}

// visibleLua defines visible(txid, xmin, xmax, xip): whether a snapshot sees a
// transaction (PostgreSQL's rule for committed transactions); and add, which changes a
// member's score and drops a member whose net points come to zero (as a rebuild would).
const visibleLua = `local function visible(tx, xmin, xmax, xip)
	if tx < xmin then return true end
	if tx >= xmax then return false end
	for x in string.gmatch(xip, '[^,]+') do if tonumber(x) == tx then return false end end
	return true
end
local function add(set, pts, member)
	if tonumber(redis.call('ZINCRBY', set, pts, member)) == 0 then redis.call('ZREM', set, member) end
end
`

// applyEarning adds an earning to an installed board unless its snapshot already sees
// the earning's transaction; with no board, it queues the earning while a rebuild runs
// (and drops it otherwise: the rebuild that will follow reads it from PostgreSQL).
// KEYS: set, meta, building, pending. ARGV: txid, points, member.
var applyEarning = redis.NewScript(visibleLua + `local tx = tonumber(ARGV[1])
local m = redis.call('HMGET', KEYS[2], 'xmin', 'xmax', 'xip')
if m[1] then
	if visible(tx, tonumber(m[1]), tonumber(m[2]), m[3]) then return 0 end
	add(KEYS[1], ARGV[2], ARGV[3])
	return 1
end
if redis.call('EXISTS', KEYS[3]) == 1 then
	redis.call('RPUSH', KEYS[4], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. ARGV[3])
	return 2
end
return 3`)

// installBoard replaces the set with a snapshot's sums, records the snapshot, applies
// the queued earnings the snapshot does not see, and ends the rebuild; it does nothing
// (returns 0) when the rebuild lost its lock (expired, or Redis flushed meanwhile).
// KEYS: set, meta, building, pending. ARGV: token, xmin, xmax, xip, then member/score pairs.
var installBoard = redis.NewScript(visibleLua + `if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
local xmin, xmax, xip = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('DEL', KEYS[1])
for i = 5, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i]) end
redis.call('HSET', KEYS[2], 'xmin', ARGV[2], 'xmax', ARGV[3], 'xip', xip)
for _, e in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do
	local tx, pts, member = string.match(e, '(%S+) (%S+) (%S+)')
	if not visible(tonumber(tx), xmin, xmax, xip) then add(KEYS[1], pts, member) end
end
redis.call('DEL', KEYS[3], KEYS[4])
return 1`)

// afterCommit applies committed earnings to the leaderboards. A failure is only
// logged: PostgreSQL has the truth and the next rebuild restores it.
func (s *Service) afterCommit(ctx context.Context, earned []earning) {
	if s.redis.UniversalClient == nil {
		return
	}
	if s.commitPause != nil {
		s.commitPause()
	}
	for _, e := range earned {
		err := applyEarning.Run(ctx, s.redis, s.boardKeys(e.MallID, e.Month), e.TxID, e.Points.String(),
			e.MemberID.String()).Err()
		if err != nil {
			slog.WarnContext(ctx, "leaderboard update failed", "mall", e.MallID, "err", err)
		}
	}
}

// errRebuildBusy: another rebuild of the board holds the lock.
var errRebuildBusy = errors.New("loyalty: a leaderboard rebuild is running")

// ErrLeaderboardBusy: the leaderboard is being rebuilt for longer than a reader waits.
var ErrLeaderboardBusy = errs.New(errs.KindUser, "LEADERBOARD_BUSY", "the leaderboard is being rebuilt: try again shortly")

// releaseLock deletes the rebuild lock only if it is still the caller's (KEYS[1], ARGV[1]
// the token), so a rebuild whose lock expired never removes another's.
var releaseLock = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1]) end return 0`)

// RebuildLeaderboard recomputes a mall's month from PostgreSQL into Redis (see the
// package comment above for why it is exact). Concurrent rebuilds of one board are
// serialised by a lock in Redis; a rebuild that finds one running waits for it.
func (s *Service) RebuildLeaderboard(ctx context.Context, mall uuid.UUID, month string) error {
	for attempt := 0; ; attempt++ {
		err := s.rebuildOnce(ctx, mall, month)
		switch {
		case !errors.Is(err, errRebuildBusy):
			return err
		case attempt == 250: // about five seconds
			return ErrLeaderboardBusy
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if n, err := s.redis.Exists(ctx, s.boardKeys(mall, month)[1]).Result(); err == nil && n == 1 {
			return nil // the other rebuild installed the board
		}
	}
}

func (s *Service) rebuildOnce(ctx context.Context, mall uuid.UUID, month string) error {
	keys := s.boardKeys(mall, month)
	token := uuid.NewString()
	ok, err := s.redis.SetNX(ctx, keys[2], token, 30*time.Second).Result()
	if err != nil {
		return err
	}
	if !ok {
		return errRebuildBusy
	}
	// The board is being replaced: from now on, earnings without a board queue up.
	if err := s.redis.Del(ctx, keys[1]).Err(); err != nil {
		return err
	}
	args, err := s.boardSnapshot(ctx, mall, month)
	if err != nil {
		releaseLock.Run(ctx, s.redis, keys[2:3], token) // only our own lock
		return err
	}
	if s.rebuildPause != nil {
		s.rebuildPause()
	}
	installed, err := installBoard.Run(ctx, s.redis, keys, append([]any{token}, args...)...).Int()
	if err == nil && installed == 0 {
		return errRebuildBusy // the lock expired or Redis was flushed: start again
	}
	return err
}

// boardSnapshot reads a month's sums and the snapshot they were read in, as
// installBoard's arguments after the token.
func (s *Service) boardSnapshot(ctx context.Context, mall uuid.UUID, month string) ([]any, error) {
	var args []any
	err := pgx.BeginTxFunc(ctx, s.db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			q := queries.New(tx)
			snap, err := q.CurrentSnapshot(ctx)
			if err != nil {
				return err
			}
			args = []any{snap.Xmin, snap.Xmax, snap.Xip}
			sums, err := q.MonthSums(ctx, mall, month)
			for _, r := range sums {
				args = append(args, r.MemberID.String(), r.Points.String())
			}
			return err
		})
	return args, err
}

// readBoard reads a mall's month in one Redis round trip: one pipeline of EXISTS on the
// board's snapshot and the commands read queues on the board's sorted set. When Redis
// lost the board it is rebuilt and read once more (the rebuilt board is taken as it is).
// A request for the top n and the caller's rank thus costs two round trips, not six.
func (s *Service) readBoard(ctx context.Context, mall uuid.UUID, month string, read func(p redis.Pipeliner, set string)) error {
	keys := s.boardKeys(mall, month)
	for attempt := 0; ; attempt++ {
		pipe := s.redis.Pipeline()
		exists := pipe.Exists(ctx, keys[1])
		read(pipe, keys[0])
		cmds, err := pipe.Exec(ctx)
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		for _, c := range cmds {
			if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
				return err
			}
		}
		if exists.Val() == 1 || attempt == 1 {
			return nil
		}
		if err := s.RebuildLeaderboard(ctx, mall, month); err != nil {
			return err
		}
	}
}

// Leaderboard returns the top n members of a mall's month ("2006-01").
func (s *Service) Leaderboard(ctx context.Context, mall uuid.UUID, month string, n int) ([]Rank, error) {
	if err := s.canSeeBoard(ctx, mall); err != nil {
		return nil, err
	}
	var top *redis.ZSliceCmd
	err := s.readBoard(ctx, mall, month, func(p redis.Pipeliner, set string) {
		top = p.ZRevRangeWithScores(ctx, set, 0, int64(n)-1)
	})
	if err != nil {
		return nil, err
	}
	zs := top.Val()
	out := make([]Rank, 0, len(zs))
	for i, z := range zs {
		id, _ := uuid.Parse(z.Member.(string))
		out = append(out, Rank{MemberID: id, Points: decimal.NewFromFloat(z.Score), Rank: i + 1})
	}
	return out, nil
}

// canSeeBoard lets a mall's leaderboard be read by staff whose grant covers the mall and
// by shoppers who are members of the mall's group; anyone else gets FORBIDDEN (a board
// lists member ids). The facts it reads from PostgreSQL are remembered (boardFacts), so
// a busy board is served from Redis alone.
func (s *Service) canSeeBoard(ctx context.Context, mall uuid.UUID) error {
	v, err := access.Viewer(ctx)
	if err != nil {
		return err
	}
	p, ok := s.boardFacts.place(mall)
	if !ok {
		if p, err = s.org.MallPlace(ctx, nil, mall); err != nil {
			return err
		}
		s.boardFacts.keepPlace(mall, p)
	}
	if v.IsStaff() {
		return access.At(ctx, p.Ref())
	}
	if s.boardFacts.isMember(v.ID, p.GroupID) {
		return nil
	}
	ok, err = queries.New(s.db.Pool).MemberInGroup(ctx, v.ID, p.GroupID)
	if err != nil {
		return fmt.Errorf("leaderboard: member's group: %w", err)
	}
	if !ok {
		return errs.ErrForbidden
	}
	s.boardFacts.keepMember(v.ID, p.GroupID)
	return nil
}

// boardFacts remembers what canSeeBoard reads: a mall's place for placeTTL (malls do not
// move, but a short life bounds any surprise), and that a member belongs to a group —
// kept without expiry, as a registered member never changes group; "not a member" is
// never kept (a shopper may register any moment). Emptied when it grows past
// boardFactsMax entries.
type boardFacts struct {
	mu      sync.Mutex
	places  map[uuid.UUID]keptPlace
	members map[[2]uuid.UUID]struct{}
}

type keptPlace struct {
	place org.Place
	until time.Time
}

const (
	placeTTL      = time.Minute
	boardFactsMax = 100_000
)

func (f *boardFacts) place(mall uuid.UUID) (org.Place, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.places[mall]
	if !ok || time.Now().After(k.until) {
		return org.Place{}, false
	}
	return k.place, true
}

func (f *boardFacts) keepPlace(mall uuid.UUID, p org.Place) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.places == nil || len(f.places) >= boardFactsMax {
		f.places = map[uuid.UUID]keptPlace{}
	}
	f.places[mall] = keptPlace{place: p, until: time.Now().Add(placeTTL)}
}

func (f *boardFacts) isMember(member, group uuid.UUID) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.members[[2]uuid.UUID{member, group}]
	return ok
}

func (f *boardFacts) keepMember(member, group uuid.UUID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.members == nil || len(f.members) >= boardFactsMax {
		f.members = map[[2]uuid.UUID]struct{}{}
	}
	f.members[[2]uuid.UUID{member, group}] = struct{}{}
}

// MyRank returns a member's place on a mall's month.
func (s *Service) MyRank(ctx context.Context, mall uuid.UUID, month string, member uuid.UUID) (Rank, error) {
	r := Rank{MemberID: member}
	if err := s.canSeeBoard(ctx, mall); err != nil {
		return r, err
	}
	var score *redis.FloatCmd
	var rank *redis.IntCmd
	err := s.readBoard(ctx, mall, month, func(p redis.Pipeliner, set string) {
		score, rank = p.ZScore(ctx, set, member.String()), p.ZRevRank(ctx, set, member.String())
	})
	if err != nil || errors.Is(score.Err(), redis.Nil) || errors.Is(rank.Err(), redis.Nil) {
		return r, err // no points this month: rank 0
	}
	r.Points, r.Rank = decimal.NewFromFloat(score.Val()), int(rank.Val())+1
	return r, nil
}
