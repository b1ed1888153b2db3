package memberevents

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/memberevents/internal/queries"
	"github.com/atrium-mall/atrium/service/once"
)

// CloseReport says what closing an event did with the deposits still held.
type CloseReport struct {
	Returned  int // wait-listed (never promoted) sign-ups whose deposit came back
	Forfeited int // confirmed sign-ups that never checked in (no-shows)
}

// CloseEvent closes an event that has ended (ADMIN, MEMBER_OPS of its mall), once per
// idempotency key and once in all (a closed event is EVENT_CLOSED): no-shows' deposits
// are forfeited, wait-listed members' deposits returned, in one transaction under the
// event's lock. The choice of an explicit close over a nightly job: staff close an
// event after reviewing the check-ins (a device may still upload offline scans after
// the end), so nobody's deposit is forfeited before the scans are in.
func (s *Service) CloseEvent(ctx context.Context, eventID uuid.UUID, idempotencyKey string) (CloseReport, error) {
	e, err := loadEvent(ctx, s.db.Pool, eventID, false)
	if err != nil {
		return CloseReport{}, err
	}
	if _, err := s.org.AtMall(ctx, e.MallID, manageRoles...); err != nil {
		return CloseReport{}, err
	}
	out, _, err := once.Do(ctx, s.db, once.Op[CloseReport]{Name: "memberevents.close", Key: idempotencyKey, Args: eventID,
		Run: func(ctx context.Context, tx pgx.Tx) (CloseReport, error) { return s.closeTx(ctx, tx, eventID) }})
	return out, err
}

func (s *Service) closeTx(ctx context.Context, tx pgx.Tx, eventID uuid.UUID) (CloseReport, error) {
	var rep CloseReport
	e, err := loadEvent(ctx, tx, eventID, true)
	if err != nil {
		return rep, err
	}
	now := s.now()
	switch {
	case e.Status != "open":
		return rep, ErrEventClosed
	case now.Before(e.EndsAt):
		return rep, ErrEventNotOver
	}
	q := queries.New(tx)
	held, err := q.SignupsToSettle(ctx, queries.SignupsToSettleParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID})
	if err != nil {
		return rep, err
	}
	for _, r := range held {
		ev := EvForfeit
		if SignupStatus(r.Status) != SignupConfirmed {
			ev = EvReturn // wait-listed (cancelled and checked-in ones were settled already)
		}
		if err := s.moveDepositTx(ctx, tx, r, ev); err != nil {
			return rep, err
		}
		if ev == EvForfeit {
			rep.Forfeited++
		} else {
			rep.Returned++
		}
	}
	return rep, q.CloseEvent(ctx, &now, e.ID)
}

var _ = uuid.Nil
