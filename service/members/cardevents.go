package members

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// cardEvent records a card operation in card_events and audit_log; c is the card
// after the operation, from its status before ("" for a new card).
func (s *Service) cardEvent(ctx context.Context, tx pgx.Tx, c Card, op Op, from CardStatus, reason string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["number"] = c.Number
	body, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("card event details: %w", err)
	}
	kind, id := operator(ctx)
	err = queries.New(tx).InsertCardEvent(ctx, queries.InsertCardEventParams{ID: service.NewID(), CardID: c.ID,
		GroupID: c.GroupID, Action: string(op), FromStatus: fromStatus(from), ToStatus: string(c.Status),
		OperatorKind: kind, OperatorID: id, Reason: reason, Details: body, At: s.now()})
	if err != nil {
		return fmt.Errorf("record card event: %w", err)
	}
	details["from"], details["to"] = from, c.Status
	return s.audit(ctx, tx, audit.Entry{Action: "card." + string(op), Entity: "card", EntityID: c.ID, Reason: reason,
		Details: details})
}

// audit records e at the service's clock, through q (the change's transaction).
func (s *Service) audit(ctx context.Context, q storage.Querier, e audit.Entry) error {
	e.At = s.now()
	return audit.Record(ctx, q, e)
}

// operator names the viewer in card_events: its kind and id ("system" when anonymous).
func operator(ctx context.Context) (string, *uuid.UUID) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return "system", nil
	}
	id := v.ID
	return string(v.Kind), &id
}

func fromStatus(from CardStatus) *string {
	if from == "" {
		return nil
	}
	f := string(from)
	return &f
}
