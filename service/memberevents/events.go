package memberevents

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/memberevents/internal/queries"
	"github.com/atrium-mall/atrium/service/memberevents/signinrule"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Event is a member event of a mall.
type Event struct {
	ID, GroupID, MallID           uuid.UUID
	Title, Place                  string
	StartsAt, EndsAt              time.Time
	SignupOpensAt, SignupClosesAt time.Time
	Capacity                      int
	DepositPoints                 int
	// TierIDs and Tags restrict sign-up (none: every member of the group): a member in
	// any of the tiers and having any of the tags.
	TierIDs []uuid.UUID
	Tags    []string
	// LotteryID and GiftID link a lottery and a gift of the mall (campaigns) that members
	// checked in at the event may draw / take once.
	LotteryID, GiftID *uuid.UUID
	// SignIn is the event's sign-in (签到) rule; a zero window: no sign-in.
	SignIn    signinrule.Rule
	Status    string // open, closed
	Confirmed int
	CreatedAt time.Time
}

// EventInput is what staff give to create an event.
type EventInput struct {
	MallID                        uuid.UUID
	Title, Place                  string
	StartsAt, EndsAt              time.Time
	SignupOpensAt, SignupClosesAt time.Time
	Capacity, DepositPoints       int
	TierIDs                       []uuid.UUID
	Tags                          []string
	LotteryID, GiftID             *uuid.UUID
	SignIn                        signinrule.Rule
}

func validText(field string, s *string, max int) error {
	*s = strings.TrimSpace(*s)
	if *s == "" || utf8.RuneCountInString(*s) > max {
		return errs.Invalid(field, "1 to %d characters are required", max)
	}
	return nil
}

func (in *EventInput) validate() error {
	if err := validText("input.title", &in.Title, 200); err != nil {
		return err
	}
	if err := validText("input.place", &in.Place, 200); err != nil {
		return err
	}
	switch {
	case !in.EndsAt.After(in.StartsAt):
		return errs.Invalid("input.endsAt", "the event must end after it starts")
	case !in.SignupClosesAt.After(in.SignupOpensAt):
		return errs.Invalid("input.signupClosesAt", "sign-up must close after it opens")
	case in.SignupClosesAt.After(in.EndsAt):
		return errs.Invalid("input.signupClosesAt", "sign-up must close by the end of the event")
	case in.Capacity <= 0 || in.Capacity > 100000:
		return errs.Invalid("input.capacity", "capacity must be between 1 and 100000")
	case in.DepositPoints < 0 || in.DepositPoints > 1000000:
		return errs.Invalid("input.depositPoints", "the deposit must be between 0 and 1000000 points")
	case in.SignIn.Opens.IsZero() != in.SignIn.Closes.IsZero():
		return errs.Invalid("input.signIn", "a sign-in window needs both its opening and its end")
	case !in.SignIn.Opens.IsZero() && !in.SignIn.Closes.After(in.SignIn.Opens):
		return errs.Invalid("input.signIn.closesAt", "sign-in must close after it opens")
	case in.SignIn.MaxPerDay < 0 || in.SignIn.MinGap < 0:
		return errs.Invalid("input.signIn", "limits must not be negative")
	case len(in.Tags) > 50 || len(in.TierIDs) > 50:
		return errs.Invalid("input.tags", "at most 50 tags and 50 tiers")
	}
	if !in.SignIn.Repeatable {
		in.SignIn.MaxPerDay, in.SignIn.MinGap = 1, 0
	}
	return nil
}

// CreateEvent creates an event of a mall (ADMIN, MEMBER_OPS of the mall). A linked
// lottery or gift must be the mall's.
func (s *Service) CreateEvent(ctx context.Context, in EventInput) (Event, error) {
	place, err := s.org.AtMall(ctx, in.MallID, manageRoles...)
	if err != nil {
		return Event{}, err
	}
	if err := in.validate(); err != nil {
		return Event{}, err
	}
	if err := s.checkPrizes(ctx, in); err != nil {
		return Event{}, err
	}
	v, _ := access.Viewer(ctx)
	e := Event{ID: service.NewID(), GroupID: place.GroupID, MallID: in.MallID, Title: in.Title, Place: in.Place,
		StartsAt: in.StartsAt, EndsAt: in.EndsAt, SignupOpensAt: in.SignupOpensAt, SignupClosesAt: in.SignupClosesAt,
		Capacity: in.Capacity, DepositPoints: in.DepositPoints, TierIDs: orEmpty(in.TierIDs), Tags: orEmpty(in.Tags),
		LotteryID: in.LotteryID, GiftID: in.GiftID, SignIn: in.SignIn, Status: "open", CreatedAt: s.now()}
	err = queries.New(s.db.Pool).InsertEvent(ctx, queries.InsertEventParams{ID: e.ID, GroupID: e.GroupID,
		MallID: e.MallID, Title: e.Title, Place: e.Place, StartsAt: e.StartsAt, EndsAt: e.EndsAt,
		SignupOpensAt: e.SignupOpensAt, SignupClosesAt: e.SignupClosesAt, Capacity: int32(e.Capacity),
		DepositPoints: int32(e.DepositPoints), TierIds: e.TierIDs, Tags: e.Tags, LotteryID: e.LotteryID,
		GiftID: e.GiftID, SigninOpensAt: timePtr(e.SignIn.Opens), SigninClosesAt: timePtr(e.SignIn.Closes),
		SigninRepeatable: e.SignIn.Repeatable, SigninMaxPerDay: int32(e.SignIn.MaxPerDay),
		SigninGapMinutes: int32(e.SignIn.MinGap / time.Minute), CreatedBy: v.ID, CreatedAt: e.CreatedAt})
	return e, storage.MapError(err)
}

// checkPrizes checks that the lottery and gift linked are the mall's (read through
// campaigns, as the calling staff member).
func (s *Service) checkPrizes(ctx context.Context, in EventInput) error {
	if in.LotteryID != nil {
		ls, err := s.campaigns.Lotteries(ctx, in.MallID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(ls, func(l campaignsLottery) bool { return l.ID == *in.LotteryID }) {
			return errs.Invalid("input.lotteryId", "no lottery of this mall has that id")
		}
	}
	if in.GiftID != nil {
		gs, err := s.campaigns.Gifts(ctx, in.MallID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(gs, func(g campaignsGift) bool { return g.ID == *in.GiftID }) {
			return errs.Invalid("input.giftId", "no gift of this mall has that id")
		}
	}
	return nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func eventOf(r queries.MevEvent) Event {
	e := Event{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Title: r.Title, Place: r.Place, StartsAt: r.StartsAt,
		EndsAt: r.EndsAt, SignupOpensAt: r.SignupOpensAt, SignupClosesAt: r.SignupClosesAt,
		Capacity: int(r.Capacity), DepositPoints: int(r.DepositPoints), TierIDs: r.TierIds, Tags: r.Tags,
		LotteryID: r.LotteryID, GiftID: r.GiftID, Status: r.Status, Confirmed: int(r.Confirmed), CreatedAt: r.CreatedAt,
		SignIn: signinrule.Rule{Repeatable: r.SigninRepeatable, MaxPerDay: int(r.SigninMaxPerDay),
			MinGap: time.Duration(r.SigninGapMinutes) * time.Minute}}
	if r.SigninOpensAt != nil && r.SigninClosesAt != nil {
		e.SignIn.Opens, e.SignIn.Closes = *r.SigninOpensAt, *r.SigninClosesAt
	}
	return e
}

// loadEvent reads an event through q (NOT_FOUND when there is none).
func loadEvent(ctx context.Context, q queries.DBTX, id uuid.UUID, lock bool) (Event, error) {
	var (
		r   queries.MevEvent
		err error
	)
	if lock {
		r, err = queries.New(q).LockEvent(ctx, id)
	} else {
		r, err = queries.New(q).Event(ctx, id)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return Event{}, errs.ErrNotFound.Msgf("event not found")
	}
	return eventOf(r), err
}

// canSee checks the viewer may read the event: staff of its mall (manage or scan
// roles), or a registered member of its group.
func (s *Service) canSee(ctx context.Context, e Event) error {
	v, err := access.Viewer(ctx)
	if err != nil {
		return err
	}
	if v.IsShopper() {
		m, err := s.members.Me(ctx)
		if err != nil {
			return err
		}
		if m.GroupID != e.GroupID {
			return errs.ErrNotFound.Msgf("event not found")
		}
		return nil
	}
	_, err = s.org.AtMall(ctx, e.MallID, scanRoles...)
	return err
}

// Event reads one event for staff of its mall or a member of its group.
func (s *Service) Event(ctx context.Context, id uuid.UUID) (Event, error) {
	e, err := loadEvent(ctx, s.db.Pool, id, false)
	if err != nil {
		return e, err
	}
	return e, s.canSee(ctx, e)
}

// Events lists a mall's events (by id) for its staff and the members of its group.
func (s *Service) Events(ctx context.Context, mallID uuid.UUID, p page.Request) (page.Result[Event], error) {
	place, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return page.Result[Event]{}, err
	}
	if err := s.canSee(ctx, Event{GroupID: place.GroupID, MallID: mallID}); err != nil {
		return page.Result[Event]{}, err
	}
	var after *uuid.UUID
	if p.After != uuid.Nil {
		after = &p.After
	}
	rows, err := queries.New(s.db.Pool).EventsOfMall(ctx, queries.EventsOfMallParams{GroupID: place.GroupID,
		MallID: mallID, After: after, MaxRows: int32(p.Limit())})
	if err != nil {
		return page.Result[Event]{}, err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = eventOf(r)
	}
	return page.Cut(p, out), nil
}

// eligible reports whether member m may sign up for e (its tiers and tags).
func eligible(e Event, m members.Member) bool {
	if len(e.TierIDs) > 0 && (m.TierID == nil || !slices.Contains(e.TierIDs, *m.TierID)) {
		return false
	}
	if len(e.Tags) > 0 && !slices.ContainsFunc(e.Tags, func(t string) bool { return slices.Contains(m.Tags, t) }) {
		return false
	}
	return true
}

var _ = auth.RoleAdmin
