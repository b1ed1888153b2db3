package workorders

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/calendar/business"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// AnyCategory is the category of a mall's default policy rows.
const AnyCategory = "*"

// BusinessDay is the business time of one default day (09:00–18:00).
const BusinessDay = 9 * time.Hour

// defaultHours are a new calendar's weekday hours.
var defaultHours = business.Weekdays(business.Interval{From: business.Clock(9, 0), To: business.Clock(18, 0)})

// PolicyRow is one category × priority target of a mall.
type PolicyRow struct {
	Category       string
	Priority       sla.Priority
	Response       time.Duration
	Resolution     time.Duration
	AroundTheClock bool
}

// DefaultPolicies are the targets a mall starts with (category '*').
func DefaultPolicies() []PolicyRow {
	return []PolicyRow{
		{AnyCategory, sla.Urgent, 5 * time.Minute, 2 * time.Hour, true},
		{AnyCategory, sla.Normal, 30 * time.Minute, BusinessDay, false},
		{AnyCategory, sla.Low, 4 * time.Hour, 3 * BusinessDay, false},
	}
}

// ensureMall seeds a mall's calendar (hours, this year's and next year's statutory days)
// and default policies the first time anything needs them; later edits are kept.
func (s *Service) ensureMall(ctx context.Context, tx pgx.Tx, p org.Place) error {
	q := queries.New(tx)
	n, err := q.InsertCalendarMarker(ctx, queries.InsertCalendarMarkerParams{GroupID: p.GroupID, MallID: p.MallID, At: s.now()})
	if err != nil || n == 0 {
		return err
	}
	if err := s.writeHours(ctx, q, p, defaultHours); err != nil {
		return err
	}
	year := s.now().In(p.Loc).Year()
	for _, y := range []int{year, year + 1} {
		if err := writeDays(ctx, q, p, business.StatutoryDays(y)); err != nil {
			return err
		}
	}
	for _, r := range DefaultPolicies() {
		if err := q.InsertPolicyDefault(ctx, queries.InsertPolicyDefaultParams(policyParams(p, r))); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) writeHours(ctx context.Context, q *queries.Queries, p org.Place, w business.Week) error {
	for day, hs := range w {
		for _, h := range hs {
			if err := q.InsertHours(ctx, queries.InsertHoursParams{GroupID: p.GroupID, MallID: p.MallID,
				Weekday: int16(day), FromSec: int32(h.From), ToSec: int32(h.To)}); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeDays(ctx context.Context, q *queries.Queries, p org.Place, days []business.Day) error {
	for _, d := range days {
		if err := q.UpsertHoliday(ctx, queries.UpsertHolidayParams{GroupID: p.GroupID, MallID: p.MallID, Day: d.Date,
			Name: d.Name, Kind: string(d.Kind)}); err != nil {
			return err
		}
	}
	return nil
}

func policyParams(p org.Place, r PolicyRow) queries.UpsertPolicyParams {
	return queries.UpsertPolicyParams{GroupID: p.GroupID, MallID: p.MallID, Category: r.Category,
		Priority: string(r.Priority), ResponseSecs: int32(r.Response / time.Second),
		ResolutionSecs: int32(r.Resolution / time.Second), AroundTheClock: r.AroundTheClock}
}

// CalendarSpec is a mall's stored calendar.
type CalendarSpec struct {
	Week business.Week
	Days []business.Day
}

// loadCalendar reads a mall's calendar through q.
func loadCalendar(ctx context.Context, q *queries.Queries, p org.Place) (CalendarSpec, error) {
	var spec CalendarSpec
	hours, err := q.HoursOfMall(ctx, p.GroupID, p.MallID)
	if err != nil {
		return spec, err
	}
	for _, h := range hours {
		spec.Week[h.Weekday] = append(spec.Week[h.Weekday], business.Interval{From: business.TimeOfDay(h.FromSec),
			To: business.TimeOfDay(h.ToSec)})
	}
	days, err := q.HolidaysOfMall(ctx, p.GroupID, p.MallID)
	for _, d := range days {
		spec.Days = append(spec.Days, business.Day{Date: d.Day, Name: d.Name, Kind: business.Kind(d.Kind)})
	}
	return spec, err
}

// calendarOf builds a mall's business calendar.
func calendarOf(ctx context.Context, q *queries.Queries, p org.Place) (business.Calendar, error) {
	spec, err := loadCalendar(ctx, q, p)
	if err != nil {
		return business.Calendar{}, err
	}
	cal, err := business.New(business.Spec{Zone: p.Loc, Week: spec.Week, Days: spec.Days})
	if err != nil {
		return cal, fmt.Errorf("calendar of mall %s: %w", p.MallID, err)
	}
	return cal, nil
}

// loadPolicies reads a mall's policy rows.
func loadPolicies(ctx context.Context, q *queries.Queries, p org.Place) ([]PolicyRow, error) {
	rows, err := q.PoliciesOfMall(ctx, p.GroupID, p.MallID)
	out := make([]PolicyRow, len(rows))
	for i, r := range rows {
		out[i] = PolicyRow{Category: r.Category, Priority: sla.Priority(r.Priority),
			Response: time.Duration(r.ResponseSecs) * time.Second, Resolution: time.Duration(r.ResolutionSecs) * time.Second,
			AroundTheClock: r.AroundTheClock}
	}
	return out, err
}

// PolicyFor is the policy of a category: its own rows, the mall's default ('*') for the
// priorities it does not set.
func PolicyFor(rows []PolicyRow, category string) sla.Policy {
	p := sla.Policy{}
	for _, pass := range []string{AnyCategory, category} {
		for _, r := range rows {
			if r.Category == pass {
				p[r.Priority] = sla.Target{Response: r.Response, Resolution: r.Resolution, AroundTheClock: r.AroundTheClock}
			}
		}
	}
	return p
}

// adminPlace reads a mall and checks the caller is its ADMIN, seeding its calendar.
func (s *Service) adminPlace(ctx context.Context, mallID uuid.UUID) (org.Place, error) {
	p, err := s.mallFor(ctx, mallID, adminRoles...)
	if err != nil {
		return p, err
	}
	return p, s.db.InTx(ctx, func(tx pgx.Tx) error { return s.ensureMall(ctx, tx, p) })
}

// Policies lists a mall's SLA policy rows (staff of the mall).
func (s *Service) Policies(ctx context.Context, mallID uuid.UUID) ([]PolicyRow, error) {
	p, err := s.mallFor(ctx, mallID, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := s.db.InTx(ctx, func(tx pgx.Tx) error { return s.ensureMall(ctx, tx, p) }); err != nil {
		return nil, err
	}
	return loadPolicies(ctx, queries.New(s.db.Pool), p)
}

// SetPolicy sets one category × priority target (ADMIN of the mall). Open orders of the
// category follow the new target from their next evaluation.
func (s *Service) SetPolicy(ctx context.Context, mallID uuid.UUID, r PolicyRow) error {
	if r.Category == "" || !validPriority(r.Priority) {
		return errs.Invalid("priority", "unknown category or priority")
	}
	if r.Response < time.Second || r.Resolution < r.Response {
		return errs.Invalid("resolution", "targets must be positive and resolution at least the response")
	}
	p, err := s.adminPlace(ctx, mallID)
	if err != nil {
		return err
	}
	return queries.New(s.db.Pool).UpsertPolicy(ctx, policyParams(p, r))
}

// Calendar returns a mall's stored calendar (staff of the mall).
func (s *Service) Calendar(ctx context.Context, mallID uuid.UUID) (CalendarSpec, error) {
	p, err := s.mallFor(ctx, mallID, staffRoles...)
	if err != nil {
		return CalendarSpec{}, err
	}
	if err := s.db.InTx(ctx, func(tx pgx.Tx) error { return s.ensureMall(ctx, tx, p) }); err != nil {
		return CalendarSpec{}, err
	}
	return loadCalendar(ctx, queries.New(s.db.Pool), p)
}

// SetHolidays replaces a year's holidays and make-up days of a mall (ADMIN).
func (s *Service) SetHolidays(ctx context.Context, mallID uuid.UUID, year int, days []business.Day) error {
	for i, d := range days {
		if d.Date.Year() != year || (d.Kind != business.Off && d.Kind != business.Work) {
			return errs.Invalid(fmt.Sprintf("days.%d", i), "a day of %d, off or work", year)
		}
	}
	p, err := s.adminPlace(ctx, mallID)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if err := q.DeleteHolidaysOfYear(ctx, queries.DeleteHolidaysOfYearParams{GroupID: p.GroupID, MallID: p.MallID,
			Year: int32(year)}); err != nil {
			return err
		}
		return writeDays(ctx, q, p, days)
	})
}

// SetHours replaces a mall's weekly hours (ADMIN).
func (s *Service) SetHours(ctx context.Context, mallID uuid.UUID, w business.Week) error {
	p, err := s.adminPlace(ctx, mallID)
	if err != nil {
		return err
	}
	if _, err := business.New(business.Spec{Zone: p.Loc, Week: w}); err != nil {
		return errs.Invalid("hours", "%v", err)
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if err := q.DeleteHours(ctx, p.GroupID, p.MallID); err != nil {
			return err
		}
		return s.writeHours(ctx, q, p, w)
	})
}

func validPriority(p sla.Priority) bool { return p == sla.Urgent || p == sla.Normal || p == sla.Low }
