package exports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/exports/internal/queries"
	"github.com/atrium-mall/atrium/service/exports/sheet"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Redis   storage.Redis // progress events
	Objects storage.Objects
	Org     *org.Service // malls (scope, time zone) and the creator's grants in the job
	Now     func() time.Time
}

// Config tunes the context; zero fields take the defaults.
type Config struct {
	Keep    time.Duration // how long a finished file is kept (default 7 days)
	LinkTTL time.Duration // how long a presigned link works (default 1 hour)
	TempDir string        // where the job writes the workbook before uploading ("" : os.TempDir)
}

// Service is the exports context.
type Service struct {
	db      *storage.DB
	redis   storage.Redis
	objects storage.Objects
	org     *org.Service
	now     func() time.Time
	cfg     Config
	jobs    JobInserter

	mu      sync.RWMutex
	sources map[string]Source
}

// New returns the service with no sources; Register adds them.
func New(d Deps, cfg Config) *Service {
	service.MustDeps("exports", d)
	if cfg.Keep <= 0 {
		cfg.Keep = 7 * 24 * time.Hour
	}
	if cfg.LinkTTL <= 0 {
		cfg.LinkTTL = time.Hour
	}
	return &Service{db: d.DB, redis: d.Redis, objects: d.Objects, org: d.Org, now: d.Now, cfg: cfg,
		sources: map[string]Source{}}
}

// JobInserter enqueues a background job in a transaction (the River client).
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// SetJobs gives the service the job queue (the River client is built after the
// services, from them).
func (s *Service) SetJobs(j JobInserter) { s.jobs = j }

// Register adds a source; a second source of the same kind panics (a wiring bug).
func (s *Service) Register(src Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := src.Spec().Kind
	if _, dup := s.sources[k]; dup {
		panic("exports: source " + k + " registered twice")
	}
	s.sources[k] = src
}

// Kinds lists the registered sources' kinds, sorted.
func (s *Service) Kinds() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.sources))
	for k := range s.sources {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (s *Service) source(kind string) (Source, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	src, ok := s.sources[kind]
	return src, ok
}

// Status is where an export is.
type Status string

// The statuses: QUEUED → RUNNING → DONE → EXPIRED; QUEUED/RUNNING → CANCELLED or FAILED.
const (
	StatusQueued    Status = "QUEUED"
	StatusRunning   Status = "RUNNING"
	StatusDone      Status = "DONE"
	StatusFailed    Status = "FAILED"
	StatusCancelled Status = "CANCELLED"
	StatusExpired   Status = "EXPIRED"
)

// Terminal reports whether an export in st will not change any more (but expire).
func (st Status) Terminal() bool { return st != StatusQueued && st != StatusRunning }

// Export is one export.
type Export struct {
	ID         uuid.UUID
	GroupID    uuid.UUID
	MallID     uuid.UUID
	Kind       string
	Filter     Filter
	Status     Status
	CreatedBy  uuid.UUID
	RowsDone   int64
	RowsTotal  *int64
	FileName   string
	SizeBytes  *int64
	Error      string
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
	ExpiresAt  *time.Time
	// ReadReplica: the rows were read from the read replica; ReplicaLag its replay lag
	// when the job started (nil: read from the primary).
	ReadReplica bool
	ReplicaLag  *time.Duration
	objectKey   string
}

func exportOf(r queries.Export) Export {
	e := Export{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Kind: r.Kind, Status: Status(r.Status),
		CreatedBy: r.CreatedBy, RowsDone: r.RowsDone, RowsTotal: r.RowsTotal, FileName: r.FileName,
		SizeBytes: r.SizeBytes, CreatedAt: r.CreatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		ExpiresAt: r.ExpiresAt, ReadReplica: r.ReadReplica}
	_ = json.Unmarshal(r.Filter, &e.Filter)
	if r.Error != nil {
		e.Error = *r.Error
	}
	if r.ObjectKey != nil {
		e.objectKey = *r.ObjectKey
	}
	if r.ReplicaLagMs != nil {
		d := time.Duration(*r.ReplicaLagMs) * time.Millisecond
		e.ReplicaLag = &d
	}
	return e
}

// Sentinel errors.
var (
	ErrUnknownKind = errs.New(errs.KindUser, "EXPORT_KIND_UNKNOWN", "no such export")
	ErrTooLarge    = errs.New(errs.KindUser, "EXPORT_TOO_LARGE", "more rows than one sheet holds; narrow the filter")
	ErrNotReady    = errs.New(errs.KindUser, "EXPORT_NOT_READY", "the export has no file (yet, or any more)")
	ErrFinished    = errs.New(errs.KindUser, "EXPORT_FINISHED", "the export has already finished")
)

// Args is the River job that writes one export (Execute).
type Args struct {
	ExportID uuid.UUID `json:"exportId"`
}

// Kind names the job.
func (Args) Kind() string { return "export" }

// InsertOpts: one job per export.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// mallOf reads the mall and checks the caller is staff with a grant covering it (any
// role; the source checks the list's roles).
func (s *Service) mallOf(ctx context.Context, mallID uuid.UUID) (org.Place, error) {
	if _, err := access.Staff(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref())
}

// Start starts an export of a source: the caller must be able to read the list with
// the filter (the source decides, as the list's own query does). The export row and
// its job are written in one transaction.
func (s *Service) Start(ctx context.Context, kind string, f Filter) (Export, error) {
	p, err := s.mallOf(ctx, f.MallID)
	if err != nil {
		return Export{}, err
	}
	src, ok := s.source(kind)
	if !ok {
		return Export{}, ErrUnknownKind.At("input", "kind")
	}
	rows, err := src.Open(ctx, f)
	if err != nil {
		return Export{}, err
	}
	if rows.Total > sheet.MaxRows {
		return Export{}, ErrTooLarge
	}
	v := auth.ViewerFrom(ctx)
	filter, err := json.Marshal(f)
	if err != nil {
		return Export{}, err
	}
	now := s.now()
	name := fmt.Sprintf("%s-%s.xlsx", src.Spec().Title, now.In(p.Loc).Format("20060102-150405"))
	var out Export
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		r, err := queries.New(tx).InsertExport(ctx, queries.InsertExportParams{ID: service.NewID(), GroupID: p.GroupID,
			MallID: p.MallID, Kind: kind, Filter: filter, CreatedBy: v.ID, FileName: name, CreatedAt: now})
		if err != nil {
			return err
		}
		out = exportOf(r)
		_, err = s.jobs.InsertTx(ctx, tx, Args{ExportID: r.ID}, nil)
		return err
	})
	if err != nil {
		return Export{}, fmt.Errorf("start export: %w", err)
	}
	s.publish(ctx, out)
	return out, nil
}

// visible reads an export its creator or an admin of its mall may see; anyone else
// gets NOT_FOUND.
func (s *Service) visible(ctx context.Context, id uuid.UUID) (Export, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return Export{}, err
	}
	r, err := queries.New(s.db.Pool).Export(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Export{}, errs.ErrNotFound.Msgf("export not found")
	}
	if err != nil {
		return Export{}, err
	}
	e := exportOf(r)
	if e.CreatedBy == v.ID || v.Can(auth.OrgRef{GroupID: e.GroupID, MallID: e.MallID}, auth.RoleAdmin) {
		return e, nil
	}
	return Export{}, errs.ErrNotFound.Msgf("export not found")
}

// Get reads an export (its creator or an admin of its mall).
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Export, error) {
	return s.visible(ctx, id)
}

// List lists a mall's exports newest first: an admin of the mall sees all of them,
// other staff of the mall their own.
func (s *Service) List(ctx context.Context, mallID uuid.UUID, pr page.Request) (page.Result[Export], error) {
	p, err := s.mallOf(ctx, mallID)
	if err != nil {
		return page.Result[Export]{}, err
	}
	v := auth.ViewerFrom(ctx)
	arg := queries.ExportsOfMallParams{GroupID: p.GroupID, MallID: p.MallID, After: pr.After, Lim: int32(pr.Limit())}
	if !v.Can(p.Ref(), auth.RoleAdmin) {
		arg.CreatedBy = &v.ID
	}
	rows, err := queries.New(s.db.Pool).ExportsOfMall(ctx, arg)
	if err != nil {
		return page.Result[Export]{}, err
	}
	out := make([]Export, len(rows))
	for i, r := range rows {
		out[i] = exportOf(r)
	}
	return page.Cut(pr, out), nil
}

// Link returns a presigned download link of a finished export, valid for the
// configured time (never past the file's expiry): its creator or an admin of its mall.
func (s *Service) Link(ctx context.Context, id uuid.UUID) (string, time.Time, error) {
	e, err := s.visible(ctx, id)
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	if e.Status != StatusDone || e.objectKey == "" || e.ExpiresAt == nil || !e.ExpiresAt.After(now) {
		return "", time.Time{}, ErrNotReady
	}
	ttl := min(s.cfg.LinkTTL, e.ExpiresAt.Sub(now))
	url, err := s.objects.PresignGet(ctx, e.objectKey, ttl)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("presign export: %w", err)
	}
	return url, now.Add(ttl), nil
}

// Cancel stops a queued or running export (its creator or an admin of its mall); the
// job sees it at its next page and stops without uploading.
func (s *Service) Cancel(ctx context.Context, id uuid.UUID) (Export, error) {
	if _, err := s.visible(ctx, id); err != nil {
		return Export{}, err
	}
	now := s.now()
	r, err := queries.New(s.db.Pool).CancelExport(ctx, &now, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Export{}, ErrFinished
	}
	if err != nil {
		return Export{}, err
	}
	e := exportOf(r)
	s.publish(ctx, e)
	return e, nil
}
