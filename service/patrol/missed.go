package patrol

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// lookback bounds how far back FlagMissed looks for rounds (a missed job run catches up).
const lookback = 48 * time.Hour

// FlagMissed is the patrol job: for every active route and every round whose window
// for a checkpoint has closed by now (within the last two days), a checkpoint with no
// scan inside its window is flagged, once (re-running is harmless). Rounds that
// started before the route was created are not checked.
func (s *Service) FlagMissed(ctx context.Context, now time.Time) ([]Miss, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT r.id, m.time_zone, r.round_starts FROM patrol_routes r
		JOIN malls m ON m.id = r.mall_id WHERE r.active`)
	if err != nil {
		return nil, err
	}
	type route struct {
		id     uuid.UUID
		tz     string
		starts []int32
	}
	routes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (route, error) {
		var x route
		return x, r.Scan(&x.id, &x.tz, &x.starts)
	})
	if err != nil {
		return nil, err
	}
	var out []Miss
	for _, r := range routes {
		for _, start := range roundStarts(r.tz, r.starts, now) {
			m, err := s.flagRound(ctx, r.id, start, now)
			if err != nil {
				return out, err
			}
			out = append(out, m...)
		}
	}
	return out, nil
}

// roundStarts lists the round starts of the last days in the mall's time zone that
// began within the lookback and not after now.
func roundStarts(tz string, minutes []int32, now time.Time) []time.Time {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	local := now.In(loc)
	var out []time.Time
	for d := -2; d <= 0; d++ {
		day := time.Date(local.Year(), local.Month(), local.Day()+d, 0, 0, 0, 0, loc)
		for _, m := range minutes {
			st := day.Add(time.Duration(m) * time.Minute)
			if !st.After(now) && now.Sub(st) <= lookback {
				out = append(out, st)
			}
		}
	}
	return out
}

// flagRound flags the checkpoints of one round whose window closed unscanned.
func (s *Service) flagRound(ctx context.Context, route uuid.UUID, start, now time.Time) ([]Miss, error) {
	rows, err := s.db.Pool.Query(ctx, `INSERT INTO patrol_misses (id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at)
		SELECT gen_random_uuid(), r.mall_id, r.id, $2, p.seq, p.checkpoint_id, $2::timestamptz + p.to_min * interval '1 minute', $3
		FROM patrol_route_points p JOIN patrol_routes r ON r.id = p.route_id
		WHERE p.route_id = $1 AND r.created_at <= $2 AND $2::timestamptz + p.to_min * interval '1 minute' <= $3
		AND NOT EXISTS (SELECT 1 FROM patrol_scans s WHERE s.checkpoint_id = p.checkpoint_id
			AND s.at >= $2::timestamptz + p.from_min * interval '1 minute' AND s.at <= $2::timestamptz + p.to_min * interval '1 minute')
		ON CONFLICT (route_id, round_start, seq) DO NOTHING
		RETURNING id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at`, route, start, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Miss])
}

// Misses returns a mall's missed checkpoints of rounds started in [from, to), for
// security staff and admins of the mall.
func (s *Service) Misses(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]Miss, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at
		FROM patrol_misses WHERE mall_id = $1 AND round_start >= $2 AND round_start < $3
		ORDER BY round_start, seq`, mallID, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Miss])
}
