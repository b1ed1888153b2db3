package bookings

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption"
)

// MyBookings lists the shopper viewer's bookings, newest first, with their codes.
func (s *Service) MyBookings(ctx context.Context, p page.Request) (page.Result[Booking], error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return page.Result[Booking]{}, err
	}
	before := p.After
	if before == uuid.Nil {
		before = uuid.Max
	}
	rows, err := queries.New(s.db.Pool).MemberBookings(ctx, queries.MemberBookingsParams{MemberID: member,
		Before: before, Max: int32(p.Limit())})
	if err != nil {
		return page.Result[Booking]{}, err
	}
	list := make([]Booking, len(rows))
	for i, r := range rows {
		list[i] = bookingOf(r)
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
