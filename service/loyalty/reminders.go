package loyalty

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
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
// member whose birthday is today (in the group time zone, WithTimeZone) and a notice for each member with
// points expiring within days. Each reminder is stored once (a dedupe key), so a
// repeated run adds nothing. It returns how many notifications it added.
func (s *Service) Remind(ctx context.Context, now time.Time, days int) (int64, error) {
	today := now.In(s.zone)
	birthdays, err := s.db.Pool.Exec(ctx, `INSERT INTO loyalty_notifications (id, member_id, kind, title, body, dedupe_key, created_at)
		SELECT gen_random_uuid(), id, 'birthday', 'Happy birthday', 'Happy birthday from your mall!',
			'birthday:' || id || ':' || $3, $4
		FROM members WHERE status = 'active' AND birthday IS NOT NULL
			AND extract(month FROM birthday) = $1 AND extract(day FROM birthday) = $2
		ON CONFLICT (dedupe_key) DO NOTHING`, int(today.Month()), today.Day(), strconv.Itoa(today.Year()), now)
	if err != nil {
		return 0, err
	}
	expiring, err := s.db.Pool.Exec(ctx, `INSERT INTO loyalty_notifications (id, member_id, kind, title, body, dedupe_key, created_at)
		SELECT gen_random_uuid(), c.member_id, 'points_expiring', 'Points expiring',
			sum(l.remaining)::bigint || ' points expire by ' || to_char(max(l.expires_at) AT TIME ZONE $4, 'YYYY-MM-DD'),
			'expiring:' || c.member_id || ':' || $3, $1
		FROM ledger_lots l JOIN cards c ON c.id = l.card_id
		WHERE l.status = 'available' AND l.remaining > 0 AND l.expires_at > $1 AND l.expires_at <= $2
		GROUP BY c.member_id
		ON CONFLICT (dedupe_key) DO NOTHING`, now, now.AddDate(0, 0, days), today.Format("2006-01-02"), s.zone.String())
	if err != nil {
		return 0, fmt.Errorf("expiring points: %w", err)
	}
	return birthdays.RowsAffected() + expiring.RowsAffected(), nil
}

// MyNotifications lists the shopper's notifications, newest first, as a keyset page.
func (s *Service) MyNotifications(ctx context.Context, req page.Request) (page.Result[Notification], error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return page.Result[Notification]{}, errs.ErrUnauthenticated
	}
	after := req.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, kind, title, body, created_at, read_at FROM loyalty_notifications
		WHERE member_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, v.ID, after, req.Limit())
	if err != nil {
		return page.Result[Notification]{}, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) {
		var n Notification
		return n, r.Scan(&n.ID, &n.Kind, &n.Title, &n.Body, &n.CreatedAt, &n.ReadAt)
	})
	return page.Cut(req, list), err
}
