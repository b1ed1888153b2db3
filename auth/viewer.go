// Package auth is who is calling: access tokens (JWT), refresh sessions (Redis),
// password hashing, login back-off, the WeChat login client, and the viewer that every
// request carries in its context with its roles and scopes.
package auth

import (
	"context"
	"slices"

	"github.com/google/uuid"
)

// Kind is the kind of account behind a viewer; each has its own token audience.
type Kind string

// The viewer kinds.
const (
	KindShopper Kind = "shopper"
	KindStaff   Kind = "staff"
)

// Role is a staff role.
type Role string

// The staff roles.
const (
	RoleAdmin         Role = "admin"
	RoleMemberOps     Role = "member_ops"
	RoleServiceDesk   Role = "service_desk"
	RoleLeasing       Role = "leasing"
	RoleFinance       Role = "finance"
	RoleMaintenance   Role = "maintenance"
	RoleSecurity      Role = "security"
	RoleMerchantStaff Role = "merchant_staff"
	// RoleTenantAdmin is a tenant's own administrator (the tenant app): the merchant's
	// contracts, units, charge schedule and sales, nothing of other tenants.
	RoleTenantAdmin Role = "tenant_admin"
	// RoleSupervisor leads the property-services staff of its scope: level-1 escalations
	// of work orders, rosters and patrol plans.
	RoleSupervisor Role = "supervisor"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleMemberOps, RoleServiceDesk, RoleLeasing, RoleFinance, RoleMaintenance, RoleSecurity, RoleMerchantStaff, RoleTenantAdmin, RoleSupervisor}

// MerchantScoped reports whether the role belongs to a merchant's own people: such a
// role is granted over one merchant, and only such a role is.
func (r Role) MerchantScoped() bool { return r == RoleMerchantStaff || r == RoleTenantAdmin }

// Level is the level of the organisation a grant is scoped to.
type Level string

// The organisation levels.
const (
	LevelGroup    Level = "group"
	LevelRegion   Level = "region"
	LevelMall     Level = "mall"
	LevelMerchant Level = "merchant"
)

// Grant is one role over one organisation unit and everything below it.
type Grant struct {
	Role    Role
	Level   Level
	ScopeID uuid.UUID
}

// OrgRef places a resource in the organisation. Zero IDs mean "not below that level":
// a mall-level resource has no MerchantID.
type OrgRef struct {
	GroupID    uuid.UUID
	RegionID   uuid.UUID
	MallID     uuid.UUID
	MerchantID uuid.UUID
}

// Covers reports whether the grant's scope contains ref.
func (g Grant) Covers(ref OrgRef) bool {
	switch g.Level {
	case LevelGroup:
		return ref.GroupID == g.ScopeID
	case LevelRegion:
		return ref.RegionID != uuid.Nil && ref.RegionID == g.ScopeID
	case LevelMall:
		return ref.MallID != uuid.Nil && ref.MallID == g.ScopeID
	case LevelMerchant:
		return ref.MerchantID != uuid.Nil && ref.MerchantID == g.ScopeID
	}
	return false
}

// Viewer is the authenticated caller of a request.
type Viewer struct {
	Kind      Kind
	ID        uuid.UUID // staff id or member id
	SessionID string
	Grants    []Grant // staff only
}

// IsStaff reports whether the viewer is a staff account.
func (v *Viewer) IsStaff() bool { return v != nil && v.Kind == KindStaff }

// IsShopper reports whether the viewer is a shopper (member).
func (v *Viewer) IsShopper() bool { return v != nil && v.Kind == KindShopper }

// HasRole reports whether the viewer holds any of roles anywhere.
func (v *Viewer) HasRole(roles ...Role) bool {
	if !v.IsStaff() {
		return false
	}
	for _, g := range v.Grants {
		if slices.Contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// Can reports whether the viewer holds one of roles (any role when none are given) with
// a scope that covers ref. Admin is not implied: callers list it where it applies.
func (v *Viewer) Can(ref OrgRef, roles ...Role) bool {
	if !v.IsStaff() {
		return false
	}
	for _, g := range v.Grants {
		if (len(roles) == 0 || slices.Contains(roles, g.Role)) && g.Covers(ref) {
			return true
		}
	}
	return false
}

type viewerKey struct{}

// WithViewer returns ctx carrying v.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the request's viewer, or nil when the caller is anonymous.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}
