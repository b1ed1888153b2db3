package exports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/exports/internal/queries"
	"github.com/atrium-mall/atrium/service/exports/sheet"
	"github.com/atrium-mall/atrium/storage"
)

// progressEvery is how often the job records and announces its progress (and so sees
// a cancellation): at most this often, at a page's end.
const progressEvery = 250 * time.Millisecond

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Execute writes an export (the River job): it opens the source as the export's
// creator (their grants as they are now: a creator who lost the role gets nothing),
// reading from the replica when one is configured, streams the rows page by page into
// a workbook in a temporary file, uploads it, and marks the export DONE with its
// expiry. A cancelled or finished export is left alone; a cancellation seen mid-way
// stops the job without uploading. final says this is the job's last attempt: an
// error then marks the export FAILED (earlier ones let River retry from the start).
func (s *Service) Execute(ctx context.Context, id uuid.UUID, final bool) error {
	r, err := queries.New(s.db.Pool).Export(ctx, id)
	if err != nil {
		return fmt.Errorf("export %s: %w", id, storage.MapError(err))
	}
	e := exportOf(r)
	if e.Status.Terminal() {
		return nil
	}
	err = s.execute(ctx, e)
	var ue *errs.Error
	typed := errors.As(err, &ue) && ue.Kind != errs.KindInternal
	if err != nil && (final || typed) {
		slog.WarnContext(ctx, "exports: export failed", "export", id, "err", err)
		msg := "internal error"
		if typed {
			msg = ue.Code + ": " + ue.Message
		}
		now := s.now()
		if f, ferr := queries.New(s.db.Pool).FailExport(ctx, queries.FailExportParams{Error: &msg, At: &now, ID: id}); ferr == nil {
			s.publish(ctx, exportOf(f))
		}
		return nil
	}
	return err
}

func (s *Service) execute(ctx context.Context, e Export) error {
	src, ok := s.source(e.Kind)
	if !ok {
		return ErrUnknownKind
	}
	grants, err := s.org.Grants(ctx, e.CreatedBy)
	if err != nil {
		return err
	}
	p, err := s.org.MallPlace(ctx, nil, e.MallID)
	if err != nil {
		return err
	}
	as := storage.PreferReplica(auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: e.CreatedBy, Grants: grants}))
	lag, err := s.db.ReadLag(ctx)
	if err != nil {
		return err
	}
	rows, err := src.Open(as, e.Filter)
	if err != nil {
		return err
	}
	arg := queries.StartExportRunParams{ID: e.ID, At: s.now(), RowsTotal: &rows.Total, ReadReplica: lag.Replica}
	if lag.Lag != nil {
		ms := lag.Lag.Milliseconds()
		arg.ReplicaLagMs = &ms
	}
	started, err := queries.New(s.db.Pool).StartExportRun(ctx, arg)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return nil // cancelled meanwhile
	}
	if err != nil {
		return err
	}
	e = exportOf(started)
	s.publish(ctx, e)
	file, err := os.CreateTemp(s.cfg.TempDir, "atrium-export-*.xlsx")
	if err != nil {
		return err
	}
	defer func() { _ = file.Close(); _ = os.Remove(file.Name()) }()
	n, cancelled, err := s.write(as, e, src.Spec(), rows, p.Loc, file)
	if err != nil || cancelled {
		return err
	}
	return s.upload(ctx, e, file, n)
}

// write streams the rows into file; it reports the rows written and whether the export
// was cancelled meanwhile.
func (s *Service) write(ctx context.Context, e Export, spec Spec, rows Rows, zone *time.Location, file *os.File) (int64, bool, error) {
	w, err := sheet.New(spec.Columns, zone)
	if err != nil {
		return 0, false, err
	}
	defer func() { _ = w.Close() }()
	last := time.Now()
	for {
		pg, err := rows.Next(ctx)
		if err != nil {
			return 0, false, err
		}
		if len(pg) == 0 {
			break
		}
		for _, row := range pg {
			if err := w.Row(row); err != nil {
				return 0, false, err
			}
		}
		if time.Since(last) >= progressEvery {
			last = time.Now()
			if stop, err := s.progress(ctx, e, int64(w.Rows())); err != nil || stop {
				return 0, stop, err
			}
		}
	}
	if rows.Summary != nil {
		c, err := rows.Summary(ctx)
		if err != nil {
			return 0, false, err
		}
		if c != nil {
			if err := w.Summary(*c); err != nil {
				return 0, false, err
			}
		}
	}
	if _, err := w.WriteTo(file); err != nil {
		return 0, false, err
	}
	return int64(w.Rows()), false, nil
}

// progress records rows done and announces it; stop says the export was cancelled.
func (s *Service) progress(ctx context.Context, e Export, done int64) (bool, error) {
	st, err := queries.New(s.db.Pool).ExportProgress(ctx, done, e.ID)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	e.RowsDone, e.Status = done, Status(st)
	s.publish(ctx, e)
	return false, nil
}

// upload puts the written file into object storage and marks the export DONE; an
// export cancelled at the last moment has its object removed again.
func (s *Service) upload(ctx context.Context, e Export, file *os.File, rows int64) error {
	size, err := file.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	key := fmt.Sprintf("exports/%s/%s/%s.xlsx", e.GroupID, e.MallID, e.ID)
	if err := s.objects.Put(ctx, key, file, size, xlsxType); err != nil {
		return fmt.Errorf("upload export: %w", err)
	}
	now := s.now()
	expires := now.Add(s.cfg.Keep)
	r, err := queries.New(s.db.Pool).FinishExport(ctx, queries.FinishExportParams{RowsDone: rows, ObjectKey: &key,
		SizeBytes: &size, At: &now, ExpiresAt: &expires, ID: e.ID})
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return s.objects.Delete(ctx, key)
	}
	if err != nil {
		return err
	}
	s.publish(ctx, exportOf(r))
	return nil
}

// ExpireBatch is how many expired exports one cleanup pass removes.
const ExpireBatch = 500

// Expire deletes the files of exports past their expiry and marks them EXPIRED (the
// cleanup job; rerun-safe). It returns how many it expired.
func (s *Service) Expire(ctx context.Context) (int, error) {
	now := s.now()
	n := 0
	for {
		rows, err := queries.New(s.db.Pool).ExpiredExports(ctx, &now, ExpireBatch)
		if err != nil {
			return n, err
		}
		for _, r := range rows {
			if r.ObjectKey != nil {
				if err := s.objects.Delete(ctx, *r.ObjectKey); err != nil && !errors.Is(err, storage.ErrObjectNotFound) {
					return n, fmt.Errorf("delete export %s: %w", r.ID, err)
				}
			}
			if _, err := queries.New(s.db.Pool).MarkExportExpired(ctx, r.ID); err != nil {
				return n, err
			}
			n++
		}
		if len(rows) < ExpireBatch {
			return n, nil
		}
	}
}

// Progress is a real-time event of an export: its status and rows done of total.
type Progress struct {
	ExportID  uuid.UUID `json:"exportId"`
	Status    Status    `json:"status"`
	RowsDone  int64     `json:"rowsDone"`
	RowsTotal *int64    `json:"rowsTotal,omitempty"`
}

func (s *Service) channel(id uuid.UUID) string { return s.redis.Key("exports", id.String()) }

// publish announces an export's progress through Redis (after the change committed:
// every caller publishes after its statement or transaction); a failure is logged.
func (s *Service) publish(ctx context.Context, e Export) {
	body, _ := json.Marshal(Progress{ExportID: e.ID, Status: e.Status, RowsDone: e.RowsDone, RowsTotal: e.RowsTotal})
	if err := s.redis.Publish(context.WithoutCancel(ctx), s.channel(e.ID), body).Err(); err != nil {
		slog.WarnContext(ctx, "exports: publish progress", "err", err, "export", e.ID)
	}
}

// Subscribe streams an export's progress to its creator or an admin of its mall: the
// current state first, then each change, closing after a terminal status or when ctx
// ends.
func (s *Service) Subscribe(ctx context.Context, id uuid.UUID) (<-chan Progress, error) {
	if _, err := s.visible(ctx, id); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	in, err := storage.SubscribeJSON(ctx, s.redis, s.channel(id), 16, func(p Progress) bool { return p.ExportID == id })
	if err != nil {
		cancel()
		return nil, err
	}
	e, err := s.visible(ctx, id) // read after subscribing: no change falls between
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan Progress, 16)
	go func() {
		defer cancel()
		defer close(out)
		p := Progress{ExportID: e.ID, Status: e.Status, RowsDone: e.RowsDone, RowsTotal: e.RowsTotal}
		for {
			select {
			case out <- p:
			case <-ctx.Done():
				return
			}
			if p.Status.Terminal() {
				return
			}
			var ok bool
			if p, ok = <-in; !ok {
				return
			}
		}
	}()
	return out, nil
}
