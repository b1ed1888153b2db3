package patrol

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/patrol/internal/queries"
	"github.com/atrium-mall/atrium/service/patrol/plan"
	"github.com/atrium-mall/atrium/storage"
)

// Ahead is how far ahead the job materialises rounds.
const Ahead = 48 * time.Hour

// planRoles create and retire plans.
var planRoles = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor}

// Plan schedules rounds of a route: at Times (minutes after local midnight) on Weekdays
// (0 = Sunday), visiting every checkpoint of the route, or RandomCount of them chosen
// per round from a stored seed.
type Plan struct {
	ID          uuid.UUID
	MallID      uuid.UUID
	RouteID     uuid.UUID
	Name        string
	Weekdays    []int
	Times       []int
	RandomCount int // 0: every checkpoint
	CreatedAt   time.Time
}

func (p Plan) validate() error {
	switch {
	case strings.TrimSpace(p.Name) == "" || utf8.RuneCountInString(p.Name) > 100:
		return errs.Invalid("input.name", "a plan needs a name (1-100 characters)")
	case len(p.Weekdays) == 0 || len(p.Weekdays) > 7:
		return errs.Invalid("input.weekdays", "a plan runs on 1 to 7 weekdays")
	case len(p.Times) == 0 || len(p.Times) > maxRounds:
		return errs.Invalid("input.times", "a plan has 1 to %d round times", maxRounds)
	case p.RandomCount < 0 || p.RandomCount > maxPoints:
		return errs.Invalid("input.randomCount", "a random round visits 0 (all) to %d checkpoints", maxPoints)
	}
	for i, d := range p.Weekdays {
		if d < 0 || d > 6 || slices.Index(p.Weekdays, d) != i {
			return errs.Invalid("input.weekdays."+strconv.Itoa(i), "weekdays are distinct, 0 (Sunday) to 6")
		}
	}
	for i, m := range p.Times {
		if m < 0 || m >= 24*60 || slices.Index(p.Times, m) != i {
			return errs.Invalid("input.times."+strconv.Itoa(i), "times are distinct minutes 0 to 1439")
		}
	}
	return nil
}

// CreatePlan schedules rounds of an active route of the mall (supervisor or admin of
// the mall). Rounds start from the next job run, never before the plan exists.
func (s *Service) CreatePlan(ctx context.Context, p Plan) (Plan, error) {
	if err := s.authorize(ctx, p.MallID, planRoles...); err != nil {
		return Plan{}, err
	}
	if err := p.validate(); err != nil {
		return Plan{}, err
	}
	q := queries.New(s.db.Pool)
	if _, err := q.RouteOfMall(ctx, p.RouteID, p.MallID); errors.Is(err, pgx.ErrNoRows) {
		return Plan{}, errs.Invalid("input.routeId", "no active route of this mall")
	} else if err != nil {
		return Plan{}, err
	}
	p.ID, p.CreatedAt = service.NewID(), s.now()
	err := q.InsertPlan(ctx, queries.InsertPlanParams{ID: p.ID, MallID: p.MallID, RouteID: p.RouteID, Name: p.Name,
		Weekdays: int32s(p.Weekdays), Times: int32s(p.Times), RandomCount: int32(p.RandomCount),
		CreatedBy: access.Actor(ctx), CreatedAt: p.CreatedAt})
	return p, err
}

// RetirePlan stops a plan (supervisor or admin of its mall): no new rounds; rounds
// already materialised stay and are checked.
func (s *Service) RetirePlan(ctx context.Context, id uuid.UUID) error {
	if _, err := access.Viewer(ctx); err != nil {
		return err
	}
	q := queries.New(s.db.Pool)
	mall, err := q.PlanMall(ctx, id)
	if err == nil {
		err = s.authorize(ctx, mall, planRoles...)
	}
	if err != nil {
		return errs.ErrNotFound.Msgf("patrol plan not found")
	}
	_, err = q.DeactivatePlan(ctx, id, mall)
	return err
}

func planOf(r queries.PatrolPlan) Plan {
	return Plan{ID: r.ID, MallID: r.MallID, RouteID: r.RouteID, Name: r.Name, Weekdays: ints(r.Weekdays),
		Times: ints(r.Times), RandomCount: int(r.RandomCount), CreatedAt: r.CreatedAt}
}

// Plans lists a mall's active plans (admin, supervisor or security of the mall).
func (s *Service) Plans(ctx context.Context, mallID uuid.UUID) ([]Plan, error) {
	if err := s.authorize(ctx, mallID, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).PlansOfMall(ctx, mallID)
	out := make([]Plan, len(rows))
	for i, r := range rows {
		out[i] = planOf(r)
	}
	return out, err
}

// Round is one materialised round of a plan.
type Round struct {
	ID        uuid.UUID
	MallID    uuid.UUID
	PlanID    uuid.UUID
	RouteID   uuid.UUID
	StartsAt  time.Time
	EndsAt    time.Time
	Seed      uint64
	Seqs      []int // the route's checkpoints (seq) it visits
	GuardID   *uuid.UUID
	ShiftID   *uuid.UUID
	CheckedAt *time.Time
	Missed    int
}

func roundOf(r queries.PatrolRound) Round {
	return Round{ID: r.ID, MallID: r.MallID, PlanID: r.PlanID, RouteID: r.RouteID, StartsAt: r.StartsAt, EndsAt: r.EndsAt,
		Seed: uint64(r.Seed), Seqs: ints(r.Seqs), GuardID: r.GuardID, ShiftID: r.ShiftID, CheckedAt: r.CheckedAt,
		Missed: int(r.Missed)}
}

// Rounds lists a mall's rounds starting in [from, to), at most 31 days (admin,
// supervisor or security of the mall).
func (s *Service) Rounds(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]Round, error) {
	if err := s.authorize(ctx, mallID, readRoles...); err != nil {
		return nil, err
	}
	if !to.After(from) || to.Sub(from) > 31*24*time.Hour {
		return nil, errs.Invalid("to", "a range of up to 31 days")
	}
	rows, err := queries.New(s.db.Pool).RoundsOfMall(ctx, queries.RoundsOfMallParams{MallID: mallID, FromAt: from, ToAt: to})
	out := make([]Round, len(rows))
	for i, r := range rows {
		out[i] = roundOf(r)
	}
	return out, err
}

// ChoiceHolds recomputes a round's checkpoints from its stored seed (plan.Choose over
// the route as it stands, choosing as many as the round has) and reports whether they
// are the ones recorded: the audit of a random round.
func (s *Service) ChoiceHolds(ctx context.Context, r Round) (bool, error) {
	pts, err := queries.New(s.db.Pool).RoutePoints(ctx, r.RouteID)
	if err != nil {
		return false, err
	}
	return slices.Equal(chosenSeqs(pts, r.Seed, len(r.Seqs)), r.Seqs), nil
}

// chosenSeqs maps plan.Choose's indexes to the route's seqs.
func chosenSeqs(pts []queries.RoutePointsRow, seed uint64, k int) []int {
	idx := plan.Choose(seed, len(pts), k)
	out := make([]int, len(idx))
	for i, x := range idx {
		out[i] = int(pts[x].Seq)
	}
	return out
}

// PlanRun is what one run of the rounds job did.
type PlanRun struct {
	Created int    // rounds materialised
	Guarded int    // rounds given a guard who was missing one
	Checked int    // rounds checked
	Misses  []Miss // checkpoints flagged missed
}

// RunPlans is the rounds job: it materialises every active plan's rounds up to Ahead
// (idempotent: unique per plan and start), gives rounds not yet started the guard on
// shift at their start when they had none, and checks each round whose last window has
// closed, once (rows locked and skipped by a concurrent run): every chosen checkpoint
// not scanned in its window is a miss, handed to the miss hook in the same transaction.
// No viewer: the job calls it.
func (s *Service) RunPlans(ctx context.Context, now time.Time) (PlanRun, error) {
	var run PlanRun
	plans, err := queries.New(s.db.Pool).ActivePlans(ctx)
	if err != nil {
		return run, err
	}
	zones := map[uuid.UUID]*time.Location{}
	for _, p := range plans {
		n, err := s.materialise(ctx, zones, planOf(p), now)
		if err != nil {
			return run, fmt.Errorf("plan %s: %w", p.ID, err)
		}
		run.Created += n
	}
	if run.Guarded, err = s.guardRounds(ctx, now); err != nil {
		return run, err
	}
	for {
		checked, ms, err := s.checkDue(ctx, now)
		if err != nil {
			return run, err
		}
		run.Checked += checked
		run.Misses = append(run.Misses, ms...)
		if checked == 0 {
			return run, nil
		}
	}
}

// materialise inserts a plan's rounds from now (or the plan's creation) to now+Ahead.
func (s *Service) materialise(ctx context.Context, zones map[uuid.UUID]*time.Location, p Plan, now time.Time) (int, error) {
	loc, err := s.zone(ctx, zones, p.MallID)
	if err != nil {
		return 0, err
	}
	q := queries.New(s.db.Pool)
	pts, err := q.RoutePoints(ctx, p.RouteID)
	if err != nil || len(pts) == 0 {
		return 0, err
	}
	mall, err := s.org.MallPlace(ctx, nil, p.MallID)
	if err != nil {
		return 0, err
	}
	created := 0
	from := calendar.StartOfDay(now, loc)
	for day := from; day.Before(now.Add(Ahead)); day = day.AddDate(0, 0, 1) {
		for _, st := range plan.RoundTimes(day, loc, p.Weekdays, p.Times) {
			if st.Before(p.CreatedAt) || st.Before(now.Add(-lookback)) || st.After(now.Add(Ahead)) {
				continue
			}
			seed := randomSeed()
			seqs := chosenSeqs(pts, seed, p.RandomCount)
			r := queries.InsertRoundParams{ID: service.NewID(), MallID: p.MallID, PlanID: p.ID, RouteID: p.RouteID,
				StartsAt: st, EndsAt: st.Add(time.Duration(lastClose(pts, seqs)) * time.Minute), Seed: int64(seed),
				Seqs: int32s(seqs), CreatedAt: now}
			duty, err := s.rosters.OnDuty(ctx, nil, mall, auth.RoleSecurity, st)
			if err != nil {
				return created, err
			}
			if len(duty.Shifts) > 0 {
				r.GuardID, r.ShiftID = &duty.Shifts[0].StaffID, &duty.Shifts[0].ID
			}
			n, err := q.InsertRound(ctx, r)
			if err != nil {
				return created, err
			}
			created += int(n)
		}
	}
	return created, nil
}

// lastClose is the latest window close (minutes after the start) of the chosen seqs.
func lastClose(pts []queries.RoutePointsRow, seqs []int) int32 {
	var last int32
	for _, p := range pts {
		if slices.Contains(seqs, int(p.Seq)) && p.ToMin > last {
			last = p.ToMin
		}
	}
	return last
}

// randomSeed is a fresh unpredictable seed (a guard cannot foresee a random round);
// stored with the round, it recomputes the choice.
func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:]) >> 1 // fits bigint
}

// guardRounds gives rounds starting within Ahead that have no guard the one on shift.
func (s *Service) guardRounds(ctx context.Context, now time.Time) (int, error) {
	q := queries.New(s.db.Pool)
	rows, err := q.UnguardedRounds(ctx, now, now.Add(Ahead))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		mall, err := s.org.MallPlace(ctx, nil, r.MallID)
		if err != nil {
			return n, err
		}
		duty, err := s.rosters.OnDuty(ctx, nil, mall, auth.RoleSecurity, r.StartsAt)
		if err != nil || len(duty.Shifts) == 0 {
			if err != nil {
				return n, err
			}
			continue
		}
		if err := q.SetRoundGuard(ctx, queries.SetRoundGuardParams{ID: r.ID, GuardID: &duty.Shifts[0].StaffID,
			ShiftID: &duty.Shifts[0].ID}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// checkDue checks a batch of due rounds in one transaction.
func (s *Service) checkDue(ctx context.Context, now time.Time) (int, []Miss, error) {
	var checked int
	var out []Miss
	err := s.db.InTxAfter(ctx, func(ctx context.Context, tx pgx.Tx) error {
		checked, out = 0, nil
		q := queries.New(tx)
		due, err := q.DueRounds(ctx, now)
		if err != nil {
			return err
		}
		for _, r := range due {
			unscanned, err := q.UnscannedOfRound(ctx, r.ID)
			if err != nil {
				return err
			}
			for _, u := range unscanned {
				rows, err := q.InsertRoundMiss(ctx, queries.InsertRoundMissParams{ID: service.NewID(), MallID: r.MallID,
					RouteID: r.RouteID, RoundStart: r.StartsAt, Seq: u.Seq, CheckpointID: u.CheckpointID, DueBy: u.DueBy,
					FlaggedAt: now, RoundID: &r.ID})
				if err != nil {
					return err
				}
				for _, row := range rows {
					m := missOf(queries.MissesOfMallRow(row))
					out = append(out, m)
					if s.misses == nil {
						continue
					}
					if err := s.misses.CheckpointMissed(ctx, tx, m); err != nil {
						return err
					}
				}
			}
			if err := q.MarkRoundChecked(ctx, queries.MarkRoundCheckedParams{ID: r.ID, CheckedAt: &now,
				Missed: int32(len(unscanned))}); err != nil {
				return err
			}
			checked++
		}
		return nil
	})
	return checked, out, err
}

// Compliance is a guard's or a route's record over a period.
type Compliance struct {
	GuardID       *uuid.UUID // by guard (nil: rounds nobody was on shift for)
	RouteID       uuid.UUID  // by route
	Planned       int        // rounds that started in the period
	Completed     int        // checked with every checkpoint scanned in its window
	Missed        int        // checkpoints missed
	OnTimePercent int        // of the checkpoints due in checked rounds, those scanned in their windows
}

// ComplianceReport is the compliance view of a mall over a period.
type ComplianceReport struct {
	ByGuard []Compliance
	ByRoute []Compliance
}

// Compliance reports rounds planned and completed, checkpoints missed and the on-time
// share per guard and per route for rounds starting in [from, to), at most 92 days
// (admin, supervisor or security of the mall).
func (s *Service) Compliance(ctx context.Context, mallID uuid.UUID, from, to time.Time) (ComplianceReport, error) {
	if err := s.authorize(ctx, mallID, readRoles...); err != nil {
		return ComplianceReport{}, err
	}
	return s.MallCompliance(ctx, mallID, from, to)
}

// MallCompliance is Compliance without the role check, for a context that checked its
// own (the reports context): the caller has authorized the mall.
func (s *Service) MallCompliance(ctx context.Context, mallID uuid.UUID, from, to time.Time) (ComplianceReport, error) {
	var rep ComplianceReport
	if !to.After(from) || to.Sub(from) > 92*24*time.Hour {
		return rep, errs.Invalid("to", "a range of up to 92 days")
	}
	q := queries.New(s.db.Pool)
	guards, err := q.ComplianceByGuard(ctx, queries.ComplianceByGuardParams{MallID: mallID, FromAt: from, ToAt: to})
	if err != nil {
		return rep, err
	}
	for _, g := range guards {
		rep.ByGuard = append(rep.ByGuard, Compliance{GuardID: g.GuardID, Planned: int(g.Planned),
			Completed: int(g.Completed), Missed: int(g.Missed), OnTimePercent: plan.OnTimePercent(int(g.Due), int(g.Missed))})
	}
	routes, err := q.ComplianceByRoute(ctx, queries.ComplianceByRouteParams{MallID: mallID, FromAt: from, ToAt: to})
	for _, r := range routes {
		rep.ByRoute = append(rep.ByRoute, Compliance{RouteID: r.RouteID, Planned: int(r.Planned),
			Completed: int(r.Completed), Missed: int(r.Missed), OnTimePercent: plan.OnTimePercent(int(r.Due), int(r.Missed))})
	}
	return rep, err
}

// Anomaly is what a guard reports on a patrol (a broken door, a leak, a stranger),
// with photos; it opens a work order.
type Anomaly struct {
	ID           uuid.UUID
	MallID       uuid.UUID
	GuardID      uuid.UUID
	CheckpointID *uuid.UUID
	RoundID      *uuid.UUID
	Description  string
	Photos       []string // object keys from RequestPhotoUpload
	OrderID      uuid.UUID
	At           time.Time
}

// AnomalyHook opens the work order of an anomaly inside the transaction that records
// it and returns the order's id (the work-orders context).
type AnomalyHook interface {
	AnomalyReported(ctx context.Context, tx pgx.Tx, a Anomaly) (uuid.UUID, error)
}

// SetAnomalyHook sets the hook (its context is built after patrol).
func (s *Service) SetAnomalyHook(h AnomalyHook) { s.anomalies = h }

// Upload is a presigned PUT for a photo.
type Upload struct {
	Key       string
	URL       string
	ExpiresAt time.Time
}

const uploadTTL = 15 * time.Minute

// photoPrefix is the object key prefix of a mall's patrol photos.
func photoPrefix(mall uuid.UUID) string { return "patrol/" + mall.String() + "/" }

// RequestPhotoUpload returns a presigned URL a guard PUTs one photo to (security of the
// mall); its key goes into ReportAnomaly.
func (s *Service) RequestPhotoUpload(ctx context.Context, mallID uuid.UUID) (Upload, error) {
	if err := s.authorize(ctx, mallID, guardRoles...); err != nil {
		return Upload{}, err
	}
	key := photoPrefix(mallID) + service.NewID().String() + ".jpg"
	url, err := s.objects.PresignPut(ctx, key, uploadTTL)
	return Upload{Key: key, URL: url, ExpiresAt: s.now().Add(uploadTTL)}, err
}

// ReportAnomaly records a guard's anomaly (security or admin of the mall) with up to 9
// uploaded photos of this mall, and opens its work order in the same transaction.
func (s *Service) ReportAnomaly(ctx context.Context, a Anomaly) (Anomaly, error) {
	if err := s.authorize(ctx, a.MallID, guardRoles...); err != nil {
		return Anomaly{}, err
	}
	a.Description = strings.TrimSpace(a.Description)
	switch {
	case a.Description == "" || utf8.RuneCountInString(a.Description) > 2000:
		return Anomaly{}, errs.Invalid("input.description", "a description of 1 to 2000 characters")
	case len(a.Photos) > 9:
		return Anomaly{}, errs.Invalid("input.photos", "at most 9 photos")
	}
	for i, key := range a.Photos {
		if err := s.uploaded(ctx, a.MallID, key); err != nil {
			return Anomaly{}, errs.Invalid("input.photos."+strconv.Itoa(i), "%s", err.Error())
		}
	}
	if a.Photos == nil {
		a.Photos = []string{}
	}
	q := queries.New(s.db.Pool)
	if a.CheckpointID != nil {
		if _, err := q.CheckpointOfMall(ctx, *a.CheckpointID, a.MallID); err != nil {
			return Anomaly{}, errs.Invalid("input.checkpointId", "no such checkpoint in this mall")
		}
	}
	if a.RoundID != nil {
		if r, err := q.Round(ctx, *a.RoundID); err != nil || r.MallID != a.MallID {
			return Anomaly{}, errs.Invalid("input.roundId", "no such round in this mall")
		}
	}
	a.ID, a.GuardID, a.At = service.NewID(), auth.ViewerFrom(ctx).ID, s.now()
	err := s.db.InTxAfter(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		if a.OrderID, err = s.anomalies.AnomalyReported(ctx, tx, a); err != nil {
			return err
		}
		return queries.New(tx).InsertAnomaly(ctx, queries.InsertAnomalyParams{ID: a.ID, MallID: a.MallID,
			GuardID: a.GuardID, CheckpointID: a.CheckpointID, RoundID: a.RoundID, Description: a.Description,
			Photos: a.Photos, OrderID: a.OrderID, At: a.At})
	})
	return a, err
}

// uploaded checks a photo key is one of the mall's and was uploaded.
func (s *Service) uploaded(ctx context.Context, mall uuid.UUID, key string) error {
	rest, ok := strings.CutPrefix(key, photoPrefix(mall))
	if !ok || uuid.Validate(strings.TrimSuffix(rest, ".jpg")) != nil {
		return errors.New("not a photo key of this mall")
	}
	obj, err := s.objects.Get(ctx, key)
	if errors.Is(err, storage.ErrObjectNotFound) {
		return errors.New("no photo was uploaded under this key")
	}
	if err != nil {
		return err
	}
	return obj.Close()
}

// Anomalies lists a mall's anomalies reported in [from, to) (admin, supervisor or
// security of the mall).
func (s *Service) Anomalies(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]Anomaly, error) {
	if err := s.authorize(ctx, mallID, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).AnomaliesOfMall(ctx, queries.AnomaliesOfMallParams{MallID: mallID,
		FromAt: from, ToAt: to})
	out := make([]Anomaly, len(rows))
	for i, r := range rows {
		out[i] = Anomaly{ID: r.ID, MallID: r.MallID, GuardID: r.GuardID, CheckpointID: r.CheckpointID, RoundID: r.RoundID,
			Description: r.Description, Photos: r.Photos, OrderID: r.OrderID, At: r.At}
	}
	return out, err
}
