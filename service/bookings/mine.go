package bookings

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption"
)

// MyBookings lists the shopper viewer's bookings, newest first, with their codes.
func (s *Service) MyBookings(ctx context.Context, p page.Request) (page.Result[Booking], error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return page.Result[Booking]{}, errs.ErrForbidden
	}
	after := p.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT `+bookingCols+` FROM bookings
		WHERE member_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, v.ID, after, p.Limit())
	if err != nil {
		return page.Result[Booking]{}, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Booking, error) { return scanBooking(r) })
	if err != nil {
		return page.Result[Booking]{}, err
	}
	res := page.Cut(p, list)
	return res, s.withCodes(ctx, res.Items)
}

// withCodes fills in each booking's redemption code (its signed token), in one read.
func (s *Service) withCodes(ctx context.Context, list []Booking) error {
	ids := make([]uuid.UUID, len(list))
	for i, b := range list {
		ids[i] = b.ID
	}
	codes, err := s.codes.CodesOf(ctx, redemption.KindBooking, ids)
	if err != nil {
		return err
	}
	for i := range list {
		code := codes[list[i].ID]
		list[i].CodeID, list[i].Numeric, list[i].Token = code.ID, code.Numeric, code.Token
	}
	return nil
}
