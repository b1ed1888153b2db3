package resolvers

import (
	"sort"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/shifts"
)

func shiftSessionOut(s shifts.Shift) model.ShiftSession {
	return model.ShiftSession{ID: relay.ID("ShiftSession", s.ID), MallID: relay.ID("Mall", s.MallID),
		MerchantID: commissionOptID("Merchant", s.MerchantID), Till: s.Till, CashierID: relay.ID("Staff", s.CashierID),
		Status: model.ShiftStatus(s.Status), Float: s.Float, OpenedAt: s.OpenedAt, ClosedAt: s.ClosedAt}
}

func shiftReportOut(r shifts.Report) model.ShiftReport {
	out := model.ShiftReport{Shift: shiftSessionOut(r.Shift), ByKind: []model.ShiftKindTotal{},
		Totals: []model.ShiftKindTotal{}, Expected: []model.ShiftExpected{}, Tallies: []model.ShiftTally{}}
	for _, k := range r.ByKind {
		out.ByKind = append(out.ByKind, model.ShiftKindTotal{Kind: k.Kind, Tender: model.ShiftTender(k.Tender),
			Total: k.Total, Ops: k.Ops})
	}
	for _, k := range r.Totals {
		out.Totals = append(out.Totals, model.ShiftKindTotal{Kind: k.Kind, Tender: model.ShiftTender(k.Tender),
			Total: k.Total, Ops: k.Ops})
	}
	for t, v := range r.Expected {
		out.Expected = append(out.Expected, model.ShiftExpected{Tender: model.ShiftTender(t), Amount: v})
	}
	sort.Slice(out.Expected, func(i, j int) bool { return out.Expected[i].Tender < out.Expected[j].Tender })
	for _, t := range r.Tallies {
		out.Tallies = append(out.Tallies, model.ShiftTally{Tender: model.ShiftTender(t.Tender), Expected: t.Expected,
			Counted: t.Counted, Variance: t.Variance, Result: t.Result()})
	}
	return out
}

func shiftPolicyOut(p shifts.Policy) model.ShiftPolicy {
	return model.ShiftPolicy{RequireAtDesk: p.RequireAtDesk, RequireAtTills: p.RequireAtTills}
}
