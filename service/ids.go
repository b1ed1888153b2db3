// Package service is the home of Atrium's business rules: one sub-package per context
// (org, identity, members, ledger, coupons, …). Resolvers, the MQTT bridge and jobs all
// call these services; the services call storage.
package service

import "github.com/google/uuid"

// NewID returns a time-ordered UUIDv7, the id of every new row.
func NewID() uuid.UUID {
	return uuid.Must(uuid.NewV7())
}
