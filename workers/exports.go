package workers

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/service/exports"
)

// ExportWorker writes one Excel export (exports.Service.Execute): enqueued by
// startExport in the transaction that records it, never on a schedule. An attempt that
// fails starts the file again; the last one marks the export FAILED.
type ExportWorker struct {
	river.WorkerDefaults[exports.Args]
	Exports *exports.Service
}

// Timeout bounds an attempt: a million rows take well under a minute.
func (*ExportWorker) Timeout(*river.Job[exports.Args]) time.Duration { return 30 * time.Minute }

// Work writes the export.
func (w *ExportWorker) Work(ctx context.Context, j *river.Job[exports.Args]) error {
	return w.Exports.Execute(ctx, j.Args.ExportID, j.Attempt >= j.MaxAttempts)
}

// ExpireExportsArgs is the hourly removal of expired export files.
type ExpireExportsArgs struct{}

// Kind names the job.
func (ExpireExportsArgs) Kind() string { return "exports_expire" }

// ExpireExportsWorker removes the files of exports past their expiry (rerun-safe).
type ExpireExportsWorker struct {
	river.WorkerDefaults[ExpireExportsArgs]
	Exports *exports.Service
}

// Work expires what is due.
func (w *ExpireExportsWorker) Work(ctx context.Context, _ *river.Job[ExpireExportsArgs]) error {
	_, err := w.Exports.Expire(ctx)
	return err
}

// exportJobs registers the export worker and the hourly expiry when the exports
// service is given.
func exportJobs(d Deps) []job {
	if d.Exports == nil {
		return nil
	}
	return []job{
		{register: func(w *river.Workers) { river.AddWorker(w, &ExportWorker{Exports: d.Exports}) }},
		{register: func(w *river.Workers) { river.AddWorker(w, &ExpireExportsWorker{Exports: d.Exports}) },
			args: ExpireExportsArgs{}, every: time.Hour},
	}
}
