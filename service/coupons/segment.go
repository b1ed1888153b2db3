package coupons

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
)

// Segment selects the members of the template's group to issue to: members in any of
// TierIDs (none: any tier), having any of Tags (none: any), last seen at or after
// LastVisitAfter (zero: any time), and whose net spend (payable less refunded) in the
// last SpendWindowDays days is at least MinSpend (zero: no spend criterion).
type Segment struct {
	TierIDs        []uuid.UUID `json:"tier_ids,omitempty"`
	Tags           []string    `json:"tags,omitempty"`
	LastVisitAfter time.Time   `json:"last_visit_after,omitzero"`
	// LastVisitWithinDays, when set, makes StartSegmentIssue set LastVisitAfter from the
	// service's clock (so callers need no clock of their own).
	LastVisitWithinDays int             `json:"last_visit_within_days,omitempty"`
	MinSpend            decimal.Decimal `json:"min_spend"`
	SpendWindowDays     int             `json:"spend_window_days,omitempty"`
}

func (seg Segment) validate() error {
	if seg.LastVisitWithinDays < 0 {
		return errs.Invalid("input.lastVisitWithinDays", "must be positive")
	}
	if seg.MinSpend.IsNegative() {
		return errs.Invalid("input.minSpend", "must not be negative")
	}
	if seg.MinSpend.IsPositive() && seg.SpendWindowDays <= 0 {
		return errs.Invalid("input.spendWindowDays", "a spend window of at least one day is required with a minimum spend")
	}
	if seg.SpendWindowDays < 0 {
		return errs.Invalid("input.spendWindowDays", "must not be negative")
	}
	return nil
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
	return s.issueToSegment(ctx, t, seg, runID)
}

// issueToSegment is IssueToSegment after the scope check (the background job checked it
// when the run was started).
func (s *Service) issueToSegment(ctx context.Context, t Template, seg Segment, runID string) (SegmentReport, error) {
	var rep SegmentReport
	templateID := t.ID
	if runID == "" {
		return rep, errs.Invalid("input.runId", "a run id is required")
	}
	if err := seg.validate(); err != nil {
		return rep, err
	}
	members, err := s.segmentMembers(ctx, t.MallID, seg)
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

// segmentMembers lists the members of the mall's group that seg selects, in id order.
func (s *Service) segmentMembers(ctx context.Context, mallID uuid.UUID, seg Segment) ([]uuid.UUID, error) {
	mall, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return nil, err
	}
	return queries.New(s.db.Pool).SegmentMembers(ctx, queries.SegmentMembersParams{GroupID: mall.GroupID,
		Tags: orEmpty(seg.Tags), TierIds: orEmpty(seg.TierIDs), LastVisitAfter: nullTime(seg.LastVisitAfter),
		MinSpend: seg.MinSpend, SpendSince: s.now().AddDate(0, 0, -seg.SpendWindowDays)})
}

// issueOnce issues a coupon unless key was used before (then it reports false).
func (s *Service) issueOnce(ctx context.Context, templateID, member uuid.UUID, key string) (bool, error) {
	_, replayed, err := once.Do(ctx, s.db, once.Op[uuid.UUID]{Name: "coupons.segment", Key: key, Args: templateID,
		Run: func(ctx context.Context, tx pgx.Tx) (uuid.UUID, error) {
			c, err := s.IssueTx(ctx, tx, templateID, member, "segment")
			return c.ID, err
		}})
	return err == nil && !replayed, err
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// SegmentMembers lists the members of the mall's group that seg selects (the notify
// context's group messages reuse the segment criteria of coupon issues).
func (s *Service) SegmentMembers(ctx context.Context, mallID uuid.UUID, seg Segment) ([]uuid.UUID, error) {
	if seg.LastVisitWithinDays > 0 && seg.LastVisitAfter.IsZero() {
		seg.LastVisitAfter = s.now().AddDate(0, 0, -seg.LastVisitWithinDays)
	}
	if err := seg.validate(); err != nil {
		return nil, err
	}
	return s.segmentMembers(ctx, mallID, seg)
}
