package patrol

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
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
	var cp *uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id FROM patrol_checkpoints WHERE mall_id = $1 AND tag = $2`, sc.MallID, sc.Tag).Scan(&cp)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO patrol_scans (id, mall_id, device_id, badge, tag, checkpoint_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, service.NewID(), sc.MallID, sc.DeviceID, sc.Badge, sc.Tag, cp, sc.At)
	return cp != nil, err
}
