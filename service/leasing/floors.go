package leasing

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
)

// UnitFloor is a unit's code and floor.
type UnitFloor struct {
	Code  string
	Floor string
}

// MallUnitFloors is the reports' read of where a mall's units are: every unit's code
// and floor, by floor and code. It checks no access (the reports context applies its
// own roles, e.g. maintenance reading energy per floor) and reads through db.Reader.
func (s *Service) MallUnitFloors(ctx context.Context, groupID, mallID uuid.UUID) ([]UnitFloor, error) {
	rows, err := queries.New(s.db.Reader(ctx)).AllUnitsOfMall(ctx, queries.AllUnitsOfMallParams{GroupID: groupID,
		MallID: mallID})
	out := make([]UnitFloor, len(rows))
	for i, r := range rows {
		out[i] = UnitFloor{Code: r.Code, Floor: r.Floor}
	}
	return out, err
}
