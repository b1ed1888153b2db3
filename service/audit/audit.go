// Package audit owns audit_log: the one record of who did what to which entity, and
// why. Every context that must leave an audit trail (card operations, voided
// redemptions, …) calls Record inside its own transaction, so the entry commits or
// rolls back with the change it describes.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/audit/internal/queries"
)

// Entry is one audited action.
type Entry struct {
	At       time.Time // zero: now
	Action   string    // "<context>.<action>", e.g. "card.freeze", "redemption.void"
	Entity   string    // the entity's type, e.g. "card", "redemption"
	EntityID uuid.UUID // uuid.Nil when the action is about no single entity
	MallID   uuid.UUID // uuid.Nil when the action belongs to no mall
	Reason   string
	Details  map[string]any
	// ActorKind and ActorID name who acted; empty: the request's viewer ("system"
	// without one).
	ActorKind string
	ActorID   uuid.UUID
}

// Logged is an entry as stored.
type Logged struct {
	Entry
	ID uuid.UUID
}

// Record writes e through q (a transaction, so the entry shares the change's fate).
func Record(ctx context.Context, q queries.DBTX, e Entry) error {
	kind, actor := e.ActorKind, nilIfZero(e.ActorID)
	if kind == "" {
		kind, actor = viewerActor(ctx)
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	details, err := json.Marshal(e.Details)
	if err != nil {
		return fmt.Errorf("audit: encode details: %w", err)
	}
	err = queries.New(q).InsertEntry(ctx, queries.InsertEntryParams{
		ID: service.NewID(), At: e.At, ActorKind: kind, ActorID: actor, Action: e.Action,
		EntityType: e.Entity, EntityID: nilIfZero(e.EntityID), MallID: nilIfZero(e.MallID),
		Reason: e.Reason, Details: details,
	})
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Of returns the entries about one entity, oldest first (for staff views and tests;
// the caller authorizes).
func Of(ctx context.Context, q queries.DBTX, entity string, id uuid.UUID) ([]Logged, error) {
	rows, err := queries.New(q).EntriesOf(ctx, entity, &id)
	if err != nil {
		return nil, fmt.Errorf("audit: entries of %s %s: %w", entity, id, err)
	}
	out := make([]Logged, 0, len(rows))
	for _, r := range rows {
		l := Logged{ID: r.ID, Entry: Entry{At: r.At, Action: r.Action, Entity: r.EntityType, Reason: r.Reason,
			ActorKind: r.ActorKind, EntityID: deref(r.EntityID), MallID: deref(r.MallID), ActorID: deref(r.ActorID)}}
		if err := json.Unmarshal(r.Details, &l.Details); err != nil {
			return nil, fmt.Errorf("audit: decode details of %s: %w", r.ID, err)
		}
		out = append(out, l)
	}
	return out, nil
}

// viewerActor is the request's viewer as an audit actor ("system" when anonymous).
func viewerActor(ctx context.Context) (string, *uuid.UUID) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return "system", nil
	}
	id := v.ID
	return string(v.Kind), &id
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

func deref(id *uuid.UUID) uuid.UUID {
	if id == nil {
		return uuid.Nil
	}
	return *id
}
