package brands

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/brands/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
)

// validate checks a follow-up's kind, note and next date (not before its own day).
func (f FollowUp) validate(now time.Time) error {
	switch {
	case f.Kind != FollowUpCall && f.Kind != FollowUpVisit && f.Kind != FollowUpMeeting && f.Kind != FollowUpEmail:
		return errs.Invalid("input.kind", "a follow-up is a call, visit, meeting or email")
	case strings.TrimSpace(f.Note) == "" || utf8.RuneCountInString(f.Note) > 2000:
		return errs.Invalid("input.note", "a follow-up needs a note of 1-2000 characters")
	case f.NextOn != nil && f.NextOn.Before(now.AddDate(0, 0, -1)):
		return errs.Invalid("input.nextOn", "the next follow-up is not in the past")
	}
	return nil
}

// AddFollowUp records a contact with a prospect's brand by the caller (leasing staff or
// an admin of the prospect's mall); an open prospect only.
func (s *Service) AddFollowUp(ctx context.Context, f FollowUp) (FollowUp, error) {
	p, err := s.prospectAtMall(ctx, f.ProspectID)
	if err != nil {
		return FollowUp{}, err
	}
	if p.Stage == StageWon || p.Stage == StageLost {
		return FollowUp{}, ErrIllegalMove.At("input", "prospectId").Msgf("the prospect is %s: no more follow-ups", p.Stage)
	}
	f.At, f.ID, f.ByID = s.now(), service.NewID(), actor(ctx)
	if err := f.validate(f.At); err != nil {
		return FollowUp{}, err
	}
	f.Note = strings.TrimSpace(f.Note)
	return f, queries.New(s.db.Pool).InsertFollowUp(ctx, queries.InsertFollowUpParams{ID: f.ID, GroupID: p.GroupID,
		MallID: p.MallID, ProspectID: p.ID, Kind: string(f.Kind), Note: f.Note, NextOn: f.NextOn, ByStaffID: f.ByID, At: f.At})
}

// FollowUps lists a prospect's follow-ups, oldest first (leasing staff or an admin of
// its mall).
func (s *Service) FollowUps(ctx context.Context, prospectID uuid.UUID) ([]FollowUp, error) {
	p, err := s.prospectAtMall(ctx, prospectID)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).FollowUpsOfProspect(ctx, queries.FollowUpsOfProspectParams{GroupID: p.GroupID,
		MallID: p.MallID, ProspectID: p.ID})
	out := make([]FollowUp, len(rows))
	for i, r := range rows {
		out[i] = FollowUp{ID: r.ID, ProspectID: r.ProspectID, Kind: FollowUpKind(r.Kind), Note: r.Note, NextOn: r.NextOn,
			ByID: r.ByStaffID, At: r.At}
	}
	return out, err
}
