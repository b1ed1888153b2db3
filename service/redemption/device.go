package redemption

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
)

// RedeemSubjectTx redeems the code of a coupon or booking at time at without staff
// (a device did it: a lounge card reader), inside the caller's transaction. It takes the
// same exactly-once path as a staff scan (the conditional UPDATE … WHERE status =
// 'issued'), so a scan and a swipe never both redeem: the loser gets ErrCodeUsed. It
// leaves tx usable when it returns a business error. The redemption has no staff and no
// merchant; call PublishRedeemed after the commit.
func (s *Service) RedeemSubjectTx(ctx context.Context, tx pgx.Tx, kind Kind, subjectID uuid.UUID, at time.Time) (Redemption, error) {
	c, err := scanCode(queries.New(tx).CodeOf(ctx, string(kind), subjectID))
	if err != nil {
		return Redemption{}, err
	}
	return s.redeemTx(ctx, tx, c, uuid.Nil, uuid.Nil, at, false)
}

// PublishRedeemed tells the member, in real time, that r was redeemed (after the commit
// of a RedeemSubjectTx).
func (s *Service) PublishRedeemed(ctx context.Context, r Redemption) {
	s.publish(ctx, eventOf("redeemed", r))
}
