package meters

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// MallUnitMeters is the reports' read of meters: UnitMetersTx through db.Reader (the
// read replica for a context marked storage.PreferReplica). It checks no access (the
// reports context applies its own roles); its cost is the readings of the units'
// meters in [from, to] plus one neighbour each side, not the meters' history.
func (s *Service) MallUnitMeters(ctx context.Context, mallID uuid.UUID, kind string, units []string,
	from, to time.Time) ([]UnitMeter, error) {
	return UnitMetersTx(ctx, s.db.Reader(ctx), mallID, kind, units, from, to)
}
