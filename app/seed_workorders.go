package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// seedWorkOrders gives the demo mall its property desk: the business calendar with this
// year's statutory days and the default SLA policies (seeded on first use), two policies
// of its own, the maintenance technicians' skills and zones, and (once) a few orders in
// several states, worked by the first technician.
func (a *App) seedWorkOrders(ctx context.Context, _, mall uuid.UUID) error {
	wo := a.Services.WorkOrders
	if _, err := wo.Calendar(ctx, mall); err != nil {
		return fmt.Errorf("demo calendar: %w", err)
	}
	for _, p := range []workorders.PolicyRow{
		{Category: "elevator", Priority: sla.Urgent, Response: 5 * time.Minute, Resolution: time.Hour, AroundTheClock: true},
		{Category: "complaint", Priority: sla.Normal, Response: time.Hour, Resolution: 2 * workorders.BusinessDay},
	} {
		if err := wo.SetPolicy(ctx, mall, p); err != nil {
			return fmt.Errorf("demo SLA policy: %w", err)
		}
	}
	techs, err := a.seedTechnicians(ctx, mall)
	if err != nil || len(techs) == 0 {
		return err
	}
	existing, err := wo.Orders(ctx, workorders.Filter{MallID: mall}, page.Request{First: 1})
	if err != nil || len(existing.Items) > 0 {
		return err
	}
	if err := a.seedOrders(ctx, mall, techs[0]); err != nil {
		return err
	}
	return a.seedComplaint(ctx, mall)
}

// seedComplaint records a phone complaint the desk worked and closed: it waits for its
// return visit (回访).
func (a *App) seedComplaint(ctx context.Context, mall uuid.UUID) error {
	wo := a.Services.WorkOrders
	o, err := wo.RecordTicket(ctx, workorders.TicketInput{MallID: mall, Channel: workorders.ViaPhone, Category: "complaint",
		Contact: "Ms Li, 138 0000 0000", Zone: "L1", Description: "Music at the fountain too loud in the evening"})
	if err != nil {
		return fmt.Errorf("demo complaint: %w", err)
	}
	as := ctx // the desk member it was dispatched to works it
	if o.Assignee != nil {
		as = auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: *o.Assignee,
			Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: mall}}})
	}
	for _, step := range []func(uuid.UUID) (workorders.Order, error){
		func(id uuid.UUID) (workorders.Order, error) { return wo.Accept(as, id) },
		func(id uuid.UUID) (workorders.Order, error) { return wo.Start(as, id) },
		func(id uuid.UUID) (workorders.Order, error) { return wo.Resolve(as, id, "volume lowered after 20:00") },
		func(id uuid.UUID) (workorders.Order, error) { return wo.Confirm(ctx, id, 4, "caller agreed by phone") },
	} {
		if err == nil {
			_, err = step(o.ID)
		}
	}
	if err != nil {
		return fmt.Errorf("demo complaint: %w", err)
	}
	return nil
}

// seedRoster puts the demo technicians and guards on today's and tomorrow's shifts
// (08:00-20:00 and 07:00-19:00 in the mall's zone), once per day.
func (a *App) seedRoster(ctx context.Context, _, mall uuid.UUID) error {
	place, err := a.Services.Org.MallPlace(ctx, nil, mall)
	if err != nil {
		return err
	}
	today := calendar.StartOfDay(time.Now(), place.Loc)
	have, err := a.Services.Rosters.Shifts(ctx, mall, today, today.Add(48*time.Hour))
	if err != nil || len(have) > 0 {
		return err
	}
	for _, d := range []struct {
		role       auth.Role
		from, till int // hours
	}{{auth.RoleMaintenance, 8, 20}, {auth.RoleSecurity, 7, 19}} {
		ids, err := a.Services.Org.StaffWithRolesAt(ctx, nil, place, d.role)
		if err != nil {
			return err
		}
		for _, id := range ids {
			for day := range 2 {
				start := today.AddDate(0, 0, day)
				if _, err := a.Services.Rosters.AddShift(ctx, rosters.Shift{MallID: mall, StaffID: id, Role: d.role,
					StartsAt: start.Add(time.Duration(d.from) * time.Hour),
					EndsAt:   start.Add(time.Duration(d.till) * time.Hour), Note: "demo"}); err != nil {
					return fmt.Errorf("demo shift: %w", err)
				}
			}
		}
	}
	return nil
}

// seedTechnicians gives every maintenance account of the mall the demo skills and zones.
func (a *App) seedTechnicians(ctx context.Context, mall uuid.UUID) ([]uuid.UUID, error) {
	place, err := a.Services.Org.MallPlace(ctx, nil, mall)
	if err != nil {
		return nil, err
	}
	ids, err := a.Services.Org.StaffWithRolesAt(ctx, nil, place, auth.RoleMaintenance)
	for _, id := range ids {
		if err := a.Services.WorkOrders.SetTechnician(ctx, mall, id, []string{"plumbing", "electrical", "hvac", "elevator"},
			[]string{"L1", "L2", "B1"}); err != nil {
			return nil, fmt.Errorf("demo technician: %w", err)
		}
	}
	return ids, err
}

// seedOrders raises the demo orders and walks each to its status as the technician.
func (a *App) seedOrders(ctx context.Context, mall, tech uuid.UUID) error {
	wo := a.Services.WorkOrders
	as := auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: tech,
		Grants: []auth.Grant{{Role: auth.RoleMaintenance, Level: auth.LevelMall, ScopeID: mall}}})
	accept := func(id uuid.UUID) (workorders.Order, error) {
		if _, err := wo.Assign(ctx, id, &tech); err != nil {
			return workorders.Order{}, err
		}
		return wo.Accept(as, id)
	}
	start := func(id uuid.UUID) (workorders.Order, error) { return wo.Start(as, id) }
	pause := func(id uuid.UUID) (workorders.Order, error) {
		return wo.Pause(as, id, workorders.WaitParts, "compressor ordered")
	}
	resolve := func(id uuid.UUID) (workorders.Order, error) { return wo.Resolve(as, id, "cleaned and dried") }
	for _, d := range []struct {
		in    workorders.RaiseInput
		steps []func(uuid.UUID) (workorders.Order, error)
	}{
		{workorders.RaiseInput{Category: "plumbing", Zone: "L2", Description: "Leaking tap in the level 2 restroom"}, nil},
		{workorders.RaiseInput{Category: "electrical", Priority: sla.Urgent, Zone: "L1",
			Description: "Power out at the coffee counter"}, []func(uuid.UUID) (workorders.Order, error){accept, start}},
		{workorders.RaiseInput{Category: "hvac", Priority: sla.Low, Zone: "B1", Description: "Air conditioning noisy near gate B"},
			[]func(uuid.UUID) (workorders.Order, error){accept, start, pause}},
		{workorders.RaiseInput{Category: "cleaning", Zone: "L1", Description: "Spilled drink by the escalator"},
			[]func(uuid.UUID) (workorders.Order, error){accept, start, resolve}},
	} {
		d.in.MallID = mall
		o, err := wo.Raise(ctx, d.in)
		for _, step := range d.steps {
			if err == nil {
				_, err = step(o.ID)
			}
		}
		if err != nil {
			return fmt.Errorf("demo work order %q: %w", d.in.Description, err)
		}
	}
	return nil
}
