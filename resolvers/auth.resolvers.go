package resolvers

import (
	"context"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
)

// LoginWeChat is the resolver for the loginWeChat field.
func (r *mutationResolver) LoginWeChat(ctx context.Context, input model.LoginWeChatInput) (model.AuthPayload, error) {
	return authPayload(r.Identity.LoginWeChat(ctx, input.Code))
}

// LoginStaff is the resolver for the loginStaff field.
func (r *mutationResolver) LoginStaff(ctx context.Context, input model.LoginStaffInput) (model.AuthPayload, error) {
	return authPayload(r.Identity.LoginStaff(ctx, input.Username, input.Password))
}

// RefreshSession is the resolver for the refreshSession field.
func (r *mutationResolver) RefreshSession(ctx context.Context, input model.RefreshSessionInput) (model.AuthPayload, error) {
	return authPayload(r.Identity.Refresh(ctx, input.RefreshToken))
}

// Logout is the resolver for the logout field.
func (r *mutationResolver) Logout(ctx context.Context) (model.LogoutPayload, error) {
	err := r.Identity.Logout(ctx)
	ue, err := userErrors(err)
	return model.LogoutPayload{Ok: err == nil && len(ue) == 0, UserErrors: ue}, err
}

// Me is the resolver for the me field.
func (r *queryResolver) Me(ctx context.Context) (auth.Viewer, error) {
	return *auth.ViewerFrom(ctx), nil
}

// Role is the resolver for the role field.
func (r *roleGrantResolver) Role(ctx context.Context, obj *auth.Grant) (model.Role, error) {
	return upper[model.Role](string(obj.Role)), nil
}

// ScopeLevel is the resolver for the scopeLevel field.
func (r *roleGrantResolver) ScopeLevel(ctx context.Context, obj *auth.Grant) (model.ScopeLevel, error) {
	return upper[model.ScopeLevel](string(obj.Level)), nil
}

// Scope is the resolver for the scope field.
func (r *roleGrantResolver) Scope(ctx context.Context, obj *auth.Grant) (relay.OrgUnit, error) {
	return r.Org.GrantScope(ctx, *obj)
}

// ID is the resolver for the id field.
func (r *viewerResolver) ID(ctx context.Context, obj *auth.Viewer) (string, error) {
	if obj.IsStaff() {
		return relay.ID("Staff", obj.ID), nil
	}
	return relay.ID("Member", obj.ID), nil
}

// Kind is the resolver for the kind field.
func (r *viewerResolver) Kind(ctx context.Context, obj *auth.Viewer) (model.ViewerKind, error) {
	return upper[model.ViewerKind](string(obj.Kind)), nil
}

// Staff is the resolver for the staff field.
func (r *viewerResolver) Staff(ctx context.Context, obj *auth.Viewer) (*org.Staff, error) {
	if !obj.IsStaff() {
		return nil, nil
	}
	st, err := r.Org.StaffMember(ctx, obj.ID)
	return &st, err
}

// Roles is the resolver for the roles field.
func (r *viewerResolver) Roles(ctx context.Context, obj *auth.Viewer) ([]auth.Grant, error) {
	if obj.Grants == nil {
		return []auth.Grant{}, nil
	}
	return obj.Grants, nil
}

// RoleGrant returns graph.RoleGrantResolver implementation.
func (r *Resolver) RoleGrant() graph.RoleGrantResolver { return &roleGrantResolver{r} }

// Viewer returns graph.ViewerResolver implementation.
func (r *Resolver) Viewer() graph.ViewerResolver { return &viewerResolver{r} }

type roleGrantResolver struct{ *Resolver }
type viewerResolver struct{ *Resolver }
