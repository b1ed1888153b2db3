package resolvers

import (
	"encoding/json"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/billing/ageing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/page"
)

func tariffsOut(ts []billing.Tariff) []model.EnergyTariff {
	out := make([]model.EnergyTariff, len(ts))
	for i, t := range ts {
		raw, _ := json.Marshal(t.Tariff)
		out[i] = model.EnergyTariff{MeterKind: t.MeterKind, EffectiveFrom: t.EffectiveFrom, Tariff: string(raw)}
	}
	return out
}

func energyUsageOut(u *billing.EnergyUsage) *model.EnergyUsage {
	if u == nil {
		return nil
	}
	out := &model.EnergyUsage{MeterKind: u.MeterKind, Unit: u.Unit, Period: u.Period, Estimated: u.Estimated,
		Flags: append([]string{}, u.Flags...), Reasons: append([]string{}, u.Reasons...), Consumption: u.Consumption}
	cut := func(c billing.CutoffReading) model.CutoffReading {
		r := model.CutoffReading{Cutoff: c.Cutoff, At: c.At, Value: c.Value, Kind: c.Kind}
		for _, p := range c.Readings {
			r.ReadingsAt = append(r.ReadingsAt, p.At)
		}
		return r
	}
	for _, m := range u.Meters {
		out.Meters = append(out.Meters, model.MeterCutoffs{MeterID: m.MeterID, Start: cut(m.Start), End: cut(m.End),
			Consumption: m.Consumption})
	}
	return out
}

func requestOut(a billing.Approval) model.BillingRequest {
	out := model.BillingRequest{ID: a.ID.String(), MallID: relay.ID("Mall", a.MallID),
		TenantID: relay.ID("Merchant", a.MerchantID), Kind: upper[model.BillingRequestKind](string(a.Kind)),
		LineIds: []string{}, Amount: a.Amount, Reason: a.Reason, Status: upper[model.BillingRequestStatus](string(a.Status)),
		RequestedAt: a.RequestedAt, DecidedAt: a.DecidedAt}
	if a.ContractID != nil {
		c := relay.ID("Contract", *a.ContractID)
		out.ContractID = &c
	}
	for _, l := range a.LineIDs {
		out.LineIds = append(out.LineIds, l.String())
	}
	return out
}

func requestPayload(a billing.Approval, err error) (model.BillingRequestPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.BillingRequestPayload{UserErrors: ue}, err
	}
	out := requestOut(a)
	return model.BillingRequestPayload{Request: &out, UserErrors: ue}, nil
}

func requestConnection(res page.Result[billing.Approval]) model.BillingRequestConnection {
	edges, info := connection(res, func(a billing.Approval) uuid.UUID { return a.ID },
		func(cur string, a billing.Approval) model.BillingRequestEdge {
			return model.BillingRequestEdge{Cursor: cur, Node: requestOut(a)}
		})
	return model.BillingRequestConnection{Edges: edges, PageInfo: info}
}

func statementOut(s ageing.Statement) model.TenantStatement {
	out := model.TenantStatement{Period: s.Period, Opening: s.Opening, Closing: s.Closing, Lines: []model.StatementLine{}}
	for _, l := range s.Lines {
		out.Lines = append(out.Lines, model.StatementLine{On: l.On, Kind: string(l.Kind), Ref: l.Ref, Amount: l.Amount,
			Text: l.Text, Balance: l.Balance})
	}
	return out
}

func outstandingOut(t billing.TenantAgeing) model.TenantOutstanding {
	out := model.TenantOutstanding{TenantID: relay.ID("Merchant", t.MerchantID), AsOf: t.AsOf, Total: t.Total}
	for _, r := range t.Rows {
		out.Buckets = append(out.Buckets, model.AgeingBucket{Bucket: string(r.Bucket), Amount: r.Amount})
	}
	return out
}

// lineIDs parses bill line ids (plain uuids, as BillLine.id gives them).
func lineIDs(ids []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(ids))
	for i, s := range ids {
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, billing.ErrWaiverLine.At("lineIds")
		}
		out[i] = id
	}
	return out, nil
}

func depositInput(in model.DepositRequestInput) (billing.DepositInput, error) {
	id, err := globalID("Contract", in.ContractID)
	return billing.DepositInput{ContractID: id, Amount: in.Amount, Reason: in.Reason, IdempotencyKey: in.IdempotencyKey}, err
}

// requestID parses a billing request's id (a plain uuid).
func requestID(s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return id, billing.ErrApprovalStatus.At("id").Msgf("no such request")
	}
	return id, nil
}

// dateOr is the date given, or the zero date (the service reads it as the mall's today).
func dateOr(d *schedule.Date) schedule.Date {
	if d == nil {
		return schedule.Date{}
	}
	return *d
}
