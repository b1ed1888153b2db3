package exports

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/exports/sheet"
)

// Column is one column of an export: its Chinese header, kind and width (sheet.Column).
type Column = sheet.Column

// Kind is how a column's values are given (sheet.Kind).
type Kind = sheet.Kind

// The kinds of columns, and the Go value each takes (nil: an empty cell).
const (
	Text     = sheet.Text     // string
	Int      = sheet.Int      // int64
	Money    = sheet.Money    // int64 fen, shown ¥#,##0.00
	Date     = sheet.Date     // time.Time or *time.Time, in the mall's zone
	DateTime = sheet.DateTime // time.Time or *time.Time, in the mall's zone
	Percent  = sheet.Percent  // float64 fraction
	Number   = sheet.Number   // float64 quantity (points, kWh)
)

// Chart is a source's monthly summary (sheet.Chart), drawn as a native Excel chart.
type Chart = sheet.Chart

// Series is one measure of a monthly summary (sheet.Series).
type Series = sheet.Series

// Source is one list or report that can be exported. Register it with Service.Register.
type Source interface {
	// Spec names the source and its columns; it never changes.
	Spec() Spec
	// Open checks that the caller (the viewer in ctx) may read the list with this
	// filter — the same check as the list's own query — and returns its rows. It is
	// called when the export starts (so a caller who may not read the list gets
	// FORBIDDEN at once) and again in the job, under the creator's grants as they are
	// then, with ctx marked storage.PreferReplica: reads made through the owner's
	// db.Reader(ctx) come from the read replica when one is configured.
	Open(ctx context.Context, f Filter) (Rows, error)
}

// Spec describes a source.
type Spec struct {
	Kind    string   // stable id, the GraphQL ExportKind in lower case: "members", "bills"
	Title   string   // Chinese title: the file name's start, e.g. "会员列表"
	Columns []Column // in order
}

// Filter narrows a source; each source reads the fields it knows and ignores the rest.
// MallID is required: an export belongs to one mall.
type Filter struct {
	MallID     uuid.UUID         `json:"mallId"`
	Status     string            `json:"status,omitempty"`
	From       *time.Time        `json:"from,omitempty"`
	To         *time.Time        `json:"to,omitempty"`
	CardID     uuid.UUID         `json:"cardId,omitzero"`
	MerchantID uuid.UUID         `json:"merchantId,omitzero"`
	Period     string            `json:"period,omitempty"`
	Tag        string            `json:"tag,omitempty"`
	Category   string            `json:"category,omitempty"`
	Params     map[string]string `json:"params,omitempty"` // anything else a source reads
}

// Rows are an opened source's rows.
type Rows struct {
	// Total is how many rows Next will return (the progress' denominator).
	Total int64
	// Next returns the next page of rows, each a value per column of the column's
	// kind; an empty page ends the rows. A source reads keyset pages (PageSize rows
	// after the last one's key), so memory holds one page at a time.
	Next func(ctx context.Context) ([][]any, error)
	// Summary, when not nil, gives the monthly summary drawn as a chart (called after
	// the last page; a nil chart: none).
	Summary func(ctx context.Context) (*Chart, error)
}

// PageSize is how many rows a source reads per page.
const PageSize = 1000

// Pages turns a keyset-paged list into Next: list reads up to PageSize items after the
// cursor (uuid.Nil: from the start) and says whether there are more; key gives an
// item's cursor; row its values.
func Pages[T any](list func(ctx context.Context, after uuid.UUID) ([]T, bool, error), key func(T) uuid.UUID,
	row func(T) []any) func(ctx context.Context) ([][]any, error) {
	after, done := uuid.Nil, false
	return func(ctx context.Context) ([][]any, error) {
		if done {
			return nil, nil
		}
		items, more, err := list(ctx, after)
		if err != nil {
			return nil, err
		}
		done = !more || len(items) == 0
		out := make([][]any, len(items))
		for i, it := range items {
			out[i] = row(it)
		}
		if len(items) > 0 {
			after = key(items[len(items)-1])
		}
		return out, nil
	}
}
