package loyalty

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// TransferInput gives points from the shopper's card to another member's card.
type TransferInput struct {
	FromCardID     uuid.UUID
	ToCardNumber   string
	Points         decimal.Decimal
	IdempotencyKey string
}

// Transfer is a recorded points transfer.
type Transfer struct {
	ID     uuid.UUID       `json:"id"`
	Points decimal.Decimal `json:"points"`
	ToCard uuid.UUID       `json:"toCard"`
}

// TransferPoints moves points between members of a group within the programme's
// limits (per transfer, and per sender per business day in the group time zone, WithTimeZone). The points
// keep their expiry. The viewer must be the shopper who owns the sending card.
func (s *Service) TransferPoints(ctx context.Context, in TransferInput) (Transfer, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return Transfer{}, errs.ErrUnauthenticated
	}
	if err := points("input.points", in.Points, true); err != nil {
		return Transfer{}, err
	}
	if err := idemKey(in.IdempotencyKey); err != nil {
		return Transfer{}, err
	}
	var out Transfer
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		var err error
		out, _, err = storage.Idempotent(ctx, tx, "loyalty.transfer:"+v.ID.String(), in.IdempotencyKey, in,
			func() (Transfer, error) { return s.transferTx(ctx, tx, v.ID, in) })
		return idemErr(err)
	})
	return out, err
}

func (s *Service) transferTx(ctx context.Context, tx pgx.Tx, member uuid.UUID, in TransferInput) (Transfer, error) {
	from, err := cardByID(ctx, tx, in.FromCardID)
	if err != nil || from.MemberID != member {
		return Transfer{}, ErrCardNotFound.At("input", "fromCardId")
	}
	to, err := findCard(ctx, tx, from.GroupID, strings.TrimSpace(in.ToCardNumber), uuid.Nil)
	if err != nil {
		return Transfer{}, ErrCardNotFound.At("input", "toCardNumber")
	}
	if err := from.usable("input.fromCardId"); err != nil {
		return Transfer{}, err
	}
	if err := to.usable("input.toCardNumber"); err != nil {
		return Transfer{}, err
	}
	if to.MemberID == member {
		return Transfer{}, ErrTransferSelf.At("input", "toCardNumber")
	}
	if from.PrimaryID != nil || to.PrimaryID != nil {
		return Transfer{}, ErrSupplementary.At("input", "toCardNumber")
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, from.ID, to.ID); err != nil {
		return Transfer{}, err
	}
	if err := s.transferLimits(ctx, tx, from.GroupID, member, in.Points); err != nil {
		return Transfer{}, err
	}
	t := Transfer{ID: service.NewID(), Points: in.Points, ToCard: to.ID}
	if _, err := s.ledger.TransferPointsTx(ctx, tx, from.GroupID, from.ID, to.ID, in.Points, "transfer:"+t.ID.String()); err != nil {
		return t, mapSpend(err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO loyalty_transfers (id, group_id, from_card, to_card, from_member, points, day, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, from.GroupID, from.ID, to.ID, member, in.Points,
		s.businessDay(s.now()), s.now())
	return t, err
}

// transferLimits checks the per-transfer and daily limits; the sender's cards are
// locked, so concurrent transfers of one member are counted one after the other.
func (s *Service) transferLimits(ctx context.Context, tx pgx.Tx, group, member uuid.UUID, pts decimal.Decimal) error {
	prog, err := program(ctx, tx, group)
	if err != nil {
		return err
	}
	if pts.GreaterThan(decimal.NewFromInt(int64(prog.TransferMax))) {
		return ErrTransferLimit.At("input", "points").Msgf("at most %d points per transfer", prog.TransferMax)
	}
	var today decimal.Decimal
	err = tx.QueryRow(ctx, `SELECT coalesce(sum(points), 0) FROM loyalty_transfers WHERE from_member = $1 AND day = $2`,
		member, s.businessDay(s.now())).Scan(&today)
	if err != nil {
		return err
	}
	if today.Add(pts).GreaterThan(decimal.NewFromInt(int64(prog.TransferDailyMax))) {
		return ErrTransferLimit.At("input", "points").Msgf("at most %d points a day; %s sent today", prog.TransferDailyMax, today)
	}
	return nil
}
