package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/patrol"
)

// seedPatrol gives the demo mall (once) four checkpoints, a route through them, a plan
// of rounds every day at 09:00, 15:00 and 21:00 and a random plan of two checkpoints at
// 12:00, and materialises their rounds (the rounds job does the same every 5 minutes).
func (a *App) seedPatrol(ctx context.Context, _, mall uuid.UUID) error {
	p := a.Services.Patrol
	plans, err := p.Plans(ctx, mall)
	if err != nil || len(plans) > 0 {
		return err
	}
	var pts []patrol.Point
	for i, cp := range []struct{ tag, place string }{{"CP-N", "North entrance"}, {"CP-E", "East fire exit"},
		{"CP-B1", "Car park B1 ramp"}, {"CP-R", "Roof plant room"}} {
		id, err := p.CreateCheckpoint(ctx, mall, cp.tag, cp.place)
		if err != nil {
			return fmt.Errorf("demo checkpoint: %w", err)
		}
		pts = append(pts, patrol.Point{CheckpointID: id, FromMin: i * 10, ToMin: i*10 + 20})
	}
	route, err := p.CreateRoute(ctx, patrol.Route{MallID: mall, Name: "Perimeter", RoundStarts: []int{2 * 60}, Points: pts})
	if err != nil {
		return fmt.Errorf("demo route: %w", err)
	}
	every := []int{0, 1, 2, 3, 4, 5, 6}
	for _, pl := range []patrol.Plan{
		{Name: "Daily perimeter", Weekdays: every, Times: []int{9 * 60, 15 * 60, 21 * 60}},
		{Name: "Noon spot check", Weekdays: every, Times: []int{12 * 60}, RandomCount: 2},
	} {
		pl.MallID, pl.RouteID = mall, route.ID
		if _, err := p.CreatePlan(ctx, pl); err != nil {
			return fmt.Errorf("demo patrol plan: %w", err)
		}
	}
	_, err = p.RunPlans(ctx, time.Now())
	return err
}
