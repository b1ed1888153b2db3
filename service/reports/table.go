package reports

import (
	"time"

	"github.com/shopspring/decimal"
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
}

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
