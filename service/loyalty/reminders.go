package loyalty

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/notify"
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
	var added int64
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		today := calendar.Day(now, s.zone())
		birthdays, err := q.InsertBirthdayNotices(ctx, queries.InsertBirthdayNoticesParams{Month: int32(today.Month()),
			Day: int32(today.Day()), Year: strconv.Itoa(today.Year()), CreatedAt: now})
		if err != nil {
			return fmt.Errorf("birthdays: %w", err)
		}
		for _, b := range birthdays {
			if err := remindTx(ctx, tx, notify.Birthday, b.MemberID, b.GroupID, b.RegisteredMallID, b.DedupeKey,
				map[string]string{"name": b.Name, "body": b.Body}, now); err != nil {
				return err
			}
		}
		expiring, err := q.InsertExpiringNotices(ctx, queries.InsertExpiringNoticesParams{Now: now,
			Until: now.AddDate(0, 0, days), Day: calendar.DayString(now, s.zone()), Zone: s.zone().String()})
		if err != nil {
			return fmt.Errorf("expiring points: %w", err)
		}
		for _, e := range expiring {
			if err := remindTx(ctx, tx, notify.PointsExpiring, e.MemberID, e.GroupID, e.RegisteredMallID, e.DedupeKey,
				map[string]string{"name": e.Name, "body": e.Body}, now); err != nil {
				return err
			}
		}
		added = int64(len(birthdays) + len(expiring))
		return nil
	})
	return added, err
}

// remindTx writes a reminder to the notify outbox in the reminder's transaction (a
// member without a group or home mall is reminded in the app only).
func remindTx(ctx context.Context, tx pgx.Tx, kind string, member uuid.UUID, group, mall *uuid.UUID, key string,
	payload map[string]string, at time.Time) error {
	if group == nil || mall == nil {
		return nil
	}
	_, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: *group, MallID: *mall, Kind: kind,
		RecipientKind: notify.ToMember, RecipientID: member, Payload: payload, DedupeKey: "loyalty:" + key, At: at})
	return err
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
