package memberevents

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberevents/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/once"
)

// Signup is a member's sign-up for an event.
type Signup struct {
	ID, EventID, MemberID uuid.UUID
	Status                SignupStatus
	// Position is a wait-listed sign-up's place in the queue (1 = next), else 0.
	Position      int
	DepositPoints int
	DepositState  DepositState
	CheckedInAt   *time.Time
	CreatedAt     time.Time
}

func signupOf(r queries.MevSignup, position int) Signup {
	return Signup{ID: r.ID, EventID: r.EventID, MemberID: r.MemberID, Status: SignupStatus(r.Status),
		Position: position, DepositPoints: int(r.DepositPoints), DepositState: DepositState(r.DepositState),
		CheckedInAt: r.CheckedInAt, CreatedAt: r.CreatedAt}
}

// SignUp signs the shopper viewer up for an event, once per idempotency key: confirmed
// while places remain, else wait-listed behind those before (the event's row lock
// orders concurrent sign-ups). The deposit, if any, is taken from the member's points
// (INSUFFICIENT_POINTS when short, and nothing is recorded).
func (s *Service) SignUp(ctx context.Context, eventID uuid.UUID, idempotencyKey string) (Signup, error) {
	memberID, err := access.Shopper(ctx)
	if err != nil {
		return Signup{}, err
	}
	m, err := s.members.Me(ctx)
	if err != nil {
		return Signup{}, err
	}
	out, _, err := once.Do(ctx, s.db, once.Op[Signup]{Name: "memberevents.signup", Key: idempotencyKey, Args: eventID,
		Run: func(ctx context.Context, tx pgx.Tx) (Signup, error) { return s.signUpTx(ctx, tx, eventID, memberID, m) }})
	if err != nil {
		return out, err
	}
	return s.withPosition(ctx, out)
}

func (s *Service) signUpTx(ctx context.Context, tx pgx.Tx, eventID, memberID uuid.UUID, m members.Member) (Signup, error) {
	e, err := loadEvent(ctx, tx, eventID, true)
	if err != nil {
		return Signup{}, err
	}
	if e.GroupID != m.GroupID {
		return Signup{}, errs.ErrNotFound.Msgf("event not found")
	}
	now := s.now()
	switch {
	case e.Status != "open":
		return Signup{}, ErrEventClosed
	case now.Before(e.SignupOpensAt) || !now.Before(e.SignupClosesAt):
		return Signup{}, ErrSignupNotOpen
	case m.Status != members.MemberActive:
		return Signup{}, members.ErrMemberInactive
	case !eligible(e, m):
		return Signup{}, ErrNotEligible
	}
	q := queries.New(tx)
	if _, err := q.Signup(ctx, queries.SignupParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
		MemberID: memberID}); err == nil {
		return Signup{}, ErrAlreadySignedUp
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return Signup{}, err
	}
	su := queries.InsertSignupParams{ID: service.NewID(), GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
		MemberID: memberID, Status: string(SignupConfirmed), DepositState: string(DepositNone),
		DepositPieces: json.RawMessage("[]"), CreatedAt: now}
	taken, err := q.TakePlace(ctx, e.ID)
	if err != nil {
		return Signup{}, err
	}
	if taken == 0 {
		seq, err := q.NextWaitlistSeq(ctx, e.ID)
		if err != nil {
			return Signup{}, err
		}
		su.Status, su.WaitlistSeq = string(SignupWaitlisted), &seq
	}
	if e.DepositPoints > 0 {
		if err := s.holdDepositTx(ctx, tx, e, &su); err != nil {
			return Signup{}, err
		}
	}
	if n, err := q.InsertSignup(ctx, su); err != nil || n == 0 {
		if err == nil {
			err = ErrAlreadySignedUp
		}
		return Signup{}, err
	}
	return Signup{ID: su.ID, EventID: e.ID, MemberID: memberID, Status: SignupStatus(su.Status),
		DepositPoints: int(su.DepositPoints), DepositState: DepositState(su.DepositState), CreatedAt: now}, nil
}

// holdDepositTx takes the event's deposit from the member's points card into the
// event's deposit account and records the lots' pieces on the sign-up.
func (s *Service) holdDepositTx(ctx context.Context, tx pgx.Tx, e Event, su *queries.InsertSignupParams) error {
	pts := decimal.NewFromInt(int64(e.DepositPoints))
	card, group, err := s.ledger.MemberCardTx(ctx, tx, su.MemberID, ledger.Points, pts)
	if errors.Is(err, ledger.ErrCardNotFound) {
		return ErrNoCard
	} else if err != nil {
		return err
	}
	_, pieces, err := s.ledger.SpendTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "event_deposit",
		Key: "mev:hold:" + su.ID.String(), Memo: "event deposit: " + e.Title,
		Legs: []ledger.Leg{{Account: depositAccount(e.ID), Amount: pts}}}, card, pts)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(pieces)
	if err != nil {
		return err
	}
	su.CardID, su.DepositPoints, su.DepositState, su.DepositPieces = &card, int32(e.DepositPoints), string(DepositHeld), raw
	return nil
}

// moveDepositTx returns (EvReturn) or forfeits (EvForfeit) a sign-up's held deposit,
// once: the deposit state moves under the sign-up's row lock (the caller holds it) and
// the posting's key names the sign-up. A sign-up without a held deposit is left alone.
func (s *Service) moveDepositTx(ctx context.Context, tx pgx.Tx, r queries.MevSignup, ev DepositEvent) error {
	if DepositState(r.DepositState) != DepositHeld || r.CardID == nil {
		return nil
	}
	to, err := depositMachine.Next(ev, DepositState(r.DepositState))
	if err != nil {
		return err
	}
	pts := decimal.NewFromInt(int64(r.DepositPoints))
	if ev == EvReturn {
		var pieces []ledger.Piece
		if err := json.Unmarshal(r.DepositPieces, &pieces); err != nil {
			return err
		}
		if _, err := s.ledger.LockCardsTx(ctx, tx, *r.CardID); err != nil {
			return err
		}
		_, err = s.ledger.RestoreTx(ctx, tx, ledger.Posting{GroupID: r.GroupID, Kind: "event_deposit_return",
			Key: "mev:return:" + r.ID.String(), Legs: []ledger.Leg{{Account: depositAccount(r.EventID), Amount: pts.Neg()}}},
			*r.CardID, pieces)
	} else {
		_, err = s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: r.GroupID, Kind: "event_deposit_forfeit",
			Key: "mev:forfeit:" + r.ID.String(), Legs: []ledger.Leg{{Account: depositAccount(r.EventID), Amount: pts.Neg()},
				{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: pts}}})
	}
	if err != nil {
		return err
	}
	return queries.New(tx).SetDepositState(ctx, queries.SetDepositStateParams{ID: r.ID, DepositState: string(to),
		UpdatedAt: s.now()})
}

// CancelSignup cancels the shopper viewer's sign-up (confirmed or wait-listed), once
// per idempotency key: the deposit comes back, and a freed place goes to the first
// wait-listed member (told through the notify outbox).
func (s *Service) CancelSignup(ctx context.Context, eventID uuid.UUID, idempotencyKey string) (Signup, error) {
	memberID, err := access.Shopper(ctx)
	if err != nil {
		return Signup{}, err
	}
	if _, err := s.Event(ctx, eventID); err != nil {
		return Signup{}, err
	}
	return onceSignup(ctx, s, "memberevents.cancel", idempotencyKey, eventID, func(ctx context.Context, tx pgx.Tx) (Signup, error) {
		e, err := loadEvent(ctx, tx, eventID, true)
		if err != nil {
			return Signup{}, err
		}
		q := queries.New(tx)
		r, err := q.LockSignup(ctx, queries.LockSignupParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
			MemberID: memberID})
		if errors.Is(err, pgx.ErrNoRows) {
			return Signup{}, ErrNotSignedUp
		} else if err != nil {
			return Signup{}, err
		}
		if e.Status != "open" {
			return Signup{}, ErrEventClosed
		}
		to, err := signupMachine.Next(EvCancel, SignupStatus(r.Status))
		if err != nil {
			return Signup{}, err
		}
		if err := q.SetSignupStatus(ctx, queries.SetSignupStatusParams{ID: r.ID, Status: string(to),
			UpdatedAt: s.now()}); err != nil {
			return Signup{}, err
		}
		if err := s.moveDepositTx(ctx, tx, r, EvReturn); err != nil {
			return Signup{}, err
		}
		if SignupStatus(r.Status) == SignupConfirmed {
			if err := q.FreePlace(ctx, e.ID); err != nil {
				return Signup{}, err
			}
			if err := s.promoteTx(ctx, tx, e); err != nil {
				return Signup{}, err
			}
		}
		r.Status = string(to)
		if DepositState(r.DepositState) == DepositHeld {
			r.DepositState = string(DepositReturned)
		}
		return signupOf(r, 0), nil
	})
}

func onceSignup(ctx context.Context, s *Service, name, key string, id uuid.UUID,
	run func(ctx context.Context, tx pgx.Tx) (Signup, error)) (Signup, error) {
	out, _, err := once.Do(ctx, s.db, once.Op[Signup]{Name: name, Key: key, Args: id, Run: run})
	return out, err
}

// promoteTx gives a free place of e (the caller holds its lock) to the first wait-listed
// member, if any, and tells them through the notify outbox.
func (s *Service) promoteTx(ctx context.Context, tx pgx.Tx, e Event) error {
	q := queries.New(tx)
	r, err := q.FirstWaitlisted(ctx, queries.FirstWaitlistedParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	to, err := signupMachine.Next(EvPromote, SignupStatus(r.Status))
	if err != nil {
		return err
	}
	if n, err := q.TakePlace(ctx, e.ID); err != nil || n == 0 {
		return err
	}
	now := s.now()
	if err := q.SetSignupStatus(ctx, queries.SetSignupStatusParams{ID: r.ID, Status: string(to), UpdatedAt: now}); err != nil {
		return err
	}
	_, err = notify.EnqueueTx(ctx, tx, notify.Event{GroupID: e.GroupID, MallID: e.MallID, Kind: notify.GroupMessage,
		RecipientKind: notify.ToMember, RecipientID: r.MemberID, At: now, DedupeKey: "mev:promoted:" + r.ID.String(),
		Payload: map[string]string{"title": "活动报名成功 / Your place is confirmed",
			"body": e.Title + " (" + e.Place + "): a place became free and is now yours."}})
	return err
}

// withPosition fills a wait-listed sign-up's current place in the queue.
func (s *Service) withPosition(ctx context.Context, su Signup) (Signup, error) {
	if su.Status != SignupWaitlisted {
		return su, nil
	}
	return s.mySignup(ctx, su.EventID, su.MemberID)
}

// MySignup is the shopper viewer's sign-up for an event (NOT_SIGNED_UP without one).
func (s *Service) MySignup(ctx context.Context, eventID uuid.UUID) (Signup, error) {
	memberID, err := access.Shopper(ctx)
	if err != nil {
		return Signup{}, err
	}
	if _, err := s.Event(ctx, eventID); err != nil {
		return Signup{}, err
	}
	return s.mySignup(ctx, eventID, memberID)
}

func (s *Service) mySignup(ctx context.Context, eventID, memberID uuid.UUID) (Signup, error) {
	e, err := loadEvent(ctx, s.db.Pool, eventID, false)
	if err != nil {
		return Signup{}, err
	}
	q := queries.New(s.db.Pool)
	r, err := q.Signup(ctx, queries.SignupParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID, MemberID: memberID})
	if errors.Is(err, pgx.ErrNoRows) {
		return Signup{}, ErrNotSignedUp
	} else if err != nil {
		return Signup{}, err
	}
	pos := 0
	if r.Status == string(SignupWaitlisted) && r.WaitlistSeq != nil {
		n, err := q.WaitlistRank(ctx, queries.WaitlistRankParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
			WaitlistSeq: r.WaitlistSeq})
		if err != nil {
			return Signup{}, err
		}
		pos = int(n)
	}
	return signupOf(r, pos), nil
}

// EventSignups lists an event's sign-ups for staff of its mall: confirmed and checked
// in first, then the wait list in order (with positions), then cancelled ones.
func (s *Service) EventSignups(ctx context.Context, eventID uuid.UUID) ([]Signup, error) {
	e, err := loadEvent(ctx, s.db.Pool, eventID, false)
	if err != nil {
		return nil, err
	}
	if _, err := s.org.AtMall(ctx, e.MallID, scanRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).SignupsOfEvent(ctx, queries.SignupsOfEventParams{GroupID: e.GroupID,
		MallID: e.MallID, EventID: e.ID})
	if err != nil {
		return nil, err
	}
	out := make([]Signup, len(rows))
	for i, r := range rows {
		out[i] = signupOf(queries.MevSignup{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, EventID: r.EventID,
			MemberID: r.MemberID, Status: r.Status, WaitlistSeq: r.WaitlistSeq, CardID: r.CardID,
			DepositPoints: r.DepositPoints, DepositState: r.DepositState, CheckedInAt: r.CheckedInAt,
			CreatedAt: r.CreatedAt}, int(r.Position))
	}
	return out, nil
}
