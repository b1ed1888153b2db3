package workorders

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/assets"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

var _ assets.MaintenanceHook = Hooks{}

// MaintenanceDue opens the preventive-maintenance order of an asset's plan (assets'
// job, in its transaction), dispatched as any new order, and returns its id.
func (h Hooks) MaintenanceDue(ctx context.Context, tx pgx.Tx, m assets.Maintenance) (uuid.UUID, error) {
	p, err := h.S.org.MallPlace(ctx, tx, m.MallID)
	if err != nil {
		return uuid.Nil, err
	}
	o := Order{GroupID: p.GroupID, MallID: p.MallID, Category: "preventive_maintenance", Priority: sla.Normal,
		Source: FromStaff, Channel: ViaApp, UnitID: m.UnitID, Zone: m.Zone,
		Description: fmt.Sprintf("%s: %s (%s), due %s", m.Title, m.Name, m.Tag, m.DueKey)}
	err = h.S.announceTx(ctx, func(ctx context.Context) (err error) {
		o, err = h.S.insert(ctx, tx, p, o, "system")
		return err
	})
	return o.ID, err
}
