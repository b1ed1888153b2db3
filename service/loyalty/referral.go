package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger"
)

// pendingReferral returns the member's referrer and the referrer's card when the
// member has a referrer and no referral reward has been granted for them yet.
func pendingReferral(ctx context.Context, tx pgx.Tx, member, groupID uuid.UUID) (uuid.UUID, uuid.UUID, error) {
	var referrer, refCard uuid.UUID
	err := tx.QueryRow(ctx, `SELECT m.referrer_id, c.id FROM members m
		JOIN cards c ON c.member_id = m.referrer_id AND c.group_id = $2 AND c.status = 'active' AND c.primary_card_id IS NULL
		WHERE m.id = $1 AND NOT EXISTS (SELECT 1 FROM loyalty_referrals r WHERE r.referee_id = m.id)
		ORDER BY c.issued_at, c.id LIMIT 1`, member, groupID).Scan(&referrer, &refCard)
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, uuid.Nil, nil
	}
	return referrer, refCard, err
}

// referralTx rewards the referrer on the referee's first qualifying purchase, once
// per referee and once per phone number and WeChat openid ever rewarded.
func (s *Service) referralTx(ctx context.Context, tx pgx.Tx, pl place, prog Program, p *Purchase, referrer, refCard uuid.UUID) error {
	if refCard == uuid.Nil || prog.ReferralPoints <= 0 || p.Payable.LessThan(prog.ReferralMinAmount) {
		return nil
	}
	pts := decimal.NewFromInt(int64(prog.ReferralPoints))
	tag, err := tx.Exec(ctx, `INSERT INTO loyalty_referrals (referee_id, referrer_id, phone, openid, purchase_id, points, created_at)
		SELECT id, $2, phone, openid, $3, $4, $5 FROM members WHERE id = $1 ON CONFLICT DO NOTHING`,
		p.MemberID, referrer, p.ID, pts, p.CreatedAt)
	if err != nil || tag.RowsAffected() == 0 {
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
