package patrol

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Checkpoint is a tag (NFC or QR) at a place of a mall.
type Checkpoint struct {
	ID     uuid.UUID
	MallID uuid.UUID
	Tag    string
	Place  string
}

// Checkpoints lists a mall's checkpoints in creation order (admin or security of the mall).
func (s *Service) Checkpoints(ctx context.Context, mallID uuid.UUID) ([]Checkpoint, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, mall_id, tag, place FROM patrol_checkpoints WHERE mall_id = $1 ORDER BY id`, mallID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Checkpoint])
}

// Routes lists a mall's active routes with their checkpoints in route order, in
// creation order (admin or security of the mall).
func (s *Service) Routes(ctx context.Context, mallID uuid.UUID) ([]Route, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT r.id, r.mall_id, r.name, r.round_starts,
			coalesce(array_agg(p.checkpoint_id ORDER BY p.seq) FILTER (WHERE p.seq IS NOT NULL), '{}'),
			coalesce(array_agg(p.from_min ORDER BY p.seq) FILTER (WHERE p.seq IS NOT NULL), '{}'),
			coalesce(array_agg(p.to_min ORDER BY p.seq) FILTER (WHERE p.seq IS NOT NULL), '{}')
		FROM patrol_routes r LEFT JOIN patrol_route_points p ON p.route_id = r.id
		WHERE r.mall_id = $1 AND r.active GROUP BY r.id ORDER BY r.id`, mallID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Route, error) {
		var r Route
		var cps []uuid.UUID
		var from, to []int
		if err := row.Scan(&r.ID, &r.MallID, &r.Name, &r.RoundStarts, &cps, &from, &to); err != nil {
			return r, err
		}
		r.Points = make([]Point, len(cps))
		for i := range cps {
			r.Points[i] = Point{CheckpointID: cps[i], FromMin: from[i], ToMin: to[i]}
		}
		return r, nil
	})
}
