package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/assets"
)

// Fixed assets (issue 15): depreciation is posted once a month has closed in the mall's
// zone; the job runs hourly so a new month is posted within the hour, and a rerun posts
// nothing (each asset's month is one line with one ledger key). Due maintenance orders
// open hourly too, once per plan and due.

// AssetDepreciationArgs asks for every closed month not yet posted.
type AssetDepreciationArgs struct{}

// Kind names the job.
func (AssetDepreciationArgs) Kind() string { return "assets_depreciation" }

// InsertOpts keeps one pending copy per hour.
func (AssetDepreciationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// AssetDepreciationWorker posts depreciation (assets.Service.PostDepreciation).
type AssetDepreciationWorker struct {
	river.WorkerDefaults[AssetDepreciationArgs]
	Assets *assets.Service
}

// Timeout bounds a run: every mall's active assets, one transaction per mall.
func (*AssetDepreciationWorker) Timeout(*river.Job[AssetDepreciationArgs]) time.Duration {
	return 10 * time.Minute
}

// Work posts the closed months.
func (w *AssetDepreciationWorker) Work(ctx context.Context, _ *river.Job[AssetDepreciationArgs]) error {
	_, err := w.Assets.PostDepreciation(ctx)
	return err
}

// AssetMaintenanceArgs asks for the work orders of due maintenance plans.
type AssetMaintenanceArgs struct{}

// Kind names the job.
func (AssetMaintenanceArgs) Kind() string { return "assets_maintenance_due" }

// InsertOpts keeps one pending copy per hour.
func (AssetMaintenanceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// AssetMaintenanceWorker opens due maintenance orders (assets.Service.OpenDueMaintenance).
type AssetMaintenanceWorker struct {
	river.WorkerDefaults[AssetMaintenanceArgs]
	Assets *assets.Service
}

// Timeout bounds a run: one transaction per due plan.
func (*AssetMaintenanceWorker) Timeout(*river.Job[AssetMaintenanceArgs]) time.Duration {
	return 5 * time.Minute
}

// Work opens the due orders.
func (w *AssetMaintenanceWorker) Work(ctx context.Context, _ *river.Job[AssetMaintenanceArgs]) error {
	_, err := w.Assets.OpenDueMaintenance(ctx)
	return err
}

// assetsJobs registers the assets jobs when the assets service is given.
func assetsJobs(d Deps) []job {
	if d.Assets == nil {
		return nil
	}
	return []job{
		{register: func(w *river.Workers) { river.AddWorker(w, &AssetDepreciationWorker{Assets: d.Assets}) },
			args: AssetDepreciationArgs{}, every: time.Hour},
		{register: func(w *river.Workers) { river.AddWorker(w, &AssetMaintenanceWorker{Assets: d.Assets}) },
			args: AssetMaintenanceArgs{}, every: time.Hour},
	}
}
