package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
)

func unitOut(u leasing.Unit) model.Unit {
	out := model.Unit{ID: relay.ID("Unit", u.ID), MallID: relay.ID("Mall", u.MallID), Code: u.Code,
		Kind: upper[model.UnitKind](string(u.Kind)), Floor: u.Floor, Zone: u.Zone, GrossArea: u.GrossArea,
		LettableArea: u.LettableArea, OffMarket: u.OffMarket, Status: upper[model.UnitStatus](string(u.Status))}
	if u.ContractID != uuid.Nil {
		id := relay.ID("Contract", u.ContractID)
		out.CurrentContractID = &id
	}
	if !u.VacantSince.IsZero() {
		since, days := u.VacantSince, u.DaysVacant
		out.VacantSince, out.DaysVacant = &since, &days
	}
	return out
}

func unitsOut(list []leasing.Unit) []model.Unit {
	out := make([]model.Unit, len(list))
	for i, u := range list {
		out[i] = unitOut(u)
	}
	return out
}

// invalidID is a malformed global ID at field.
func invalidID(field, typeName string) error {
	return errs.Invalid(field, "not a %s ID", typeName)
}

func contractOut(c leasing.Contract) model.Contract {
	out := model.Contract{ID: relay.ID("Contract", c.ID), MallID: relay.ID("Mall", c.MallID),
		TenantID: relay.ID("Merchant", c.MerchantID), Status: upper[model.ContractStatus](string(c.Status)),
		Start: c.Start, End: c.End, TerminationReason: c.TerminationReason, Signed: c.SignedKey != "",
		CreatedAt: c.CreatedAt, Svc: c}
	if c.BrandID != nil {
		id := relay.ID("Brand", *c.BrandID)
		out.BrandID = &id
	}
	if !c.TerminatedOn.IsZero() {
		on := c.TerminatedOn
		out.TerminatedOn = &on
	}
	return out
}

func contractsOut(list []leasing.Contract) []model.Contract {
	out := make([]model.Contract, len(list))
	for i, c := range list {
		out[i] = contractOut(c)
	}
	return out
}

func contractConnection(res page.Result[leasing.Contract]) model.ContractConnection {
	edges, info := connection(res, func(c leasing.Contract) uuid.UUID { return c.ID },
		func(cur string, c leasing.Contract) model.ContractEdge {
			return model.ContractEdge{Cursor: cur, Node: contractOut(c)}
		})
	return model.ContractConnection{Edges: edges, PageInfo: info}
}

func versionOut(v leasing.Version) model.ContractVersion {
	out := model.ContractVersion{Number: v.Number, Kind: upper[model.ContractVersionKind](string(v.Kind)),
		Status: upper[model.ContractVersionStatus](string(v.Status)), EffectiveFrom: v.EffectiveFrom, Terms: v.Terms,
		AnnualRent: v.AnnualRent}
	if v.PendingRole != "" {
		r := upper[model.Role](string(v.PendingRole))
		out.PendingRole = &r
	}
	return out
}

func approvalOut(a leasing.Approval) model.ContractApproval {
	return model.ContractApproval{Version: a.Version, Round: a.Round,
		Decision: upper[model.ApprovalDecision](string(a.Decision)), Role: upper[model.Role](string(a.Role)),
		StaffID: relay.ID("Staff", a.StaffID), Amount: a.Amount, Note: a.Note, At: a.At}
}

func lineOut(l schedule.Line, frozen bool) model.ChargeLine {
	out := model.ChargeLine{Code: string(l.Code), Version: l.Version, Period: l.Period, BillPeriod: l.BillPeriod,
		DueDate: l.DueDate, Amount: l.Amount, Days: l.Days, Basis: l.Basis, Frozen: frozen}
	if l.Of != "" {
		of := string(l.Of)
		out.Of = &of
	}
	return out
}

func settlementOut(s leasing.Settlement) *model.Settlement {
	out := &model.Settlement{Lines: make([]model.ChargeLine, len(s.Lines)), Outstanding: s.Outstanding,
		DepositHeld: s.DepositHeld, Net: s.Net}
	for i, l := range s.Lines {
		out.Lines[i] = lineOut(l, false)
	}
	return out
}

func unitIn(mall uuid.UUID, code string, kind model.UnitKind, floor string, zone *string, in model.UpdateUnitInput) leasing.UnitInput {
	return leasing.UnitInput{MallID: mall, Code: code, Kind: leasing.UnitKind(lower(kind)), Floor: floor,
		Zone: deref(zone), GrossArea: in.GrossArea, LettableArea: in.LettableArea, OffMarket: in.OffMarket}
}

// optionalID parses an optional global ID (nil when absent).
func optionalID(typeName string, id *string, field string) (*uuid.UUID, error) {
	if id == nil || *id == "" {
		return nil, nil
	}
	u, err := relay.ParseAs(typeName, *id)
	if err != nil {
		return nil, invalidID(field, typeName)
	}
	return &u, nil
}

// unitIDs parses the unit ids of a contract input.
func unitIDs(ids []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(ids))
	for i, id := range ids {
		u, err := relay.ParseAs("Unit", id)
		if err != nil {
			return nil, invalidID("input.unitIds", "Unit")
		}
		out[i] = u
	}
	return out, nil
}

func contractIn(mall string, tenant *string, newTenant *model.NewTenantInput, brand *string, units []string, terms schedule.Terms) (leasing.ContractInput, error) {
	mallID, err := globalID("Mall", mall)
	if err != nil {
		return leasing.ContractInput{}, err
	}
	in := leasing.ContractInput{MallID: mallID, Terms: terms}
	if in.BrandID, err = optionalID("Brand", brand, "input.brandId"); err != nil {
		return in, err
	}
	if in.UnitIDs, err = unitIDs(units); err != nil {
		return in, err
	}
	if newTenant != nil {
		in.NewMerchant = &org.CreateMerchantInput{Code: newTenant.Code, Name: newTenant.Name, Category: deref(newTenant.Category)}
		return in, nil
	}
	m, err := optionalID("Merchant", tenant, "input.tenantId")
	if err == nil && m == nil {
		err = invalidID("input.tenantId", "Merchant")
	}
	if m != nil {
		in.MerchantID = *m
	}
	return in, err
}

func roleOf(r model.Role) auth.Role { return auth.Role(lower(r)) }

// Node loaders of the leasing context (node.go).

// NodeUnit loads a Unit for node(id:).
func (r *Resolver) NodeUnit(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	u, err := r.Leasing.Unit(ctx, id)
	return unitOut(u), err
}

// NodeContract loads a Contract for node(id:).
func (r *Resolver) NodeContract(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	c, err := r.Leasing.Contract(ctx, id)
	return contractOut(c), err
}

func unitPayload(u leasing.Unit, err error) (model.UnitPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.UnitPayload{UserErrors: ue}, err
	}
	out := unitOut(u)
	return model.UnitPayload{Unit: &out, UserErrors: ue}, nil
}

func contractPayload(c leasing.Contract, err error) (model.ContractPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.ContractPayload{UserErrors: ue}, err
	}
	out := contractOut(c)
	return model.ContractPayload{Contract: &out, UserErrors: ue}, nil
}

func contractFilter(status *model.ContractStatus, unit, tenant *string) (leasing.ContractFilter, error) {
	var f leasing.ContractFilter
	if status != nil {
		f.Status = leasing.Status(lower(*status))
	}
	u, err := optionalID("Unit", unit, "unitId")
	if err != nil {
		return f, err
	}
	m, err := optionalID("Merchant", tenant, "tenantId")
	if err != nil {
		return f, err
	}
	f.UnitID, f.MerchantID = deref(u), deref(m)
	return f, nil
}
