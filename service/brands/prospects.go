package brands

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/brands/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// maxWantedUnits bounds the units a prospect names.
const maxWantedUnits = 20

// validate checks what a prospect wants: a positive area, units, or both.
func (in *ProspectInput) validate() error {
	switch {
	case in.WantedArea == nil && len(in.WantedUnitIDs) == 0:
		return errs.Invalid("input.wantedArea", "a prospect wants an area or units")
	case in.WantedArea != nil && (!in.WantedArea.IsPositive() || in.WantedArea.Exponent() < -2):
		return errs.Invalid("input.wantedArea", "an area is a positive number of m² with at most 2 decimals")
	case len(in.WantedUnitIDs) > maxWantedUnits:
		return errs.Invalid("input.wantedUnitIds", "a prospect wants at most %d units", maxWantedUnits)
	}
	slices.SortFunc(in.WantedUnitIDs, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	in.WantedUnitIDs = slices.Compact(in.WantedUnitIDs)
	return nil
}

// CreateProspect opens a prospect as a lead (leasing staff or an admin of the mall):
// the brand must be of the mall's group, the owner a leasing staff member or admin
// covering the mall. Its creation is the first row of its stage history.
func (s *Service) CreateProspect(ctx context.Context, in ProspectInput) (Prospect, error) {
	place, err := s.atMall(ctx, in.MallID)
	if err != nil {
		return Prospect{}, err
	}
	if err := in.validate(); err != nil {
		return Prospect{}, err
	}
	if err := s.checkProspectParties(ctx, place, in); err != nil {
		return Prospect{}, err
	}
	id, now := service.NewID(), s.now()
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if err := q.InsertProspect(ctx, queries.InsertProspectParams{ID: id, GroupID: place.GroupID, MallID: place.MallID,
			BrandID: in.BrandID, WantedArea: in.WantedArea, WantedUnitIds: orEmpty(in.WantedUnitIDs),
			OwnerStaffID: in.OwnerID, CreatedAt: now}); err != nil {
			return err
		}
		return q.InsertStage(ctx, queries.InsertStageParams{ID: service.NewID(), GroupID: place.GroupID,
			MallID: place.MallID, ProspectID: id, ToStage: string(StageLead), At: now, ActorStaffID: actor(ctx)})
	})
	if err != nil {
		return Prospect{}, err
	}
	return s.prospect(ctx, nil, id)
}

// checkProspectParties checks that the brand is of the mall's group and that the owner
// may work the mall's pipeline.
func (s *Service) checkProspectParties(ctx context.Context, place org.Place, in ProspectInput) error {
	b, err := s.brand(ctx, in.BrandID)
	if err != nil || b.GroupID != place.GroupID {
		return errs.Invalid("input.brandId", "no such brand in the mall's group")
	}
	grants, err := s.org.Grants(ctx, in.OwnerID)
	if err != nil {
		return err
	}
	owner := &auth.Viewer{Kind: auth.KindStaff, ID: in.OwnerID, Grants: grants}
	if !owner.Can(place.Ref(), prepareRoles...) {
		return errs.Invalid("input.ownerId", "the owner must be leasing staff or an admin of the mall")
	}
	return nil
}

func orEmpty(ids []uuid.UUID) []uuid.UUID {
	if ids == nil {
		return []uuid.UUID{}
	}
	return ids
}

// MoveProspect moves a prospect to stage (leasing staff or an admin of its mall) and
// records the change with its time and actor. Moving to lost needs a reason (and a note
// for LostOther); an illegal move is ILLEGAL_STAGE_CHANGE. The row is locked while it
// moves, so two concurrent moves are applied one after the other.
func (s *Service) MoveProspect(ctx context.Context, id uuid.UUID, stage Stage, reason LostReason, note string) (Prospect, error) {
	p, err := s.prospectAtMall(ctx, id)
	if err != nil {
		return Prospect{}, err
	}
	if err := validLoss(stage, reason, note); err != nil {
		return Prospect{}, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		row, err := q.LockProspect(ctx, id)
		if err != nil {
			return err
		}
		from := Stage(row.Stage)
		if _, err := stageMachine.Next(Move(stage), from); err != nil {
			return err
		}
		return s.recordMove(ctx, q, p, from, stage, reason, strings.TrimSpace(note))
	})
	if err != nil {
		return Prospect{}, err
	}
	return s.prospect(ctx, nil, id)
}

// validLoss checks the reason of a move to lost (and that other moves carry none).
func validLoss(stage Stage, reason LostReason, note string) error {
	switch {
	case stage != StageLost && reason != "":
		return errs.Invalid("input.reason", "only a lost prospect has a reason")
	case stage == StageLost && !slices.Contains(LostReasons, reason):
		return errs.Invalid("input.reason", "a lost prospect needs a reason from the list")
	case stage == StageLost && reason == LostOther && strings.TrimSpace(note) == "":
		return errs.Invalid("input.note", "a prospect lost for another reason needs a note")
	case utf8.RuneCountInString(note) > 1000:
		return errs.Invalid("input.note", "a note is at most 1000 characters")
	}
	return nil
}

// recordMove sets the prospect's stage and appends the change to its history.
func (s *Service) recordMove(ctx context.Context, q *queries.Queries, p Prospect, from, to Stage, reason LostReason, note string) error {
	now := s.now()
	var r *string
	if to == StageLost {
		r = (*string)(&reason)
	}
	if err := q.SetStage(ctx, queries.SetStageParams{ID: p.ID, Stage: string(to), LostReason: r, LostNote: note,
		At: now}); err != nil {
		return err
	}
	f := string(from)
	return q.InsertStage(ctx, queries.InsertStageParams{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID,
		ProspectID: p.ID, FromStage: &f, ToStage: string(to), At: now, ActorStaffID: actor(ctx)})
}

// Prospect returns a prospect (leasing staff or an admin of its mall).
func (s *Service) Prospect(ctx context.Context, id uuid.UUID) (Prospect, error) {
	return s.prospectAtMall(ctx, id)
}

// prospectAtMall loads a prospect and checks the caller works its mall's pipeline.
func (s *Service) prospectAtMall(ctx context.Context, id uuid.UUID) (Prospect, error) {
	p, err := s.prospect(ctx, nil, id)
	if err != nil {
		return p, err
	}
	_, err = s.atMall(ctx, p.MallID)
	return p, err
}

// prospect loads a prospect through q (nil: the pool) without an access check.
func (s *Service) prospect(ctx context.Context, q *queries.Queries, id uuid.UUID) (Prospect, error) {
	if q == nil {
		q = queries.New(s.db.Pool)
	}
	r, err := q.ProspectByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Prospect{}, errs.ErrNotFound.Msgf("prospect not found")
	}
	return prospectOf(r), err
}

func prospectOf(r queries.BrandProspect) Prospect {
	p := Prospect{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, BrandID: r.BrandID, WantedArea: r.WantedArea,
		WantedUnitIDs: r.WantedUnitIds, OwnerID: r.OwnerStaffID, Stage: Stage(r.Stage), LostNote: r.LostNote,
		ContractID: r.ContractID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.LostReason != nil {
		p.LostReason = LostReason(*r.LostReason)
	}
	return p
}

func prospectsOf(rows []queries.BrandProspect) []Prospect {
	out := make([]Prospect, len(rows))
	for i, r := range rows {
		out[i] = prospectOf(r)
	}
	return out
}

// ProspectFilter narrows a mall's prospects; zero fields match every one.
type ProspectFilter struct {
	Stage   Stage
	OwnerID uuid.UUID
}

// Prospects is a page of a mall's prospects in creation order (leasing staff or an
// admin of the mall).
func (s *Service) Prospects(ctx context.Context, mallID uuid.UUID, f ProspectFilter, p page.Request) (page.Result[Prospect], error) {
	place, err := s.atMall(ctx, mallID)
	if err != nil {
		return page.Result[Prospect]{}, err
	}
	var owner *uuid.UUID
	if f.OwnerID != uuid.Nil {
		owner = &f.OwnerID
	}
	rows, err := queries.New(s.db.Pool).ProspectsOfMall(ctx, queries.ProspectsOfMallParams{GroupID: place.GroupID,
		MallID: mallID, After: p.After, Stage: string(f.Stage), Owner: owner, Lim: int32(p.Limit())})
	return page.Cut(p, prospectsOf(rows)), err
}

// ProspectsOfBrand lists a brand's prospects in the malls where the caller works the
// pipeline (leasing staff or an admin), in creation order; other malls' are left out.
func (s *Service) ProspectsOfBrand(ctx context.Context, brandID uuid.UUID) ([]Prospect, error) {
	b, err := s.brandFor(ctx, brandID, readRoles)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ProspectsOfBrand(ctx, b.GroupID, b.ID)
	if err != nil {
		return nil, err
	}
	visible := map[uuid.UUID]bool{}
	var out []Prospect
	for _, p := range prospectsOf(rows) {
		ok, seen := visible[p.MallID]
		if !seen {
			_, err := s.atMall(ctx, p.MallID)
			ok = err == nil
			visible[p.MallID] = ok
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// History lists the stages a prospect entered, oldest first (leasing staff or an admin
// of its mall).
func (s *Service) History(ctx context.Context, prospectID uuid.UUID) ([]StageChange, error) {
	p, err := s.prospectAtMall(ctx, prospectID)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).StagesOfProspect(ctx, queries.StagesOfProspectParams{GroupID: p.GroupID,
		MallID: p.MallID, ProspectID: p.ID})
	out := make([]StageChange, len(rows))
	for i, r := range rows {
		out[i] = StageChange{ID: r.ID, To: Stage(r.ToStage), At: r.At, ActorID: r.ActorStaffID}
		if r.FromStage != nil {
			out[i].From = Stage(*r.FromStage)
		}
	}
	return out, err
}
