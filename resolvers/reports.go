package resolvers

import (
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/reports"
)

// monthReport reads a mall's global id and a range of months, then runs the report.
func monthReport(mallID, from, to string, run func(uuid.UUID, reports.Range) (reports.Table, error)) (model.ReportTable, error) {
	id, err := globalID("Mall", mallID)
	if err != nil {
		return model.ReportTable{}, err
	}
	rg, err := reportRange(from, to)
	if err != nil {
		return model.ReportTable{}, err
	}
	return tableOut(run(id, rg))
}

// reportRange reads a range of months ("YYYY-MM", both included).
func reportRange(from, to string) (reports.Range, error) {
	f, err := reports.ParseMonth(from)
	if err != nil {
		return reports.Range{}, errs.Invalid("from", "a month is YYYY-MM")
	}
	t, err := reports.ParseMonth(to)
	if err != nil {
		return reports.Range{}, errs.Invalid("to", "a month is YYYY-MM")
	}
	return reports.Range{From: f, To: t}, nil
}

// tableOut maps a report's table; on an error nothing of it is shown.
func tableOut(t reports.Table, err error) (model.ReportTable, error) {
	if err != nil {
		return model.ReportTable{}, err
	}
	out := model.ReportTable{Name: t.Name, AsOf: t.AsOf, Rows: make([][]*string, len(t.Rows)), ReadReplica: t.Read.Replica}
	if t.Read.Lag != nil {
		ms := int(t.Read.Lag.Milliseconds())
		out.ReplicaLagMs = &ms
	}
	for _, c := range t.Columns {
		out.Columns = append(out.Columns, model.ReportColumn{Key: c.Key, Title: c.Title, Kind: model.ReportColumnKind(c.Kind)})
	}
	for i, row := range t.Rows {
		out.Rows[i] = make([]*string, len(row))
		for j, v := range row {
			if s := reports.Cell(v); v != nil && !(isNilFloat(v)) {
				out.Rows[i][j] = &s
			}
		}
	}
	return out, nil
}

func isNilFloat(v any) bool {
	f, ok := v.(*float64)
	return ok && f == nil
}
