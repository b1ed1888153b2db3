package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
)

// ID is the resolver for the id field.
func (r *groupResolver) ID(ctx context.Context, obj *org.Group) (string, error) {
	return relay.ID("Group", obj.ID), nil
}

// ID is the resolver for the id field.
func (r *mallResolver) ID(ctx context.Context, obj *org.Mall) (string, error) {
	return relay.ID("Mall", obj.ID), nil
}

// Group is the resolver for the group field.
func (r *mallResolver) Group(ctx context.Context, obj *org.Mall) (org.Group, error) {
	return r.Org.Group(ctx, obj.GroupID)
}

// Region is the resolver for the region field.
func (r *mallResolver) Region(ctx context.Context, obj *org.Mall) (*org.Region, error) {
	if obj.RegionID == uuid.Nil {
		return nil, nil
	}
	reg, err := r.Org.Region(ctx, obj.RegionID)
	return &reg, err
}

// Merchants is the resolver for the merchants field.
func (r *mallResolver) Merchants(ctx context.Context, obj *org.Mall, first *int, after *string) (model.MerchantConnection, error) {
	p, err := page.Parse(first, after)
	if err != nil {
		return model.MerchantConnection{}, err
	}
	res, err := r.Org.Merchants(ctx, obj.ID, p)
	edges, info := connection(res, func(m org.Merchant) uuid.UUID { return m.ID },
		func(c string, m org.Merchant) model.MerchantEdge { return model.MerchantEdge{Cursor: c, Node: m} })
	return model.MerchantConnection{Edges: edges, PageInfo: info}, err
}

// ID is the resolver for the id field.
func (r *merchantResolver) ID(ctx context.Context, obj *org.Merchant) (string, error) {
	return relay.ID("Merchant", obj.ID), nil
}

// Kind is the resolver for the kind field.
func (r *merchantResolver) Kind(ctx context.Context, obj *org.Merchant) (model.MerchantKind, error) {
	return upper[model.MerchantKind](obj.Kind), nil
}

// Status is the resolver for the status field.
func (r *merchantResolver) Status(ctx context.Context, obj *org.Merchant) (model.MerchantStatus, error) {
	return upper[model.MerchantStatus](obj.Status), nil
}

// Mall is the resolver for the mall field (batched per request by a dataloader).
func (r *merchantResolver) Mall(ctx context.Context, obj *org.Merchant) (org.Mall, error) {
	return loadersFrom(ctx).Mall.Load(ctx, obj.MallID)
}

// CreateMerchant is the resolver for the createMerchant field.
func (r *mutationResolver) CreateMerchant(ctx context.Context, input model.CreateMerchantInput) (model.CreateMerchantPayload, error) {
	mallID, err := globalID("Mall", input.MallID)
	if err != nil {
		ue, err := userErrors(err)
		return model.CreateMerchantPayload{UserErrors: ue}, err
	}
	m, err := r.Org.CreateMerchant(ctx, org.CreateMerchantInput{MallID: mallID, Code: input.Code, Name: input.Name,
		Category: deref(input.Category), Kind: lower(deref(input.Kind))})
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.CreateMerchantPayload{UserErrors: ue}, err
	}
	return model.CreateMerchantPayload{Merchant: &m, UserErrors: ue}, nil
}

// CreateStaff is the resolver for the createStaff field.
func (r *mutationResolver) CreateStaff(ctx context.Context, input model.CreateStaffInput) (model.CreateStaffPayload, error) {
	grants, err := grantsIn(input.Roles)
	if err != nil {
		ue, err := userErrors(err)
		return model.CreateStaffPayload{UserErrors: ue}, err
	}
	st, err := r.Org.CreateStaff(ctx, org.CreateStaffInput{Username: input.Username,
		DisplayName: deref(input.DisplayName), Password: input.Password, Grants: grants})
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.CreateStaffPayload{UserErrors: ue}, err
	}
	return model.CreateStaffPayload{Staff: &st, UserErrors: ue}, nil
}

// Malls is the resolver for the malls field.
func (r *queryResolver) Malls(ctx context.Context, first *int, after *string) (model.MallConnection, error) {
	p, err := page.Parse(first, after)
	if err != nil {
		return model.MallConnection{}, err
	}
	res, err := r.Org.Malls(ctx, p)
	edges, info := connection(res, func(m org.Mall) uuid.UUID { return m.ID },
		func(c string, m org.Mall) model.MallEdge { return model.MallEdge{Cursor: c, Node: m} })
	return model.MallConnection{Edges: edges, PageInfo: info}, err
}

// Mall is the resolver for the mall field.
func (r *queryResolver) Mall(ctx context.Context, code string) (*org.Mall, error) {
	m, err := r.Org.MallByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// StaffAccounts is the resolver for the staffAccounts field.
func (r *queryResolver) StaffAccounts(ctx context.Context, first *int, after *string) (model.StaffConnection, error) {
	p, err := page.Parse(first, after)
	if err != nil {
		return model.StaffConnection{}, err
	}
	res, err := r.Org.StaffList(ctx, p)
	edges, info := connection(res, func(s org.Staff) uuid.UUID { return s.ID },
		func(c string, s org.Staff) model.StaffEdge { return model.StaffEdge{Cursor: c, Node: s} })
	return model.StaffConnection{Edges: edges, PageInfo: info}, err
}

// ID is the resolver for the id field.
func (r *regionResolver) ID(ctx context.Context, obj *org.Region) (string, error) {
	return relay.ID("Region", obj.ID), nil
}

// Group is the resolver for the group field.
func (r *regionResolver) Group(ctx context.Context, obj *org.Region) (org.Group, error) {
	return r.Org.Group(ctx, obj.GroupID)
}

// ID is the resolver for the id field.
func (r *staffResolver) ID(ctx context.Context, obj *org.Staff) (string, error) {
	return relay.ID("Staff", obj.ID), nil
}

// Status is the resolver for the status field.
func (r *staffResolver) Status(ctx context.Context, obj *org.Staff) (model.StaffStatus, error) {
	return upper[model.StaffStatus](obj.Status), nil
}

// Roles is the resolver for the roles field.
func (r *staffResolver) Roles(ctx context.Context, obj *org.Staff) ([]auth.Grant, error) {
	if obj.Grants == nil {
		return []auth.Grant{}, nil
	}
	return obj.Grants, nil
}

// Group returns graph.GroupResolver implementation.
func (r *Resolver) Group() graph.GroupResolver { return &groupResolver{r} }

// Mall returns graph.MallResolver implementation.
func (r *Resolver) Mall() graph.MallResolver { return &mallResolver{r} }

// Merchant returns graph.MerchantResolver implementation.
func (r *Resolver) Merchant() graph.MerchantResolver { return &merchantResolver{r} }

// Region returns graph.RegionResolver implementation.
func (r *Resolver) Region() graph.RegionResolver { return &regionResolver{r} }

// Staff returns graph.StaffResolver implementation.
func (r *Resolver) Staff() graph.StaffResolver { return &staffResolver{r} }

type groupResolver struct{ *Resolver }
type mallResolver struct{ *Resolver }
type merchantResolver struct{ *Resolver }
type regionResolver struct{ *Resolver }
type staffResolver struct{ *Resolver }
