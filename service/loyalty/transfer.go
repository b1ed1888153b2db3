package loyalty

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/once"
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
// limits (per transfer, and per sender per business day in the group time zone,
// Deps.Zones). The points keep their expiry. The viewer must be the shopper who owns
// the sending card; idempotent per shopper and key (once.Do "loyalty.transfer").
func (s *Service) TransferPoints(ctx context.Context, in TransferInput) (Transfer, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return Transfer{}, err
	}
	if err := points("input.points", in.Points, true); err != nil {
		return Transfer{}, err
	}
	out, _, err := once.Do(ctx, s.db, once.Op[Transfer]{Name: "loyalty.transfer", Key: in.IdempotencyKey, Args: in,
		Run: func(ctx context.Context, tx pgx.Tx) (Transfer, error) { return s.transferTx(ctx, tx, member, in) }})
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
	if err := usable(from, s.now(), "input.fromCardId"); err != nil {
		return Transfer{}, err
	}
	if err := usable(to, s.now(), "input.toCardNumber"); err != nil {
		return Transfer{}, err
	}
	if to.MemberID == member {
		return Transfer{}, ErrTransferSelf.At("input", "toCardNumber")
	}
	if from.Supplementary() || to.Supplementary() {
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
	now := s.now()
	return t, queries.New(tx).InsertTransfer(ctx, queries.InsertTransferParams{ID: t.ID, GroupID: from.GroupID,
		FromCard: from.ID, ToCard: to.ID, FromMember: member, Points: in.Points, Day: s.businessDay(now), CreatedAt: now})
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
	today, err := queries.New(tx).TransferredOn(ctx, member, s.businessDay(s.now()))
	if err != nil {
		return err
	}
	if today.Add(pts).GreaterThan(decimal.NewFromInt(int64(prog.TransferDailyMax))) {
		return ErrTransferLimit.At("input", "points").Msgf("at most %d points a day; %s sent today", prog.TransferDailyMax, today)
	}
	return nil
}
