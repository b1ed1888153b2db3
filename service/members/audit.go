package members

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/storage"
)

// auditEntry is one row of audit_log: who (the viewer), what, on which entity, why.
type auditEntry struct {
	Action   string
	Entity   string
	EntityID uuid.UUID
	MallID   uuid.UUID
	Reason   string
	Details  map[string]any
}

// actor returns the viewer's kind and id for audit rows ("system" when anonymous).
func actor(ctx context.Context) (string, *uuid.UUID) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return "system", nil
	}
	id := v.ID
	return string(v.Kind), &id
}

func (s *Service) audit(ctx context.Context, q storage.Querier, e auditEntry) error {
	kind, id := actor(ctx)
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	var mall *uuid.UUID
	if e.MallID != uuid.Nil {
		mall = &e.MallID
	}
	_, err := q.Exec(ctx, `INSERT INTO audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id,
		reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		service.NewID(), s.now(), kind, id, e.Action, e.Entity, e.EntityID, mall, e.Reason, e.Details)
	return err
}

func splitField(f string) []string { return strings.Split(f, ".") }
