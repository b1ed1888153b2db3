package patrol

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// ErrTagExists: the mall has a checkpoint with this tag.
var ErrTagExists = errs.New(errs.KindUser, "CHECKPOINT_TAG_EXISTS", "a checkpoint with this tag exists")

// CreateCheckpoint registers a checkpoint tag at a place (admin or security of the mall).
func (s *Service) CreateCheckpoint(ctx context.Context, mallID uuid.UUID, tag, place string) (uuid.UUID, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return uuid.Nil, err
	}
	if tag == "" || len(tag) > 64 || place == "" {
		return uuid.Nil, errs.Invalid("input.tag", "a checkpoint needs a tag (1-64 characters) and a place")
	}
	id := service.NewID()
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO patrol_checkpoints (id, mall_id, tag, place) VALUES ($1, $2, $3, $4)`,
		id, mallID, tag, place)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return uuid.Nil, ErrTagExists.At("input", "tag")
	}
	return id, err
}

// validate checks rounds within a day and ordered, non-empty windows.
func (r Route) validate() error {
	if r.Name == "" || len(r.RoundStarts) == 0 || len(r.Points) == 0 {
		return errs.Invalid("input", "a route needs a name, round starts and checkpoints")
	}
	for _, m := range r.RoundStarts {
		if m < 0 || m >= 24*60 {
			return errs.Invalid("input.roundStarts", "a round starts between 00:00 and 23:59")
		}
	}
	for i, p := range r.Points {
		if p.FromMin < 0 || p.ToMin <= p.FromMin || (i > 0 && p.FromMin < r.Points[i-1].FromMin) {
			return errs.Invalid("input.points", "windows must be non-empty and in route order")
		}
	}
	return nil
}

// CreateRoute creates a route of ordered checkpoints (admin or security of the mall).
func (s *Service) CreateRoute(ctx context.Context, r Route) (Route, error) {
	if err := s.authorize(ctx, r.MallID); err != nil {
		return Route{}, err
	}
	if err := r.validate(); err != nil {
		return Route{}, err
	}
	r.ID = service.NewID()
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO patrol_routes (id, mall_id, name, round_starts, created_at)
			VALUES ($1, $2, $3, $4, $5)`, r.ID, r.MallID, r.Name, r.RoundStarts, s.now()); err != nil {
			return err
		}
		for i, p := range r.Points {
			tag, err := tx.Exec(ctx, `INSERT INTO patrol_route_points (route_id, seq, checkpoint_id, from_min, to_min)
				SELECT $1, $2, id, $4, $5 FROM patrol_checkpoints WHERE id = $3 AND mall_id = $6`,
				r.ID, i+1, p.CheckpointID, p.FromMin, p.ToMin, r.MallID)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return errs.Invalid("input.points", "checkpoint %s is not in this mall", p.CheckpointID)
			}
		}
		return nil
	})
	return r, err
}
