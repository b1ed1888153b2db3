package members

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
)

// cardEvent records a card operation in card_events and audit_log; c is the card
// after the operation, from its status before ("" for a new card).
func (s *Service) cardEvent(ctx context.Context, tx pgx.Tx, c Card, op Op, from, reason string, details map[string]any) error {
	kind, id := actor(ctx)
	if details == nil {
		details = map[string]any{}
	}
	details["number"] = c.Number
	var fromStatus *string
	if from != "" {
		fromStatus = &from
	}
	_, err := tx.Exec(ctx, `INSERT INTO card_events (id, card_id, group_id, action, from_status, to_status,
		operator_kind, operator_id, reason, details, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
		service.NewID(), c.ID, c.GroupID, string(op), fromStatus, c.Status, kind, id, reason, details, s.now())
	if err != nil {
		return err
	}
	details["from"], details["to"] = from, c.Status
	return s.audit(ctx, tx, auditEntry{Action: "card." + string(op), Entity: "card", EntityID: c.ID, Reason: reason, Details: details})
}
