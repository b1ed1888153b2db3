package workorders

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
)

// Candidate is a technician dispatch may choose.
type Candidate struct {
	StaffID uuid.UUID
	Skills  []string // categories they work
	Zones   []string // zones they cover
	Open    int      // orders assigned and not yet resolved
	// OffShift: the mall keeps a roster for the role and the candidate is not on shift
	// now. Such a candidate is never picked automatically (the desk may still assign
	// them by name).
	OffShift bool
}

// Score weighs a candidate for an order of category in zone: 100 for the skill, 10 for
// the zone, minus 3 per open order. A skilled technician with up to 33 open orders still
// beats an unskilled idle one; between equally fit ones the less loaded wins, and a
// zone match is worth three open orders. Only candidates on shift compete (Pick): in a
// mall that keeps a roster for the role, the score of one off shift does not count.
func Score(c Candidate, category, zone string) int {
	s := -3 * c.Open
	if slices.Contains(c.Skills, category) {
		s += 100
	}
	if zone != "" && slices.Contains(c.Zones, zone) {
		s += 10
	}
	return s
}

// Pick returns the best candidate on shift: highest score, then fewest open orders, then
// lowest staff id (stable). ok is false when nobody is on shift.
func Pick(cs []Candidate, category, zone string) (best Candidate, ok bool) {
	for _, c := range cs {
		if c.OffShift {
			continue
		}
		if !ok || better(c, best, category, zone) {
			best, ok = c, true
		}
	}
	return best, ok
}

func better(a, b Candidate, category, zone string) bool {
	sa, sb := Score(a, category, zone), Score(b, category, zone)
	if sa != sb {
		return sa > sb
	}
	if a.Open != b.Open {
		return a.Open < b.Open
	}
	return a.StaffID.String() < b.StaffID.String()
}

// candidates lists the mall's staff holding the category's role with their profiles,
// open load and whether they are on shift now.
func (s *Service) candidates(ctx context.Context, tx pgx.Tx, p org.Place, category string) ([]Candidate, error) {
	q := queries.New(tx)
	ids, err := s.org.StaffWithRolesAt(ctx, tx, p, dispatchRole(category))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	duty, err := s.rosters.OnDuty(ctx, tx, p, dispatchRole(category), s.now())
	if err != nil {
		return nil, err
	}
	techs, err := q.TechniciansOfMall(ctx, p.GroupID, p.MallID)
	if err != nil {
		return nil, err
	}
	load, err := q.OpenLoad(ctx, p.GroupID, p.MallID)
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, len(ids))
	for i, id := range ids {
		out[i].StaffID, out[i].OffShift = id, duty.Rostered && !duty.Has(id)
		for _, t := range techs {
			if t.StaffID == id {
				out[i].Skills, out[i].Zones = t.Skills, t.Zones
			}
		}
		for _, l := range load {
			if l.StaffID == id {
				out[i].Open = int(l.Open)
			}
		}
	}
	return out, nil
}

// autoAssign assigns a new order to the best candidate; without one it stays OPEN for
// the desk.
func (s *Service) autoAssign(ctx context.Context, tx pgx.Tx, p org.Place, o Order, actor string) (Order, error) {
	cs, err := s.candidates(ctx, tx, p, o.Category)
	if err != nil {
		return o, err
	}
	best, ok := Pick(cs, o.Category, o.Zone)
	if !ok {
		return o, nil
	}
	return s.assignTo(ctx, queries.New(tx), o, best.StaffID, actor, "auto: score")
}

// assignTo moves o to ASSIGNED for staff and records it.
func (s *Service) assignTo(ctx context.Context, q *queries.Queries, o Order, staff uuid.UUID, actor, note string) (Order, error) {
	to, err := Machine.Next(EvAssign, o.Status)
	if err != nil {
		return o, err
	}
	from := o.Status
	o.Status, o.Assignee, o.UpdatedAt = to, &staff, s.now()
	if err := s.store(ctx, q, o); err != nil {
		return o, err
	}
	return o, s.history(ctx, q, o, string(EvAssign), from, to, nil, note+" → "+staff.String(), actor, o.UpdatedAt)
}

// SetTechnician records a technician's skills (categories) and zones at a mall (desk or
// admin of the mall).
func (s *Service) SetTechnician(ctx context.Context, mallID, staffID uuid.UUID, skills, zones []string) error {
	p, err := s.mallFor(ctx, mallID, deskRoles...)
	if err != nil {
		return err
	}
	for _, sk := range skills {
		if !slices.Contains(Categories, sk) {
			return errs.Invalid("skills", "unknown category %q", sk)
		}
	}
	if skills == nil {
		skills = []string{}
	}
	if zones == nil {
		zones = []string{}
	}
	return queries.New(s.db.Pool).UpsertTechnician(ctx, queries.UpsertTechnicianParams{GroupID: p.GroupID,
		MallID: p.MallID, StaffID: staffID, Skills: skills, Zones: zones})
}

// store writes an order's mutable fields.
func (s *Service) store(ctx context.Context, q *queries.Queries, o Order) error {
	var rating *int16
	if o.Rating != nil {
		r := int16(*o.Rating)
		rating = &r
	}
	return q.UpdateOrder(ctx, queries.UpdateOrderParams{ID: o.ID, Status: string(o.Status), Assignee: o.Assignee,
		Priority: string(o.Priority), RespondedAt: o.RespondedAt, ResolvedAt: o.ResolvedAt, ClosedAt: o.ClosedAt,
		Rating: rating, UpdatedAt: o.UpdatedAt})
}
