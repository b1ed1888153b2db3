package patrol

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/patrol/internal/queries"
)

// Scan is a guard's badge read at a checkpoint tag.
type Scan struct {
	MallID   uuid.UUID
	DeviceID string
	Badge    string
	Tag      string
	At       time.Time
}

// ScanTx records a scan inside tx (the bridge's event transaction). It reports
// whether the tag is a known checkpoint of the mall (an unknown tag is still recorded).
func ScanTx(ctx context.Context, tx pgx.Tx, sc Scan) (bool, error) {
	q := queries.New(tx)
	var cp *uuid.UUID
	id, err := q.CheckpointByTag(ctx, sc.MallID, sc.Tag)
	switch {
	case err == nil:
		cp = &id
	case !errors.Is(err, pgx.ErrNoRows):
		return false, err
	}
	err = q.InsertScan(ctx, queries.InsertScanParams{ID: service.NewID(), MallID: sc.MallID, DeviceID: sc.DeviceID,
		Badge: sc.Badge, Tag: sc.Tag, CheckpointID: cp, At: sc.At})
	return cp != nil, err
}
