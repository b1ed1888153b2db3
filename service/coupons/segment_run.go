package coupons

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// JobInserter enqueues a background job in a transaction (the River client).
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// SetJobs gives the service the job queue; the River client is built after the services.
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
	Status     string // queued, running, done, failed
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
	run := SegmentRun{ID: service.NewID(), TemplateID: templateID, Segment: seg, Status: "queued", CreatedAt: s.now()}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO coupon_segment_runs (id, template_id, segment, created_at)
			VALUES ($1, $2, $3, $4)`, run.ID, templateID, segJSON, run.CreatedAt); err != nil {
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
	var r SegmentRun
	var mallID uuid.UUID
	var segJSON []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT r.id, r.template_id, r.segment, r.status, r.issued, r.skipped, r.error,
		r.created_at, r.finished_at, t.mall_id FROM coupon_segment_runs r JOIN coupon_templates t ON t.id = r.template_id
		WHERE r.id = $1`, id).Scan(&r.ID, &r.TemplateID, &segJSON, &r.Status, &r.Issued, &r.Skipped, &r.Error,
		&r.CreatedAt, &r.FinishedAt, &mallID)
	if errors.Is(err, pgx.ErrNoRows) || errors.Is(err, storage.ErrNotFound) {
		return r, mallID, errs.ErrNotFound.Msgf("segment run not found")
	}
	if err != nil {
		return r, mallID, err
	}
	return r, mallID, json.Unmarshal(segJSON, &r.Segment)
}

// RunSegmentIssue carries out a run (the background job; the scope was checked when it
// was started). A run already done is left alone; a retried run issues nothing twice,
// since each member's coupon is keyed by the run id.
func (s *Service) RunSegmentIssue(ctx context.Context, runID uuid.UUID) error {
	run, _, err := s.segmentRun(ctx, runID)
	if err != nil {
		return err
	}
	if run.Status == "done" {
		return nil
	}
	if _, err := s.db.Pool.Exec(ctx, `UPDATE coupon_segment_runs SET status = 'running', error = '' WHERE id = $1`,
		runID); err != nil {
		return err
	}
	t, err := s.Template(ctx, run.TemplateID)
	var rep SegmentReport
	if err == nil {
		rep, err = s.issueToSegment(ctx, t, run.Segment, runID.String())
	}
	if err != nil {
		if _, uerr := s.db.Pool.Exec(ctx, `UPDATE coupon_segment_runs SET status = 'failed', error = $2,
			issued = $3, skipped = $4, finished_at = $5 WHERE id = $1`, runID, err.Error(), rep.Issued, rep.Skipped, s.now()); uerr != nil {
			return errors.Join(err, uerr)
		}
		return err
	}
	_, err = s.db.Pool.Exec(ctx, `UPDATE coupon_segment_runs SET status = 'done', issued = $2, skipped = $3,
		finished_at = $4 WHERE id = $1`, runID, rep.Issued, rep.Skipped, s.now())
	return err
}
