package reports

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/storage"
)

// Kind is what a column holds, for display and export formats.
type Kind string

// The column kinds and the Go type of their cells.
const (
	KindText    Kind = "TEXT"    // string
	KindInt     Kind = "INT"     // int64
	KindMoney   Kind = "MONEY"   // decimal.Decimal, CNY
	KindPoints  Kind = "POINTS"  // decimal.Decimal
	KindPercent Kind = "PERCENT" // *float64 (nil: not defined), 0–100
	KindNumber  Kind = "NUMBER"  // decimal.Decimal (area, kWh)
	KindMonth   Kind = "MONTH"   // string YYYY-MM
)

// Column is one column of a table: a stable key, a Chinese title and its kind.
type Column struct {
	Key   string
	Title string
	Kind  Kind
}

// Table is a report as columns and rows of cells (each cell of its column's Go type,
// or nil), the shape GraphQL serves and exports write.
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
	AsOf    *time.Time // sources rolled up to (nil: read live from the owner)
	// Read says whether the rows came from the read replica and its replay lag then
	// (Replica false and Lag nil: the primary).
	Read storage.ReadSource
	// Summary is the monthly summary an export draws as a chart (nil: none).
	Summary *Summary
}

// Summary is a table's monthly summary: a value per month of each series.
type Summary struct {
	Title  string
	Months []string // YYYY-MM, in order
	Series []SummarySeries
}

// SummarySeries is one measure of a summary: KindInt (counts, points, kWh rounded) or
// KindMoney (yuan).
type SummarySeries struct {
	Name   string
	Kind   Kind
	Values []decimal.Decimal // one per month
}

// summarize sums, per month, the values that value gives of each row (each of the
// series named), months in order.
func summarize[T any](title string, rows []T, month func(T) (string, bool), series []SummarySeries,
	value func(T) []decimal.Decimal) *Summary {
	out := &Summary{Title: title, Series: series}
	at := map[string]int{}
	for _, r := range rows {
		m, ok := month(r)
		if !ok {
			continue
		}
		i, seen := at[m]
		if !seen {
			i = len(out.Months)
			at[m] = i
			out.Months = append(out.Months, m)
			for j := range out.Series {
				out.Series[j].Values = append(out.Series[j].Values, decimal.Zero)
			}
		}
		for j, v := range value(r) {
			out.Series[j].Values[i] = out.Series[j].Values[i].Add(v)
		}
	}
	if len(out.Months) == 0 {
		return nil
	}
	return out
}

func dec(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// Cell renders a cell as text: money and points with two decimals, percentages with
// one, nil as "".
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return decimal.NewFromInt(x).String()
	case int:
		return decimal.NewFromInt(int64(x)).String()
	case decimal.Decimal:
		return x.StringFixed(2)
	case *float64:
		if x == nil {
			return ""
		}
		return decimal.NewFromFloat(*x).StringFixed(1)
	case float64:
		return decimal.NewFromFloat(x).StringFixed(1)
	}
	return ""
}
