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
	"github.com/atrium-mall/atrium/service/patrol/internal/queries"
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
	err := queries.New(s.db.Pool).InsertCheckpoint(ctx, queries.InsertCheckpointParams{ID: id, MallID: mallID, Tag: tag,
		Place: place})
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
		q := queries.New(tx)
		err := q.InsertRoute(ctx, queries.InsertRouteParams{ID: r.ID, MallID: r.MallID, Name: r.Name,
			RoundStarts: int32s(r.RoundStarts), CreatedAt: s.now()})
		if err != nil {
			return err
		}
		for i, p := range r.Points {
			if err := addPoint(ctx, q, r, i, p); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

// addPoint adds p as the route's i-th checkpoint (seq i+1); a checkpoint of another
// mall is refused.
func addPoint(ctx context.Context, q *queries.Queries, r Route, i int, p Point) error {
	n, err := q.InsertRoutePoint(ctx, queries.InsertRoutePointParams{RouteID: r.ID, Seq: int32(i + 1),
		FromMin: int32(p.FromMin), ToMin: int32(p.ToMin), CheckpointID: p.CheckpointID, MallID: r.MallID})
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.Invalid("input.points."+strconv.Itoa(i)+".checkpointId", "checkpoint %s is not in this mall", p.CheckpointID)
	}
	return nil
}

// int32s converts minutes to the int[] column's element type.
func int32s(xs []int) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i] = int32(x)
	}
	return out
}

// ints converts an int[] column's elements back.
func ints(xs []int32) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x)
	}
	return out
}
