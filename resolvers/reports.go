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
	f, err := reports.ParseMonth(from)
	if err != nil {
		return model.ReportTable{}, errs.Invalid("from", "a month is YYYY-MM")
	}
	t, err := reports.ParseMonth(to)
	if err != nil {
		return model.ReportTable{}, errs.Invalid("to", "a month is YYYY-MM")
	}
	return tableOut(run(id, reports.Range{From: f, To: t}))
}

// tableOut maps a report's table; on an error nothing of it is shown.
func tableOut(t reports.Table, err error) (model.ReportTable, error) {
	if err != nil {
		return model.ReportTable{}, err
	}
	out := model.ReportTable{Name: t.Name, AsOf: t.AsOf, Rows: make([][]*string, len(t.Rows))}
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
