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

// pendingReferral returns the member's referrer and the referrer's default card in
// the group when the member has a referrer, no referral reward has been granted for
// them yet, and the referrer has a card to receive it.
func pendingReferral(ctx context.Context, tx pgx.Tx, member, groupID uuid.UUID) (uuid.UUID, uuid.UUID, error) {
	referrer, err := queries.New(tx).PendingReferrer(ctx, member)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && referrer == nil) {
		return uuid.Nil, uuid.Nil, nil
	}
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	c, err := members.DefaultCardIn(ctx, tx, *referrer, groupID)
	if errors.Is(err, members.ErrCardNotFound) {
		return uuid.Nil, uuid.Nil, nil
	}
	if err != nil {
		return uuid.Nil, uuid.Nil, fmt.Errorf("referrer's card: %w", err)
	}
	return *referrer, c.ID, nil
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
