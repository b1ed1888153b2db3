package patrol

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

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
	switch {
	case tag == "" || len(tag) > 64 || strings.TrimSpace(tag) != tag:
		return uuid.Nil, errs.Invalid("input.tag", "a checkpoint needs a tag of 1-64 characters without surrounding spaces")
	case strings.TrimSpace(place) == "" || utf8.RuneCountInString(place) > 200:
		return uuid.Nil, errs.Invalid("input.place", "a checkpoint needs a place (1-200 characters)")
	}
	id := service.NewID()
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO patrol_checkpoints (id, mall_id, tag, place) VALUES ($1, $2, $3, $4)`,
		id, mallID, tag, place)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return uuid.Nil, ErrTagExists.At("input", "tag")
	}
	return id, err
}

// Limits of a route.
const (
	maxRounds = 96  // a round every 15 minutes at most
	maxPoints = 200 // checkpoints per route
)

// validate checks the name, distinct rounds within a day and ordered, non-empty
// windows within a day of the round start.
func (r Route) validate() error {
	switch {
	case strings.TrimSpace(r.Name) == "" || utf8.RuneCountInString(r.Name) > 100:
		return errs.Invalid("input.name", "a route needs a name (1-100 characters)")
	case len(r.RoundStarts) == 0 || len(r.RoundStarts) > maxRounds:
		return errs.Invalid("input.roundStarts", "a route needs 1 to %d round starts", maxRounds)
	case len(r.Points) == 0 || len(r.Points) > maxPoints:
		return errs.Invalid("input.points", "a route needs 1 to %d checkpoints", maxPoints)
	}
	seen := map[int]bool{}
	for i, m := range r.RoundStarts {
		if m < 0 || m >= 24*60 {
			return errs.Invalid("input.roundStarts."+strconv.Itoa(i), "a round starts between 00:00 and 23:59 (0 to 1439 minutes)")
		}
		if seen[m] {
			return errs.Invalid("input.roundStarts."+strconv.Itoa(i), "round start %d is listed twice", m)
		}
		seen[m] = true
	}
	for i, p := range r.Points {
		if p.FromMin < 0 || p.ToMin <= p.FromMin || p.ToMin > 24*60 || (i > 0 && p.FromMin < r.Points[i-1].FromMin) {
			return errs.Invalid("input.points."+strconv.Itoa(i), "windows must be non-empty, within a day of the round start and in route order")
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
				return errs.Invalid("input.points."+strconv.Itoa(i)+".checkpointId", "checkpoint %s is not in this mall", p.CheckpointID)
			}
		}
		return nil
	})
	return r, err
}
