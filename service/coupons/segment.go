package coupons

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Segment selects the members of the template's group to issue to: members having any
// of Tags (none: any), and last seen at or after LastVisitAfter (zero: any time).
// Tier and spend criteria belong to the loyalty context and are not supported here yet.
type Segment struct {
	Tags           []string
	LastVisitAfter time.Time
}

// SegmentReport says how a segment issue went.
type SegmentReport struct {
	Matched int
	Issued  int
	Skipped int // at their per-member limit, or the stock or budget ran out
}

// IssueToSegment issues one coupon of a template to every member of a segment, each in
// its own transaction with the key "segment:<run>:<member>" so a re-run of the same
// run id never issues twice. Run it from a background job; it reports the counts.
func (s *Service) IssueToSegment(ctx context.Context, templateID uuid.UUID, seg Segment, runID string) (SegmentReport, error) {
	var rep SegmentReport
	t, err := s.Template(ctx, templateID)
	if err != nil {
		return rep, err
	}
	if err := s.canManage(ctx, t.MallID); err != nil {
		return rep, err
	}
	if runID == "" {
		return rep, errs.Invalid("input.runId", "a run id is required")
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT m.id FROM members m JOIN malls l ON l.group_id = m.group_id
		WHERE l.id = $1 AND m.status = 'active' AND (cardinality($2::text[]) = 0 OR m.tags && $2)
		AND ($3::timestamptz IS NULL OR m.last_login_at >= $3) ORDER BY m.id`,
		t.MallID, seg.Tags, nullTime(seg.LastVisitAfter))
	if err != nil {
		return rep, err
	}
	members, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return rep, err
	}
	rep.Matched = len(members)
	for _, m := range members {
		issued, err := s.issueOnce(ctx, templateID, m, "segment:"+runID+":"+m.String())
		switch {
		case err == nil && issued:
			rep.Issued++
		case err == nil, errors.Is(err, ErrLimitReached), errors.Is(err, ErrSoldOut), errors.Is(err, ErrBudgetExhausted):
			rep.Skipped++
		default:
			return rep, err
		}
	}
	return rep, nil
}

// issueOnce issues a coupon unless key was used before (then it reports false).
func (s *Service) issueOnce(ctx context.Context, templateID, member uuid.UUID, key string) (bool, error) {
	issued := false
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		_, replayed, err := storage.Idempotent(ctx, tx, "coupons.segment", key, templateID, func() (uuid.UUID, error) {
			c, err := s.IssueTx(ctx, tx, templateID, member, "segment")
			return c.ID, err
		})
		issued = err == nil && !replayed
		return err
	})
	return issued, err
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
