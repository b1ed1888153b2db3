package loyalty

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/page"
)

// Notification is a message for a member, listed in the mini-program.
type Notification struct {
	ID        uuid.UUID
	Kind      string // birthday, points_expiring
	Title     string
	Body      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Remind is the daily reminders job: it records a birthday greeting for each active
// member whose birthday is today (in the group time zone, Deps.Zones) and a notice for
// each member with points expiring within days. Each reminder is stored once (a dedupe
// key), so a repeated run adds nothing. It returns how many notifications it added.
func (s *Service) Remind(ctx context.Context, now time.Time, days int) (int64, error) {
	q := queries.New(s.db.Pool)
	today := calendar.Day(now, s.zone())
	birthdays, err := q.InsertBirthdayNotices(ctx, queries.InsertBirthdayNoticesParams{Month: int32(today.Month()),
		Day: int32(today.Day()), Year: strconv.Itoa(today.Year()), CreatedAt: now})
	if err != nil {
		return 0, fmt.Errorf("birthdays: %w", err)
	}
	expiring, err := q.InsertExpiringNotices(ctx, queries.InsertExpiringNoticesParams{Now: now,
		Until: now.AddDate(0, 0, days), Day: calendar.DayString(now, s.zone()), Zone: s.zone().String()})
	if err != nil {
		return 0, fmt.Errorf("expiring points: %w", err)
	}
	return birthdays + expiring, nil
}

// MyNotifications lists the shopper's notifications, newest first, as a keyset page.
func (s *Service) MyNotifications(ctx context.Context, req page.Request) (page.Result[Notification], error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return page.Result[Notification]{}, err
	}
	after := req.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := queries.New(s.db.Pool).MemberNotifications(ctx, queries.MemberNotificationsParams{MemberID: member,
		After: after, Lim: int32(req.Limit())})
	if err != nil {
		return page.Result[Notification]{}, err
	}
	list := make([]Notification, len(rows))
	for i, r := range rows {
		list[i] = Notification{ID: r.ID, Kind: r.Kind, Title: r.Title, Body: r.Body, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt}
	}
	return page.Cut(req, list), nil
}
