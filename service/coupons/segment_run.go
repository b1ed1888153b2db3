package coupons

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// JobInserter enqueues a background job in a transaction (the River client).
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// SetJobs gives the service the job queue. It is not a Deps field because the River
// client is built after the services (its workers call them); app wires it right after,
// and StartSegmentIssue fails while it is unset.
func (s *Service) SetJobs(j JobInserter) { s.jobs = j }

// SegmentIssueArgs is the background job issuing a template to a segment for one run.
type SegmentIssueArgs struct {
	RunID      uuid.UUID `json:"run_id"`
	TemplateID uuid.UUID `json:"template_id"`
	Segment    Segment   `json:"segment"`
}

// Kind names the job.
func (SegmentIssueArgs) Kind() string { return "coupons_segment_issue" }

// SegmentRun is one segment issue request and, once done, its report.
type SegmentRun struct {
	ID         uuid.UUID
	TemplateID uuid.UUID
	Segment    Segment
	Status     RunStatus
	Issued     int
	Skipped    int
	Error      string
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// StartSegmentIssue records a run and enqueues its job in the same transaction; staff
// managing the template's mall only.
func (s *Service) StartSegmentIssue(ctx context.Context, templateID uuid.UUID, seg Segment) (SegmentRun, error) {
	t, err := s.Template(ctx, templateID)
	if err != nil {
		return SegmentRun{}, err
	}
	if err := s.canManage(ctx, t.MallID); err != nil {
		return SegmentRun{}, err
	}
	if err := seg.validate(); err != nil {
		return SegmentRun{}, err
	}
	if seg.LastVisitWithinDays > 0 {
		seg.LastVisitAfter = s.now().AddDate(0, 0, -seg.LastVisitWithinDays)
	}
	if s.jobs == nil {
		return SegmentRun{}, errors.New("coupons: no job queue configured")
	}
	segJSON, err := json.Marshal(seg)
	if err != nil {
		return SegmentRun{}, err
	}
	run := SegmentRun{ID: service.NewID(), TemplateID: templateID, Segment: seg, Status: RunQueued, CreatedAt: s.now()}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := queries.New(tx).InsertSegmentRun(ctx, queries.InsertSegmentRunParams{ID: run.ID,
			TemplateID: templateID, Segment: segJSON, CreatedAt: run.CreatedAt}); err != nil {
			return err
		}
		_, err := s.jobs.InsertTx(ctx, tx, SegmentIssueArgs{RunID: run.ID, TemplateID: templateID, Segment: seg}, nil)
		return err
	})
	if err != nil {
		return SegmentRun{}, err
	}
	return run, nil
}

// SegmentRun reads a run; staff managing the template's mall only.
func (s *Service) SegmentRun(ctx context.Context, id uuid.UUID) (SegmentRun, error) {
	run, mallID, err := s.segmentRun(ctx, id)
	if err != nil {
		return run, err
	}
	if err := s.canManage(ctx, mallID); err != nil {
		return SegmentRun{}, err
	}
	return run, nil
}

func (s *Service) segmentRun(ctx context.Context, id uuid.UUID) (SegmentRun, uuid.UUID, error) {
	row, err := queries.New(s.db.Pool).SegmentRunByID(ctx, id)
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return SegmentRun{}, uuid.Nil, errs.ErrNotFound.Msgf("segment run not found")
	} else if err != nil {
		return SegmentRun{}, uuid.Nil, err
	}
	r := row.CouponSegmentRun
	run := SegmentRun{ID: r.ID, TemplateID: r.TemplateID, Status: RunStatus(r.Status), Issued: int(r.Issued),
		Skipped: int(r.Skipped), Error: r.Error, CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt}
	if err := json.Unmarshal(r.Segment, &run.Segment); err != nil {
		return run, row.MallID, fmt.Errorf("coupons: decode segment of run %s: %w", id, err)
	}
	return run, row.MallID, nil
}

// RunSegmentIssue carries out a run (the background job; the scope was checked when it
// was started). A run already done is left alone; a retried run issues nothing twice,
// since each member's coupon is keyed by the run id.
func (s *Service) RunSegmentIssue(ctx context.Context, runID uuid.UUID) error {
	run, _, err := s.segmentRun(ctx, runID)
	if err != nil || run.Status == RunDone {
		return err
	}
	if started, err := s.startRun(ctx, run); err != nil || !started {
		return err
	}
	t, err := s.Template(ctx, run.TemplateID)
	var rep SegmentReport
	if err == nil {
		rep, err = s.issueToSegment(ctx, t, run.Segment, runID.String())
	}
	if err != nil {
		if uerr := s.endRun(ctx, runID, RunFail, rep, err.Error()); uerr != nil {
			return errors.Join(err, uerr)
		}
		return err
	}
	return s.endRun(ctx, runID, RunFinish, rep, "")
}

// startRun marks run running; false when it was done meanwhile (another attempt of the
// job finished it).
func (s *Service) startRun(ctx context.Context, run SegmentRun) (bool, error) {
	to, err := runStates.Next(RunStart, run.Status)
	if err != nil {
		return false, err
	}
	n, err := queries.New(s.db.Pool).StartSegmentRun(ctx, queries.StartSegmentRunParams{ID: run.ID,
		ToStatus: string(to), FromStatuses: runStates.From(RunStart)})
	return n > 0, err
}

// endRun records a running run's end (ev: finish or fail, with why) and its counts.
func (s *Service) endRun(ctx context.Context, runID uuid.UUID, ev RunEvent, rep SegmentReport, why string) error {
	to, err := runStates.Next(ev, RunRunning)
	if err != nil {
		return err
	}
	return queries.New(s.db.Pool).EndSegmentRun(ctx, queries.EndSegmentRunParams{ID: runID, ToStatus: string(to),
		Err: why, Issued: int32(rep.Issued), Skipped: int32(rep.Skipped), FinishedAt: s.now()})
}
