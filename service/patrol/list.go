package patrol

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/patrol/internal/queries"
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
	rows, err := queries.New(s.db.Pool).CheckpointsOfMall(ctx, mallID)
	out := make([]Checkpoint, len(rows))
	for i, r := range rows {
		out[i] = Checkpoint(r)
	}
	return out, err
}

// Routes lists a mall's active routes with their checkpoints in route order, in
// creation order (admin or security of the mall).
func (s *Service) Routes(ctx context.Context, mallID uuid.UUID) ([]Route, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ActiveRoutesOfMall(ctx, mallID)
	out := make([]Route, len(rows))
	for i, row := range rows {
		r := Route{ID: row.ID, MallID: row.MallID, Name: row.Name, RoundStarts: ints(row.RoundStarts),
			Points: make([]Point, len(row.CheckpointIds))}
		for j, cp := range row.CheckpointIds {
			r.Points[j] = Point{CheckpointID: cp, FromMin: int(row.FromMins[j]), ToMin: int(row.ToMins[j])}
		}
		out[i] = r
	}
	return out, err
}
