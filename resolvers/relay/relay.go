// Package relay holds the Relay conventions: global IDs and the Go side of the Node
// interface and of unions, so that gqlgen can bind them to our service types.
package relay

import (
	"encoding/base64"
	"errors"
	"strings"

	"github.com/google/uuid"
)

// Node is any object with a global ID (the GraphQL Node interface).
type Node interface{}

// OrgUnit is a group, region, mall or merchant (the GraphQL OrgUnit union).
type OrgUnit interface{}

// ErrBadID is returned for a malformed global ID.
var ErrBadID = errors.New("malformed global ID")

// ID encodes a type name and a UUID as an opaque global ID.
func ID(typeName string, id uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typeName + ":" + id.String()))
}

// Parse decodes a global ID into its type name and UUID.
func Parse(global string) (string, uuid.UUID, error) {
	b, err := base64.RawURLEncoding.DecodeString(global)
	if err != nil {
		return "", uuid.Nil, ErrBadID
	}
	typeName, raw, ok := strings.Cut(string(b), ":")
	id, err := uuid.Parse(raw)
	if !ok || err != nil || typeName == "" {
		return "", uuid.Nil, ErrBadID
	}
	return typeName, id, nil
}

// ParseAs decodes a global ID that must be of typeName.
func ParseAs(typeName, global string) (uuid.UUID, error) {
	t, id, err := Parse(global)
	if err != nil || t != typeName {
		return uuid.Nil, ErrBadID
	}
	return id, nil
}
