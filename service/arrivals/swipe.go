package arrivals

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/arrivals/internal/queries"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
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
	Result   VisitResult // ok, refused
	Reason   string      // unknown_card, other_group, frozen, lost, cancelled, replaced, expired
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

// SwipeTx records a visit inside tx (the bridge's event transaction): unknown, other
// group's, frozen, lost or expired cards are refused and recorded; an accepted visit
// awards the sign-in points once per member per business day (mall time zone). A
// device's swipe carries no idempotency key: the event's own dedupe and the award's
// key (member, business day) keep it exactly once.
func (s *Service) SwipeTx(ctx context.Context, tx pgx.Tx, in Swipe) (Visit, error) {
	mall, err := s.org.MallPlace(ctx, tx, in.MallID)
	if errors.Is(err, errs.ErrNotFound) {
		return Visit{}, ErrNoMall
	} else if err != nil {
		return Visit{}, fmt.Errorf("load mall: %w", err)
	}
	c, err := members.CardByUIDIn(ctx, tx, in.UID)
	if err != nil && !errors.Is(err, members.ErrCardNotFound) {
		return Visit{}, fmt.Errorf("load card: %w", err)
	}
	v := Visit{ID: service.NewID(), Result: VisitOK, MemberID: c.MemberID, CardID: c.ID,
		Reason: refusal(c, err, mall.GroupID, in.At)}
	if v.Reason != "" {
		v.Result = VisitRefused
	}
	day := calendar.Day(in.At, mall.Loc)
	err = queries.New(tx).InsertVisit(ctx, queries.InsertVisitParams{ID: v.ID, MallID: in.MallID, DeviceID: in.DeviceID,
		CardUid: in.UID, CardID: nullID(c.ID), MemberID: nullID(c.MemberID), At: in.At, BusinessDay: day,
		Result: string(v.Result), Reason: v.Reason})
	if err != nil || v.Result != VisitOK {
		return v, err
	}
	if v.Awarded, err = s.award(ctx, tx, in, v, mall); err != nil {
		return v, err
	}
	return v, s.attend(ctx, tx, in, &v)
}

// cardRefusals are the visit reasons of the cards Card.Usable refuses.
var cardRefusals = []struct {
	err    error
	reason string
}{
	{members.ErrCardExpired, "expired"},
	{members.ErrCardFrozen, "frozen"},
	{members.ErrCardLost, "lost"},
	{members.ErrCardCancelled, "cancelled"},
	{members.ErrCardReplaced, "replaced"},
}

// refusal is why a swipe of card c (err: its lookup's ErrCardNotFound) at a mall of
// group is refused at at, or "" when it is accepted.
func refusal(c members.Card, err error, group uuid.UUID, at time.Time) string {
	switch {
	case err != nil:
		return "unknown_card"
	case c.GroupID != group:
		return "other_group"
	}
	err = c.Usable(at)
	if err == nil {
		return ""
	}
	for _, r := range cardRefusals {
		if errors.Is(err, r.err) {
			return r.reason
		}
	}
	return string(c.Status)
}

// award records the day's sign-in award (once per member and business day) and posts
// the points to the card through the ledger, under the key of that member and day.
func (s *Service) award(ctx context.Context, tx pgx.Tx, in Swipe, v Visit, mall org.Place) (bool, error) {
	if !s.cfg.SignInPoints.IsPositive() {
		return false, nil
	}
	q, day := queries.New(tx), calendar.Day(in.At, mall.Loc)
	n, err := q.InsertVisitAward(ctx, queries.InsertVisitAwardParams{MemberID: v.MemberID, BusinessDay: day,
		MallID: in.MallID, VisitID: v.ID, CardID: v.CardID, Points: s.cfg.SignInPoints})
	if err != nil || n == 0 {
		return false, err
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, v.CardID); err != nil {
		return false, fmt.Errorf("lock card: %w", err)
	}
	earned, err := s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: mall.GroupID, CardID: v.CardID,
		Points: s.cfg.SignInPoints, From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: in.At,
		ExpiresAt: in.At.Add(s.cfg.SignInValidity), Kind: "earn",
		Key: "signin:" + v.MemberID.String() + ":" + calendar.DayString(in.At, mall.Loc), Memo: "daily sign-in"})
	if err != nil {
		return false, fmt.Errorf("post sign-in points: %w", err)
	}
	err = q.SetAwardPosting(ctx, queries.SetAwardPostingParams{PostingID: earned.PostingID, MemberID: v.MemberID,
		BusinessDay: day})
	return true, err
}

func nullID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
