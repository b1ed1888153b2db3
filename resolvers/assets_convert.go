package resolvers

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/page"
)

// yuanOf is fen as CNY.
func yuanOf(fen int64) decimal.Decimal { return decimal.New(fen, -2) }

func dayOf(d schedule.Date) time.Time { return d.In(time.UTC) }

func assetDateOut(t time.Time) schedule.Date { return schedule.DateOf(t) }

func dateOutPtr(t *time.Time) *schedule.Date {
	if t == nil || t.IsZero() {
		return nil
	}
	d := schedule.DateOf(*t)
	return &d
}

func idOrNil(typeName string, id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	s := relay.ID(typeName, *id)
	return &s
}

// assetLocationOut shows a unit location as the Unit's global ID.
func assetLocationOut(l assets.Location) model.AssetLocation {
	out := model.AssetLocation{Kind: model.AssetLocationKind(l.Kind), Ref: l.Ref}
	if l.Kind == assets.AtUnit {
		if id, err := uuid.Parse(l.Ref); err == nil {
			out.Ref = relay.ID("Unit", id)
		}
	}
	return out
}

// assetLocationIn reads a location input (a unit by its global ID).
func assetLocationIn(field string, in *model.AssetLocationInput) (*assets.Location, error) {
	if in == nil {
		return nil, nil
	}
	l := assets.Location{Kind: string(in.Kind), Ref: in.Ref}
	if in.Kind == model.AssetLocationKindUnit {
		id, err := inputID(field+".ref", "Unit", in.Ref)
		if err != nil {
			return nil, err
		}
		l.Ref = id.String()
	}
	return &l, nil
}

func assetOut(a assets.Asset) model.Asset {
	r := a.Rule
	out := model.Asset{ID: relay.ID("Asset", a.ID), MallID: relay.ID("Mall", a.MallID), Tag: a.Tag, Name: a.Name,
		CategoryID: relay.ID("AssetCategory", a.CategoryID), Location: assetLocationOut(a.Location),
		CustodianID: idOrNil("Staff", a.CustodianID), Supplier: a.Supplier, AcquiredOn: assetDateOut(a.AcquiredOn),
		InServiceOn: assetDateOut(r.InService), Cost: yuanOf(r.Cost), Salvage: yuanOf(r.Salvage), LifeMonths: r.LifeMonths,
		Method: model.DepreciationMethod(r.Method), FactorPct: r.FactorPct, TotalUnits: int(r.TotalUnits),
		OpeningOn: dateOutPtr(&r.OpeningDate), OpeningAccumulated: yuanOf(r.OpeningAccumulated),
		Status: model.AssetStatus(a.Status), DisposedOn: dateOutPtr(a.DisposedOn), Proceeds: yuanOf(a.Proceeds), Svc: a}
	if a.DisposalKind != "" {
		k := model.AssetDisposalKind(a.DisposalKind)
		out.DisposalKind = &k
	}
	return out
}

func assetPtr(a assets.Asset, err error) (*model.Asset, error) {
	if err != nil {
		return nil, err
	}
	out := assetOut(a)
	return &out, nil
}

func assetPayload(a assets.Asset, err error) (model.AssetPayload, error) {
	if err != nil {
		ue, err := userErrors(err)
		return model.AssetPayload{UserErrors: ue}, err
	}
	out := assetOut(a)
	return model.AssetPayload{Asset: &out, UserErrors: []model.UserError{}}, nil
}

func assetConnection(res page.Result[assets.Asset]) model.AssetConnection {
	edges, info := connection(res, func(a assets.Asset) uuid.UUID { return a.ID },
		func(cur string, a assets.Asset) model.AssetEdge {
			return model.AssetEdge{Cursor: cur, Node: assetOut(a)}
		})
	return model.AssetConnection{Edges: edges, PageInfo: info}
}

func assetStocktakeOut(st assets.Stocktake) model.AssetStocktake {
	return model.AssetStocktake{ID: relay.ID("AssetStocktake", st.ID), MallID: relay.ID("Mall", st.MallID),
		Location: assetLocationOut(st.Location), Status: model.AssetStocktakeStatus(st.Status), Note: st.Note,
		StartedAt: st.StartedAt}
}

func assetStocktakePayload(st assets.Stocktake, err error) (model.AssetStocktakePayload, error) {
	if err != nil {
		ue, err := userErrors(err)
		return model.AssetStocktakePayload{UserErrors: ue}, err
	}
	out := assetStocktakeOut(st)
	return model.AssetStocktakePayload{Stocktake: &out, UserErrors: []model.UserError{}}, nil
}

func stocktakeCountOut(res assets.Result) model.AssetStocktakeCount {
	return model.AssetStocktakeCount{Scans: res.Scans, Found: mapAll(res.Found, assetOut), Missing: mapAll(res.Missing, assetOut),
		Misplaced: mapAll(res.Misplaced, assetOut), Surplus: append([]string{}, res.Surplus...)}
}

func maintenancePlanOut(p assets.Plan) model.MaintenancePlan {
	return model.MaintenancePlan{ID: relay.ID("MaintenancePlan", p.ID), AssetID: relay.ID("Asset", p.AssetID),
		Title: p.Title, Every: model.MaintenanceEvery(p.Every), N: p.N, MeterDeviceID: p.MeterDeviceID,
		UsageEvery: p.UsageEvery, NextDue: dateOutPtr(p.NextDue), Active: p.Active}
}

func transferOut(t assets.Transfer) model.AssetTransfer {
	return model.AssetTransfer{From: assetLocationOut(t.From), To: assetLocationOut(t.To),
		FromCustodianID: idOrNil("Staff", t.FromCustodian), ToCustodianID: idOrNil("Staff", t.ToCustodian),
		Reason: t.Reason, At: t.At}
}

func maintenanceOut(m assets.MaintenanceRecord) model.AssetMaintenanceRecord {
	return model.AssetMaintenanceRecord{PlanID: relay.ID("MaintenancePlan", m.PlanID), DueKey: m.DueKey,
		OpenedAt: m.OpenedAt, WorkOrderID: relay.ID("WorkOrder", m.OrderID)}
}

func periodOut(p dep.Period) model.DepreciationPeriod {
	return model.DepreciationPeriod{Period: p.Key, Start: assetDateOut(p.Start), End: assetDateOut(p.End), Amount: yuanOf(p.Amount)}
}

// registerInput maps a registration.
func registerInput(in model.RegisterAssetInput) (assets.Input, error) {
	var out assets.Input
	var err error
	if out.MallID, err = inputID("input.mallId", "Mall", in.MallID); err != nil {
		return out, err
	}
	if out.CategoryID, err = inputID("input.categoryId", "AssetCategory", in.CategoryID); err != nil {
		return out, err
	}
	loc, err := assetLocationIn("input.location", &in.Location)
	if err != nil {
		return out, err
	}
	out.Location = *loc
	if in.CustodianID != nil {
		id, err := inputID("input.custodianId", "Staff", *in.CustodianID)
		if err != nil {
			return out, err
		}
		out.CustodianID = &id
	}
	out.Tag, out.Name, out.Supplier, out.InvoiceKey = orEmpty(in.Tag), in.Name, orEmpty(in.Supplier), orEmpty(in.InvoiceKey)
	out.AcquiredOn = dayOf(in.AcquiredOn)
	r := dep.Asset{InService: dayOf(in.InServiceOn), LifeMonths: in.LifeMonths, Method: dep.Method(in.Method),
		FactorPct: intOr(in.FactorPct), TotalUnits: int64(intOr(in.TotalUnits)), OpeningUnits: int64(intOr(in.OpeningUnits))}
	if in.OpeningOn != nil {
		r.OpeningDate = dayOf(*in.OpeningOn)
	}
	if r.Cost, err = fenOf("input.cost", in.Cost); err != nil {
		return out, err
	}
	if r.Salvage, err = optFenOf("input.salvage", in.Salvage); err != nil {
		return out, err
	}
	if r.OpeningAccumulated, err = optFenOf("input.openingAccumulated", in.OpeningAccumulated); err != nil {
		return out, err
	}
	out.Rule = r
	return out, nil
}

func intOr(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
