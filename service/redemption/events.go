package redemption

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/storage"
)

// Event tells a member that one of their codes was redeemed or voided.
type Event struct {
	Type         string    `json:"type"` // redeemed | voided
	MemberID     uuid.UUID `json:"memberId"`
	CodeID       uuid.UUID `json:"codeId"`
	Kind         Kind      `json:"kind"`
	SubjectID    uuid.UUID `json:"subjectId"`
	RedemptionID uuid.UUID `json:"redemptionId"`
	At           time.Time `json:"at"`
}

func eventOf(typ string, r Redemption) Event {
	at := r.RedeemedAt
	if r.VoidedAt != nil {
		at = *r.VoidedAt
	}
	return Event{Type: typ, MemberID: r.MemberID, CodeID: r.CodeID, Kind: r.Kind, SubjectID: r.SubjectID,
		RedemptionID: r.ID, At: at}
}

// channel is the Redis pub/sub channel of one member's events, so every server instance
// subscribes only to what its connected members need.
func (s *Service) channel(memberID uuid.UUID) string {
	return s.redis.Key("redemption", "events", memberID.String())
}

// publish fans an event out through Redis; the redemption is committed already, so a
// failure is logged, not returned.
func (s *Service) publish(ctx context.Context, e Event) {
	body, _ := json.Marshal(e)
	if err := s.redis.Publish(ctx, s.channel(e.MemberID), body).Err(); err != nil {
		slog.WarnContext(ctx, "redemption: publish event", "err", err, "member", e.MemberID)
	}
}

// Subscribe delivers the events of memberID's codes until ctx ends; the channel is
// closed then. The subscription is active when Subscribe returns.
func (s *Service) Subscribe(ctx context.Context, memberID uuid.UUID) (<-chan Event, error) {
	return storage.SubscribeJSON(ctx, s.redis, s.channel(memberID), 16, func(e Event) bool { return e.MemberID == memberID })
}
