package resolvers

import (
	"strings"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/exports"
)

func exportOut(e exports.Export) model.Export {
	out := model.Export{ID: relay.ID("Export", e.ID), MallID: relay.ID("Mall", e.MallID),
		Kind: model.ExportKind(strings.ToUpper(e.Kind)), Status: model.ExportStatus(e.Status), RowsDone: int(e.RowsDone),
		RowsTotal: intPtr(e.RowsTotal), FileName: e.FileName, SizeBytes: intPtr(e.SizeBytes), CreatedAt: e.CreatedAt,
		StartedAt: e.StartedAt, FinishedAt: e.FinishedAt, ExpiresAt: e.ExpiresAt, ReadFromReplica: e.ReadReplica}
	if e.Error != "" {
		out.Error = &e.Error
	}
	if e.ReplicaLag != nil {
		ms := int(e.ReplicaLag.Milliseconds())
		out.ReplicaLagMs = &ms
	}
	return out
}

func intPtr(n *int64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

func exportPayload(e exports.Export, err error) (model.ExportPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.ExportPayload{UserErrors: ue}, err
	}
	out := exportOut(e)
	return model.ExportPayload{Export: &out, UserErrors: ue}, nil
}

// exportFilter maps the GraphQL filter; ids are global IDs.
func exportFilter(in model.ExportFilter) (exports.Filter, error) {
	mall, err := globalID("Mall", in.MallID)
	if err != nil {
		return exports.Filter{}, err
	}
	f := exports.Filter{MallID: mall, From: in.From, To: in.To}
	for _, s := range []struct {
		to   *string
		from *string
	}{{&f.Status, in.Status}, {&f.Period, in.Period}, {&f.Tag, in.Tag}, {&f.Category, in.Category}} {
		if s.from != nil {
			*s.to = *s.from
		}
	}
	if in.CardID != nil {
		if f.CardID, err = globalID("Card", *in.CardID); err != nil {
			return f, err
		}
	}
	if in.TenantID != nil {
		if f.MerchantID, err = globalID("Merchant", *in.TenantID); err != nil {
			return f, err
		}
	}
	return f, nil
}
