package resolvers

import (
	"context"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/google/uuid"
)

func resourceOut(r bookings.Resource) model.BookableResource {
	return model.BookableResource{ID: relay.ID("BookableResource", r.ID), MallID: relay.ID("Mall", r.MallID),
		Name: r.Name, Kind: r.Kind, FreeCancelHours: r.FreeCancelHours, PricePoints: r.PricePoints,
		PriceAmount: r.PriceAmount}
}

func resourcesOut(list []bookings.Resource) []model.BookableResource {
	out := make([]model.BookableResource, len(list))
	for i, r := range list {
		out[i] = resourceOut(r)
	}
	return out
}

// slotOut maps a slot; its resource field is resolved on demand (BookingSlot.resource).
func slotOut(s bookings.Slot) model.BookingSlot {
	return model.BookingSlot{ID: relay.ID("BookingSlot", s.ID), ResourceID: relay.ID("BookableResource", s.ResourceID),
		StartsAt: s.StartsAt, EndsAt: s.EndsAt, Capacity: s.Capacity, Booked: s.Booked, Available: s.Capacity - s.Booked}
}

func slotsOut(list []bookings.Slot) []model.BookingSlot {
	out := make([]model.BookingSlot, len(list))
	for i, s := range list {
		out[i] = slotOut(s)
	}
	return out
}

func resourceIn(in model.CreateBookableResourceInput) (bookings.Resource, error) {
	mall, err := globalID("Mall", in.MallID)
	return bookings.Resource{MallID: mall, Name: in.Name, Kind: in.Kind, FreeCancelHours: in.FreeCancelHours,
		PricePoints: in.PricePoints, PriceAmount: in.PriceAmount}, err
}

// paymentIn maps the optional payWith argument ("" when absent: a free booking).
func paymentIn(p *model.BookingPayment) bookings.Payment {
	if p == nil {
		return ""
	}
	return bookings.Payment(lower(*p))
}

// paymentOut maps how a booking was paid (nil for a free booking).
func paymentOut(p bookings.Payment) *model.BookingPayment {
	if p == "" {
		return nil
	}
	out := upper[model.BookingPayment](string(p))
	return &out
}

// Node loaders of the bookings context (node.go).

// NodeBookableResource loads a BookableResource for node(id:).
func (r *Resolver) NodeBookableResource(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	res, err := r.Bookings.Resource(ctx, id)
	return resourceOut(res), err
}

// NodeBookingSlot loads a BookingSlot for node(id:).
func (r *Resolver) NodeBookingSlot(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	s, err := r.Bookings.Slot(ctx, id)
	return slotOut(s), err
}
