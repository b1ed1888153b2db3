package memberevents

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/memberevents/internal/queries"
	"github.com/atrium-mall/atrium/service/memberevents/signinrule"
)

// SignInResult is a sign-in recorded at an event.
type SignInResult struct {
	At    time.Time
	Count int // the member's sign-ins at the event so far, this one included
}

// SignIn records the shopper viewer's sign-in (签到) at an event: they must hold a
// confirmed or checked-in place, and the event's rule (signinrule.Decide, over their
// earlier sign-ins read under their sign-up's row lock) must allow it; a refusal is
// SIGNIN_REFUSED with the rule's reason as its message.
func (s *Service) SignIn(ctx context.Context, eventID uuid.UUID) (SignInResult, error) {
	memberID, err := access.Shopper(ctx)
	if err != nil {
		return SignInResult{}, err
	}
	e, err := s.Event(ctx, eventID)
	if err != nil {
		return SignInResult{}, err
	}
	place, err := s.org.MallPlace(ctx, nil, e.MallID)
	if err != nil {
		return SignInResult{}, err
	}
	var out SignInResult
	err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		r, err := q.LockSignup(ctx, queries.LockSignupParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
			MemberID: memberID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotSignedUp
		} else if err != nil {
			return err
		}
		if st := SignupStatus(r.Status); st != SignupConfirmed && st != SignupCheckedIn {
			return ErrNotSignedUp
		}
		earlier, err := q.SigninsOf(ctx, queries.SigninsOfParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
			MemberID: memberID})
		if err != nil {
			return err
		}
		now := s.now()
		if v := signinrule.Decide(e.SignIn, earlier, now, place.Loc); !v.Allowed {
			return ErrSignInRefused.Msgf("%s", v.Reason)
		}
		out = SignInResult{At: now, Count: len(earlier) + 1}
		return q.InsertSignin(ctx, queries.InsertSigninParams{ID: service.NewID(), GroupID: e.GroupID, MallID: e.MallID,
			EventID: e.ID, MemberID: memberID, SignedAt: now})
	})
	return out, err
}

var _ = uuid.Nil
