package loyalty

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
)

// referrerCard is the default card in the group of referrer (read by lockAndTerms;
// uuid.Nil: none), locked for the reward, or uuid.Nil when they have none. The
// purchase's own card is locked already (the rare referral purchase locks the two
// cards one after the other; a deadlock with a lock of both in the other order is
// retried by once.Do's transaction).
func (s *Service) referrerCard(ctx context.Context, tx pgx.Tx, referrer, groupID uuid.UUID) (uuid.UUID, uuid.UUID, error) {
	if referrer == uuid.Nil {
		return uuid.Nil, uuid.Nil, nil
	}
	c, err := members.DefaultCardIn(ctx, tx, referrer, groupID)
	if errors.Is(err, members.ErrCardNotFound) {
		return uuid.Nil, uuid.Nil, nil
	}
	if err != nil {
		return uuid.Nil, uuid.Nil, fmt.Errorf("referrer's card: %w", err)
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, c.ID); err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	return referrer, c.ID, nil
}

// referralTx rewards the referrer on the referee's first qualifying purchase, once
// per referee and once per phone number and WeChat openid ever rewarded.
func (s *Service) referralTx(ctx context.Context, tx pgx.Tx, pl org.Place, prog Program, p *Purchase, referrer, refCard uuid.UUID) error {
	if refCard == uuid.Nil || prog.ReferralPoints <= 0 || p.Payable.LessThan(prog.ReferralMinAmount) {
		return nil
	}
	pts := decimal.NewFromInt(int64(prog.ReferralPoints))
	if levels, err := referralLevels(ctx, tx, pl.GroupID); err != nil || levels > 0 {
		if err != nil {
			return err
		}
		// The group approves referral rewards: the reward is held (referral_approvals.go).
		_, err = queries.New(tx).InsertHeldReferral(ctx, queries.InsertHeldReferralParams{RefereeID: p.MemberID,
			ReferrerID: referrer, PurchaseID: p.ID, Points: pts, CreatedAt: p.CreatedAt, GroupID: pl.GroupID,
			MallID: pl.MallID, CardID: refCard, Levels: int32(levels)})
		return err
	}
	n, err := queries.New(tx).InsertReferral(ctx, queries.InsertReferralParams{RefereeID: p.MemberID,
		ReferrerID: referrer, PurchaseID: p.ID, Points: pts, CreatedAt: p.CreatedAt})
	if err != nil || n == 0 {
		return err
	}
	_, err = s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: pl.GroupID, CardID: refCard, Points: pts,
		From: ledger.System(ledger.KindIssuance, ledger.Points), Kind: "referral", Key: "referral:" + p.MemberID.String(),
		AvailableAt: p.CreatedAt, ExpiresAt: ExpiryOf(p.CreatedAt, pl.Loc, prog.PointsExpiryDays)})
	if err != nil {
		return err
	}
	e, err := recordEarning(ctx, tx, pl, referrer, pts, p.CreatedAt)
	p.earned = append(p.earned, e)
	return err
}
