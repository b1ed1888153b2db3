package memberevents

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/campaigns"
)

// checkedIn checks the shopper viewer is checked in at the event and returns it.
func (s *Service) checkedIn(ctx context.Context, eventID uuid.UUID) (Event, error) {
	memberID, err := access.Shopper(ctx)
	if err != nil {
		return Event{}, err
	}
	e, err := s.Event(ctx, eventID)
	if err != nil {
		return Event{}, err
	}
	su, err := s.mySignup(ctx, eventID, memberID)
	if err != nil {
		return Event{}, err
	}
	if su.Status != SignupCheckedIn {
		return Event{}, ErrNotCheckedIn
	}
	return e, nil
}

// DrawEventLottery draws the event's lottery once for the shopper viewer, who must be
// checked in at the event: the draw runs through campaigns.DrawLottery with the key
// "mev:<event id>", so a member draws once per event (a repeat replays the first draw).
func (s *Service) DrawEventLottery(ctx context.Context, eventID uuid.UUID) (campaigns.Draw, error) {
	e, err := s.checkedIn(ctx, eventID)
	if err != nil {
		return campaigns.Draw{}, err
	}
	if e.LotteryID == nil {
		return campaigns.Draw{}, ErrNoPrize
	}
	return s.campaigns.DrawLottery(ctx, *e.LotteryID, "mev:"+e.ID.String())
}

// TakeEventGift exchanges the event's gift once for the shopper viewer, who must be
// checked in at the event (campaigns.ExchangeGift, key "mev:<event id>": once per
// member and event; the gift's points cost and stock apply).
func (s *Service) TakeEventGift(ctx context.Context, eventID uuid.UUID) (campaigns.Exchange, error) {
	e, err := s.checkedIn(ctx, eventID)
	if err != nil {
		return campaigns.Exchange{}, err
	}
	if e.GiftID == nil {
		return campaigns.Exchange{}, ErrNoPrize
	}
	return s.campaigns.ExchangeGift(ctx, *e.GiftID, "mev:"+e.ID.String())
}
