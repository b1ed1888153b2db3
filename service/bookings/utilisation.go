package bookings

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
)

// DayUse is one resource's slots of one business day: how many seats were offered,
// booked and checked in.
type DayUse struct {
	ResourceID uuid.UUID
	Resource   string // the resource's name
	Kind       string
	Day        time.Time // the business date (UTC midnight)
	Slots      int64
	Capacity   int64 // seats offered
	Booked     int64 // seats taken (open, used or no-show bookings)
	CheckedIn  int64 // bookings used (the member came)
}

// MallUtilisation is the reports' read of booking utilisation: a mall's slots starting
// in [from, to) per resource and business day in loc. It checks no access (the reports
// context applies its own roles) and reads through db.Reader, so a context marked
// storage.PreferReplica is served by the read replica. Its cost is the period's slots.
func (s *Service) MallUtilisation(ctx context.Context, mallID uuid.UUID, from, to time.Time, loc *time.Location) ([]DayUse, error) {
	rows, err := queries.New(s.db.Reader(ctx)).MallUtilisation(ctx, queries.MallUtilisationParams{Tz: loc.String(),
		FromAt: from, ToAt: to, MallID: mallID})
	if err != nil {
		return nil, err
	}
	out := make([]DayUse, len(rows))
	for i, r := range rows {
		out[i] = DayUse{ResourceID: r.ResourceID, Resource: r.Name, Kind: r.Kind, Day: r.Day, Slots: r.Slots,
			Capacity: r.Capacity, Booked: r.Booked, CheckedIn: r.CheckedIn}
	}
	return out, nil
}
