package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/patrol"
)

// DeviceSilence is how long a device may stay silent before its offline alarm.
const DeviceSilence = 10 * time.Minute

// CheckDevicesArgs asks for silent devices to be marked offline and alarmed.
type CheckDevicesArgs struct{}

// Kind names the job.
func (CheckDevicesArgs) Kind() string { return "iot_check_device_silence" }

// InsertOpts keeps one pending copy per period.
func (CheckDevicesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// CheckDevicesWorker calls devices.Service.CheckSilence.
type CheckDevicesWorker struct {
	river.WorkerDefaults[CheckDevicesArgs]
	Devices *devices.Service
	Now     func() time.Time
}

// Timeout bounds a run (River's default is one minute): it runs
// every minute.
func (*CheckDevicesWorker) Timeout(*river.Job[CheckDevicesArgs]) time.Duration {
	return 50 * time.Second
}

// Work raises and clears offline alarms.
func (w *CheckDevicesWorker) Work(ctx context.Context, _ *river.Job[CheckDevicesArgs]) error {
	_, err := w.Devices.CheckSilence(ctx, w.Now(), DeviceSilence)
	return err
}

// FlagMissedPatrolsArgs asks for missed patrol checkpoints to be flagged.
type FlagMissedPatrolsArgs struct{}

// Kind names the job.
func (FlagMissedPatrolsArgs) Kind() string { return "patrol_flag_missed" }

// InsertOpts keeps one pending copy per period.
func (FlagMissedPatrolsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 5 * time.Minute}}
}

// FlagMissedPatrolsWorker calls patrol.Service.FlagMissed.
type FlagMissedPatrolsWorker struct {
	river.WorkerDefaults[FlagMissedPatrolsArgs]
	Patrol *patrol.Service
	Now    func() time.Time
}

// Timeout bounds a run (River's default is one minute): it runs
// every five minutes.
func (*FlagMissedPatrolsWorker) Timeout(*river.Job[FlagMissedPatrolsArgs]) time.Duration {
	return 5 * time.Minute
}

// Work flags the missed checkpoints.
func (w *FlagMissedPatrolsWorker) Work(ctx context.Context, _ *river.Job[FlagMissedPatrolsArgs]) error {
	_, err := w.Patrol.FlagMissed(ctx, w.Now())
	return err
}

// MeterPartitionsArgs asks for the coming months' meter_readings partitions.
type MeterPartitionsArgs struct{}

// Kind names the job.
func (MeterPartitionsArgs) Kind() string { return "meters_ensure_partitions" }

// InsertOpts keeps one pending copy per day.
func (MeterPartitionsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

// MeterPartitionsWorker calls meters.Service.EnsurePartitions.
type MeterPartitionsWorker struct {
	river.WorkerDefaults[MeterPartitionsArgs]
	Meters *meters.Service
	Now    func() time.Time
}

// Timeout bounds a run (River's default is one minute): a few
// CREATE TABLE IF NOT EXISTS.
func (*MeterPartitionsWorker) Timeout(*river.Job[MeterPartitionsArgs]) time.Duration {
	return 5 * time.Minute
}

// Work creates this month's and the next three months' partitions.
func (w *MeterPartitionsWorker) Work(ctx context.Context, _ *river.Job[MeterPartitionsArgs]) error {
	return w.Meters.EnsurePartitions(ctx, w.Now(), 3)
}

// IoTRetentionArgs asks for iot_events' monthly partitions to be created ahead and
// dropped past the retention, and for exactly-once claims past the de-duplication
// window to be deleted.
type IoTRetentionArgs struct{}

// Kind names the job.
func (IoTRetentionArgs) Kind() string { return "iot_events_retention" }

// InsertOpts keeps one pending copy per day.
func (IoTRetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

// IoTRetentionWorker calls devices.Service.RotateEvents.
type IoTRetentionWorker struct {
	river.WorkerDefaults[IoTRetentionArgs]
	Devices   *devices.Service
	Retention devices.Retention
	Now       func() time.Time
}

// Timeout bounds a run: partition DDL is quick; deleting a week of claims in batches of
// 10,000 is the long part (about a million rows a minute).
func (*IoTRetentionWorker) Timeout(*river.Job[IoTRetentionArgs]) time.Duration {
	return 30 * time.Minute
}

// Work rotates the partitions and purges the old claims; a rerun does only what is left.
func (w *IoTRetentionWorker) Work(ctx context.Context, _ *river.Job[IoTRetentionArgs]) error {
	_, err := w.Devices.RotateEvents(ctx, w.Now(), w.Retention)
	return err
}

// iotJobs registers the IoT jobs whose services are wired.
func iotJobs(d Deps) []job {
	var out []job
	if d.Devices != nil {
		out = append(out, job{register: func(w *river.Workers) {
			river.AddWorker(w, &CheckDevicesWorker{Devices: d.Devices, Now: d.Now})
		}, args: CheckDevicesArgs{}, every: time.Minute}, job{register: func(w *river.Workers) {
			river.AddWorker(w, &IoTRetentionWorker{Devices: d.Devices, Retention: d.iotRetention(), Now: d.Now})
		}, args: IoTRetentionArgs{}, every: 24 * time.Hour})
	}
	if d.Patrol != nil {
		out = append(out, job{register: func(w *river.Workers) {
			river.AddWorker(w, &FlagMissedPatrolsWorker{Patrol: d.Patrol, Now: d.Now})
		}, args: FlagMissedPatrolsArgs{}, every: 5 * time.Minute}, job{register: func(w *river.Workers) {
			river.AddWorker(w, &PatrolRoundsWorker{Patrol: d.Patrol, Now: d.Now})
		}, args: PatrolRoundsArgs{}, every: 5 * time.Minute})
	}
	if d.Meters != nil {
		out = append(out, job{register: func(w *river.Workers) {
			river.AddWorker(w, &MeterPartitionsWorker{Meters: d.Meters, Now: d.Now})
		}, args: MeterPartitionsArgs{}, every: 24 * time.Hour})
	}
	return out
}
