package resolvers

import (
	"context"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/google/uuid"
)

var levelOfType = map[string]auth.Level{
	"Group": auth.LevelGroup, "Region": auth.LevelRegion, "Mall": auth.LevelMall, "Merchant": auth.LevelMerchant,
}

// grantsIn maps role inputs (role + scope global ID) to grants.
func grantsIn(in []model.RoleGrantInput) ([]auth.Grant, error) {
	out := make([]auth.Grant, 0, len(in))
	for _, g := range in {
		typeName, id, err := relay.Parse(g.ScopeID)
		level, ok := levelOfType[typeName]
		if err != nil || !ok {
			return nil, errs.Invalid("input.roles.scopeId", "scopeId must be the ID of a group, region, mall or merchant")
		}
		out = append(out, auth.Grant{Role: auth.Role(lower(g.Role)), Level: level, ScopeID: id})
	}
	return out, nil
}

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// Node loaders of the org context (node.go).

// NodeGroup loads a Group for node(id:).
func (r *Resolver) NodeGroup(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Org.Group(ctx, id)
}

// NodeRegion loads a Region for node(id:).
func (r *Resolver) NodeRegion(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Org.Region(ctx, id)
}

// NodeMall loads a Mall for node(id:).
func (r *Resolver) NodeMall(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Org.Mall(ctx, id)
}

// NodeMerchant loads a Merchant for node(id:).
func (r *Resolver) NodeMerchant(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Org.Merchant(ctx, id)
}

// NodeStaff loads a Staff account for node(id:).
func (r *Resolver) NodeStaff(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	return r.Org.StaffMember(ctx, id)
}
