package workorders

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// Alarm kinds of automatic orders.
const (
	KindOffline        = "offline"
	KindMeterBackwards = "meter_backwards"
	KindMeterHigh      = "meter_high_consumption"
	KindPatrolMissed   = "patrol_missed"
)

// Hooks turns other contexts' alarms into orders, inside the transaction that produced
// them: devices.AlarmHook (offline, and its clearing), patrol.MissHook and AnomalyHook,
// iot.MeterAnomalies. Those contexts keep their tables; they only call out. What an
// order's change announces (a new order, its assignment) is published once the
// producer's transaction commits (announceTx).
type Hooks struct{ S *Service }

var (
	_ devices.AlarmHook  = Hooks{}
	_ patrol.MissHook    = Hooks{}
	_ patrol.AnomalyHook = Hooks{}
)

// AnomalyReported opens the order of a guard's patrol anomaly (raised by the guard,
// with the photos, dispatched to security) and returns its id.
func (h Hooks) AnomalyReported(ctx context.Context, tx pgx.Tx, a patrol.Anomaly) (uuid.UUID, error) {
	p, err := h.S.org.MallPlace(ctx, tx, a.MallID)
	if err != nil {
		return uuid.Nil, err
	}
	guard := a.GuardID
	o := Order{GroupID: p.GroupID, MallID: p.MallID, Category: "patrol_anomaly", Priority: sla.Normal, Source: FromStaff,
		Channel: ViaApp, RequesterStaff: &guard, Description: a.Description, Photos: a.Photos}
	err = h.S.announceTx(ctx, func(ctx context.Context) (err error) {
		o, err = h.S.insert(ctx, tx, p, o, "staff:"+guard.String())
		return err
	})
	return o.ID, err
}

// AlarmRaised opens (or counts on) the order of a device gone offline.
func (h Hooks) AlarmRaised(ctx context.Context, tx pgx.Tx, a devices.Alarm) error {
	return h.S.raiseAnnounced(ctx, tx, Alarm{MallID: a.MallID, Source: a.DeviceID, Kind: KindOffline,
		Category: "device_offline", Priority: sla.Normal, Description: fmt.Sprintf("device %s went silent", a.DeviceID)})
}

// AlarmCleared notes that the device came back.
func (h Hooks) AlarmCleared(ctx context.Context, tx pgx.Tx, a devices.Alarm) error {
	return h.S.announceTx(ctx, func(ctx context.Context) error {
		return h.S.ClearAlarmTx(ctx, tx, a.MallID, a.DeviceID, KindOffline)
	})
}

// CheckpointMissed opens (or counts on) the order of a checkpoint a round missed.
func (h Hooks) CheckpointMissed(ctx context.Context, tx pgx.Tx, m patrol.Miss) error {
	return h.S.raiseAnnounced(ctx, tx, Alarm{MallID: m.MallID, Source: m.CheckpointID.String(), Kind: KindPatrolMissed,
		Category: "patrol_missed", Priority: sla.Normal, Description: fmt.Sprintf(
			"checkpoint %d of a round started %s not scanned by %s", m.Seq, m.RoundStart.Format("2006-01-02 15:04"),
			m.DueBy.Format("15:04"))})
}

// MeterBackwards opens (or counts on) the order of a meter whose reading went backwards
// (the MQTT bridge calls it in the reading's transaction).
func (h Hooks) MeterBackwards(ctx context.Context, tx pgx.Tx, dev devices.Device, value decimal.Decimal) error {
	return h.S.raiseAnnounced(ctx, tx, Alarm{MallID: dev.MallID, Source: dev.ID, Kind: KindMeterBackwards,
		Category: "meter_anomaly", Priority: sla.Normal, Zone: dev.Zone,
		Description: fmt.Sprintf("meter %s reported %s, below its previous reading", dev.ID, value)})
}

// MeterHighConsumption opens (or counts on) the order of a meter whose last 24 hours'
// consumption is far above its rolling average (meters.HighConsumption).
func (h Hooks) MeterHighConsumption(ctx context.Context, tx pgx.Tx, dev devices.Device, v meters.Verdict) error {
	return h.S.raiseAnnounced(ctx, tx, Alarm{MallID: dev.MallID, Source: dev.ID, Kind: KindMeterHigh,
		Category: "meter_anomaly", Priority: sla.Normal, Zone: dev.Zone, Description: fmt.Sprintf(
			"meter %s used %s in 24 hours, against an average of %s over %d days", dev.ID, v.Current, v.Average, v.History)})
}

// raiseAnnounced is RaiseAlarmTx from a hook: its announcements wait for the
// producer's commit.
func (s *Service) raiseAnnounced(ctx context.Context, tx pgx.Tx, a Alarm) error {
	return s.announceTx(ctx, func(ctx context.Context) error {
		_, err := s.RaiseAlarmTx(ctx, tx, a)
		return err
	})
}
