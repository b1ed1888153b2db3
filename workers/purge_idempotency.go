package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/storage"
)

// PurgeIdempotencyArgs asks for stored idempotent responses older than the retention to
// be deleted. Value-moving records keep their own unique keys (ledger postings) forever;
// this only drops cached responses.
type PurgeIdempotencyArgs struct{}

// Kind names the job.
func (PurgeIdempotencyArgs) Kind() string { return "purge_idempotency_keys" }

// InsertOpts makes the periodic job unique per day, so replicas don't pile up copies.
func (PurgeIdempotencyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

// PurgeIdempotencyWorker deletes old idempotency records.
type PurgeIdempotencyWorker struct {
	river.WorkerDefaults[PurgeIdempotencyArgs]
	DB            *storage.DB
	RetentionDays int
}

// Timeout bounds a run (River's default is one minute): batches of
// deletes, each short; a rerun continues with what is left.
func (*PurgeIdempotencyWorker) Timeout(*river.Job[PurgeIdempotencyArgs]) time.Duration {
	return 30 * time.Minute
}

// Work runs the purge.
func (w *PurgeIdempotencyWorker) Work(ctx context.Context, _ *river.Job[PurgeIdempotencyArgs]) error {
	_, err := storage.PurgeIdempotencyKeys(ctx, w.DB.Pool, w.RetentionDays)
	return err
}
