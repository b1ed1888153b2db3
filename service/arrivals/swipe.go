package arrivals

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
)

// Swipe is a card tapped on a reader.
type Swipe struct {
	MallID   uuid.UUID
	DeviceID string
	UID      string
	At       time.Time
	// Resource is the bookable resource (a lounge) the reader is bound to, its
	// booking_resources id; "" for an entrance reader.
	Resource string
}

// Visit is the recorded result of a swipe.
type Visit struct {
	ID       uuid.UUID
	Result   string // ok, refused
	Reason   string // unknown_card, other_group, frozen, lost, cancelled, replaced, expired
	MemberID uuid.UUID
	CardID   uuid.UUID
	Awarded  bool // the day's sign-in points were awarded by this visit
	// Lounge is what an accepted swipe at a resource's reader did to the member's
	// booking: redeemed, already_redeemed, no_booking, not_redeemable or unknown_resource
	// ("" at an entrance reader).
	Lounge    string
	BookingID uuid.UUID
	// AfterCommit (nil if nothing to do) tells the member their booking was redeemed.
	AfterCommit func(ctx context.Context)
}

type card struct {
	id, member, group uuid.UUID
	status            string
	expires           *time.Time
}

// SwipeTx records a visit inside tx (the bridge's event transaction): unknown, other
// group's, frozen, lost or expired cards are refused and recorded; an accepted visit
// awards the sign-in points once per member per business day (mall time zone).
func (s *Service) SwipeTx(ctx context.Context, tx pgx.Tx, in Swipe) (Visit, error) {
	var group uuid.UUID
	var tz string
	if err := tx.QueryRow(ctx, `SELECT group_id, time_zone FROM malls WHERE id = $1`, in.MallID).Scan(&group, &tz); err != nil {
		return Visit{}, ErrNoMall
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	day := in.At.In(loc).Format(time.DateOnly)
	var c card
	err = tx.QueryRow(ctx, `SELECT id, member_id, group_id, status, expires_at FROM cards WHERE uid = $1`, in.UID).
		Scan(&c.id, &c.member, &c.group, &c.status, &c.expires)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Visit{}, err
	}
	v := Visit{ID: service.NewID(), Result: "ok", MemberID: c.member, CardID: c.id}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		v.Reason = "unknown_card"
	case c.group != group:
		v.Reason = "other_group"
	case c.status != "active":
		v.Reason = c.status
	case c.expires != nil && c.expires.Before(in.At):
		v.Reason = "expired"
	}
	if v.Reason != "" {
		v.Result = "refused"
	}
	_, err = tx.Exec(ctx, `INSERT INTO visits (id, mall_id, device_id, card_uid, card_id, member_id, at, business_day, result, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, v.ID, in.MallID, in.DeviceID, in.UID, nullID(c.id), nullID(c.member),
		in.At, day, v.Result, v.Reason)
	if err != nil || v.Result != "ok" {
		return v, err
	}
	if v.Awarded, err = s.award(ctx, tx, in, v, group, day); err != nil {
		return v, err
	}
	return v, s.attend(ctx, tx, in, &v)
}

// award records the day's sign-in award (once per member and business day) and posts
// the points to the card through the ledger.
func (s *Service) award(ctx context.Context, tx pgx.Tx, in Swipe, v Visit, group uuid.UUID, day string) (bool, error) {
	if !s.cfg.SignInPoints.IsPositive() {
		return false, nil
	}
	tag, err := tx.Exec(ctx, `INSERT INTO visit_awards (member_id, business_day, mall_id, visit_id, card_id, points)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, v.MemberID, day, in.MallID, v.ID, v.CardID, s.cfg.SignInPoints)
	if err != nil || tag.RowsAffected() == 0 || s.ledger == nil {
		return tag.RowsAffected() == 1, err
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, v.CardID); err != nil {
		return false, fmt.Errorf("lock card: %w", err)
	}
	earned, err := s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: v.CardID, Points: s.cfg.SignInPoints,
		From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: in.At, ExpiresAt: in.At.Add(s.cfg.SignInValidity),
		Kind: "earn", Key: "signin:" + v.MemberID.String() + ":" + day, Memo: "daily sign-in"})
	if err != nil {
		return false, fmt.Errorf("post sign-in points: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE visit_awards SET posting_id = $3 WHERE member_id = $1 AND business_day = $2`,
		v.MemberID, day, earned.PostingID)
	return true, err
}

func nullID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
