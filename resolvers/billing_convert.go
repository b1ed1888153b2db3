package resolvers

import (
	"context"
	"sort"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/page"
)

func billRunOut(r billing.Run) model.BillRun {
	return model.BillRun{ID: relay.ID("BillRun", r.ID), MallID: relay.ID("Mall", r.MallID), Period: r.Period,
		Status: upper[model.BillRunStatus](string(r.Status)), Total: r.Total, Done: r.Done, Billed: r.Billed,
		Skipped: r.Skipped, Error: r.Error, CreatedAt: r.CreatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Svc: r}
}

func billRunConnection(res page.Result[billing.Run]) model.BillRunConnection {
	edges, info := connection(res, func(r billing.Run) uuid.UUID { return r.ID },
		func(cur string, r billing.Run) model.BillRunEdge {
			return model.BillRunEdge{Cursor: cur, Node: billRunOut(r)}
		})
	return model.BillRunConnection{Edges: edges, PageInfo: info}
}

func runItemConnection(res page.Result[billing.RunItem]) model.BillRunItemConnection {
	edges, info := connection(res, func(it billing.RunItem) uuid.UUID { return it.ContractID },
		func(cur string, it billing.RunItem) model.BillRunItemEdge {
			return model.BillRunItemEdge{Cursor: cur, Node: model.BillRunItem{ContractID: relay.ID("Contract", it.ContractID),
				TenantID: relay.ID("Merchant", it.MerchantID), Billed: it.Billed, Reason: it.Reason, Lines: it.Lines,
				Gross: it.Gross}}
		})
	return model.BillRunItemConnection{Edges: edges, PageInfo: info}
}

func billOut(b billing.Bill) model.Bill {
	out := model.Bill{ID: relay.ID("Bill", b.ID), MallID: relay.ID("Mall", b.MallID), Kind: upper[model.BillKind](string(b.Kind)),
		TenantID: relay.ID("Merchant", b.MerchantID), Period: b.Period, Status: upper[model.BillStatus](string(b.Status)),
		Net: b.Net, Vat: b.VAT, Gross: b.Gross, Outstanding: b.Outstanding, CreatedAt: b.CreatedAt, IssuedAt: b.IssuedAt,
		VoidReason: b.VoidReason, Svc: b}
	if b.DueOn != nil {
		d := schedule.DateOf(*b.DueOn)
		out.DueOn = &d
	}
	if b.RunID != uuid.Nil {
		run := relay.ID("BillRun", b.RunID)
		out.RunID = &run
	}
	return out
}

func billConnection(res page.Result[billing.Bill]) model.BillConnection {
	edges, info := connection(res, func(b billing.Bill) uuid.UUID { return b.ID },
		func(cur string, b billing.Bill) model.BillEdge { return model.BillEdge{Cursor: cur, Node: billOut(b)} })
	return model.BillConnection{Edges: edges, PageInfo: info}
}

func billLineOut(b billing.Bill, l billing.Line) model.BillLine {
	out := model.BillLine{Svc: l, Bill: b, ID: l.ID.String(), ContractID: relay.ID("Contract", l.ContractID),
		Source: upper[model.BillLineSource](string(l.Source)), Code: l.Code, PeriodStart: l.Period.Start,
		PeriodEnd: l.Period.End, DueOn: l.DueOn, VatRate: l.VATRate, Net: l.Net, Vat: l.VAT, Gross: l.Gross,
		Outstanding: l.Outstanding, Basis: l.Basis}
	if l.Of != "" {
		of := l.Of
		out.Of = &of
	}
	return out
}

func oneOffOut(o billing.OneOff) model.OneOffCharge {
	return model.OneOffCharge{ID: relay.ID("OneOffCharge", o.ID), ContractID: relay.ID("Contract", o.ContractID),
		TenantID: relay.ID("Merchant", o.MerchantID), Code: o.Code, Amount: o.Amount, Description: o.Description,
		CreatedAt: o.CreatedAt, Billed: o.BilledLine != nil}
}

func oneOffConnection(res page.Result[billing.OneOff]) model.OneOffChargeConnection {
	edges, info := connection(res, func(o billing.OneOff) uuid.UUID { return o.ID },
		func(cur string, o billing.OneOff) model.OneOffChargeEdge {
			return model.OneOffChargeEdge{Cursor: cur, Node: oneOffOut(o)}
		})
	return model.OneOffChargeConnection{Edges: edges, PageInfo: info}
}

func vatRatesOut(rs billing.Rates) []model.VatRate {
	out := make([]model.VatRate, 0, len(rs))
	for code, rate := range rs {
		out = append(out, model.VatRate{Code: code, Rate: rate})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

func billFilter(status *model.BillStatus, tenantID, period, runID *string) (billing.BillFilter, error) {
	var f billing.BillFilter
	var err error
	if status != nil {
		f.Status = billing.BillStatus(lower(*status))
	}
	if tenantID != nil {
		if f.MerchantID, err = globalID("Merchant", *tenantID); err != nil {
			return f, err
		}
	}
	if period != nil {
		f.Period = *period
	}
	if runID != nil {
		f.RunID, err = globalID("BillRun", *runID)
	}
	return f, err
}

func billPayload(b billing.Bill, err error) (model.BillPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.BillPayload{UserErrors: ue}, err
	}
	out := billOut(b)
	return model.BillPayload{Bill: &out, UserErrors: ue}, nil
}

// NodeBill loads a Bill for node(id:).
func (r *Resolver) NodeBill(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	b, err := r.Billing.Bill(ctx, id)
	return billOut(b), err
}

// NodeBillRun loads a BillRun for node(id:).
func (r *Resolver) NodeBillRun(ctx context.Context, id uuid.UUID) (relay.Node, error) {
	run, err := r.Billing.Run(ctx, id)
	return billRunOut(run), err
}
