package org

import (
	"context"
	"errors"
	"strings"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Bootstrap returns the group with code, creating it if needed. It is for the
// command line (`atrium seed`), which acts before any staff account exists; it has no
// viewer check and is not reachable through GraphQL.
func (s *Service) Bootstrap(ctx context.Context, code, name string) (Group, error) {
	row, err := queries.New(s.db.Pool).GroupByCode(ctx, strings.ToUpper(code))
	if err == nil {
		return Group(row), nil
	}
	if !errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Group{}, err
	}
	return s.createGroup(ctx, s.db.Pool, code, name)
}

// SystemViewer is an admin of the whole group, for command-line tasks such as seeding.
func SystemViewer(g Group) *auth.Viewer {
	return &auth.Viewer{Kind: auth.KindStaff, Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: g.ID}}}
}

// SetPassword replaces a staff password (command line only: seeding, recovery).
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	if len(password) < 10 || len(password) > 72 {
		return errs.Invalid("password", "password must be 10 to 72 bytes")
	}
	hash, err := s.passwords.Hash(password)
	if err != nil {
		return err
	}
	n, err := queries.New(s.db.Pool).SetPassword(ctx, hash, strings.ToLower(username))
	if err == nil && n == 0 {
		return errs.ErrNotFound.Msgf("no staff account %q", username)
	}
	return err
}
