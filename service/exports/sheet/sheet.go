// Package sheet writes one export as an .xlsx workbook with excelize's StreamWriter, so
// memory stays bounded however many rows there are (excelize#406, #590: normal mode
// keeps every cell in memory). The data sheet is written only through its
// StreamWriter — header, rows, column widths, the frozen header row (SetPanes) — and
// never touched by a normal-mode call (excelize#1601: such calls on a streamed sheet
// are silently lost). The optional monthly summary is a second, small sheet written in
// normal mode after the data sheet is flushed, with a native Excel chart of its table.
//
// Cells are typed by their column's Kind: text; integers; money, given in fen and shown
// in yuan as ¥#,##0.00; dates and date-times, shown in the export's time zone;
// percentages, given as a fraction (0.125) and shown as 12.50%.
package sheet

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Kind is how a column's values are given and shown.
type Kind int

// The kinds of columns.
const (
	Text     Kind = iota // string
	Int                  // int64 (int, int32 too)
	Money                // int64 fen, shown in yuan: ¥#,##0.00
	Date                 // time.Time (or *time.Time, nil: empty), shown yyyy-mm-dd
	DateTime             // time.Time (or *time.Time), shown yyyy-mm-dd hh:mm:ss
	Percent              // float64 fraction, shown 0.00%
	Number               // float64 (a quantity: points, kWh), shown #,##0.00
)

// Number formats of the kinds (custom formats; Text and Int use none / "0").
var formats = map[Kind]string{
	Int:      "#,##0",
	Money:    "¥#,##0.00",
	Date:     "yyyy-mm-dd",
	DateTime: "yyyy-mm-dd hh:mm:ss",
	Percent:  "0.00%",
	Number:   "#,##0.00",
}

// Format is the number format of a kind ("" for text).
func Format(k Kind) string { return formats[k] }

// Column is one column: its header (Chinese, as users read it), kind and width in
// characters (0: a width by kind).
type Column struct {
	Header string
	Kind   Kind
	Width  float64
}

// MaxRows is the most data rows a sheet holds (Excel's 1,048,576 rows, one the header).
const MaxRows = 1048575

// DataSheet and SummarySheet are the sheets' names.
const (
	DataSheet    = "数据"
	SummarySheet = "月度汇总"
)

// Writer writes one workbook. Use Row for each data row, then Summary (optional) and
// Close.
type Writer struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	cols   []Column
	styles []int
	zone   *time.Location
	buf    []any
	cells  []excelize.Cell
	rows   int
	closed bool
}

// New starts a workbook with the data sheet's header row; times are shown in zone.
func New(cols []Column, zone *time.Location) (*Writer, error) {
	if len(cols) == 0 {
		return nil, fmt.Errorf("sheet: no columns")
	}
	f := excelize.NewFile()
	w := &Writer{f: f, cols: cols, zone: zone, styles: make([]int, len(cols)), buf: make([]any, len(cols)),
		cells: make([]excelize.Cell, len(cols))}
	if err := w.start(); err != nil {
		_ = f.Close()
		return nil, err
	}
	return w, nil
}

func (w *Writer) start() error {
	if err := w.f.SetSheetName("Sheet1", DataSheet); err != nil {
		return err
	}
	head, err := w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	for i, c := range w.cols {
		if fm := formats[c.Kind]; fm != "" {
			if w.styles[i], err = w.f.NewStyle(&excelize.Style{CustomNumFmt: &fm}); err != nil {
				return err
			}
		}
	}
	if w.sw, err = w.f.NewStreamWriter(DataSheet); err != nil {
		return err
	}
	// Column widths and panes go before the first row (the stream writes <cols> and
	// <sheetViews> ahead of <sheetData>).
	for i, c := range w.cols {
		if err := w.sw.SetColWidth(i+1, i+1, width(c)); err != nil {
			return err
		}
	}
	if err := w.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	header := make([]any, len(w.cols))
	for i, c := range w.cols {
		header[i] = excelize.Cell{StyleID: head, Value: c.Header}
	}
	return w.sw.SetRow("A1", header, excelize.RowOpts{Height: 20})
}

// width is the column's width: given, or by kind and header length.
func width(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := map[Kind]float64{Text: 16, Int: 10, Money: 14, Date: 12, DateTime: 20, Percent: 10, Number: 14}[c.Kind]
	return max(w, float64(len([]rune(c.Header)))*2+2)
}

// Rows is the number of data rows written so far.
func (w *Writer) Rows() int { return w.rows }

// Row writes one data row, a value per column of the column's kind (nil: empty).
func (w *Writer) Row(values []any) error {
	if len(values) != len(w.cols) {
		return fmt.Errorf("sheet: row of %d values for %d columns", len(values), len(w.cols))
	}
	if w.rows >= MaxRows {
		return fmt.Errorf("sheet: more than %d rows", MaxRows)
	}
	for i, v := range values {
		cv, err := w.value(w.cols[i].Kind, v)
		if err != nil {
			return fmt.Errorf("sheet: column %q: %w", w.cols[i].Header, err)
		}
		if cv == nil {
			w.buf[i] = nil
			continue
		}
		w.cells[i] = excelize.Cell{StyleID: w.styles[i], Value: cv}
		w.buf[i] = w.cells[i]
	}
	w.rows++
	cell, _ := excelize.CoordinatesToCellName(1, w.rows+1)
	return w.sw.SetRow(cell, w.buf)
}

// value converts a value of kind k to what the cell holds (nil: empty).
func (w *Writer) value(k Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case Text:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return fmt.Sprint(v), nil
	case Int:
		return toInt(v)
	case Money:
		fen, err := toInt(v)
		if err != nil {
			return nil, err
		}
		return float64(fen) / 100, nil
	case Date, DateTime:
		t, ok := v.(time.Time)
		if p, isPtr := v.(*time.Time); isPtr {
			if p == nil {
				return nil, nil
			}
			t, ok = *p, true
		}
		if !ok {
			return nil, fmt.Errorf("want a time, got %T", v)
		}
		if t.IsZero() {
			return nil, nil
		}
		return Serial(t, w.zone), nil
	case Percent, Number:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		}
		if k == Number {
			if n, err := toInt(v); err == nil {
				return float64(n), nil
			}
		}
		return nil, fmt.Errorf("want a float64, got %T", v)
	}
	return nil, fmt.Errorf("unknown kind %d", k)
}

func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	}
	return 0, fmt.Errorf("want an integer, got %T", v)
}

// excelEpoch is day 0 of Excel's 1900 date system as it counts after February 1900.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// Serial is t's wall-clock time in zone as an Excel date serial (days since
// 1899-12-30, the fraction the time of day).
func Serial(t time.Time, zone *time.Location) float64 {
	if zone != nil {
		t = t.In(zone)
	}
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return float64(wall.Sub(excelEpoch)) / float64(24*time.Hour)
}

// Chart is a monthly summary: a table of months by series, drawn as a native Excel
// column chart (a line chart when Line).
type Chart struct {
	Title  string
	Months []string // category labels, e.g. "2026-01"
	Series []Series
	Line   bool
}

// Series is one measure per month, of kind Int or Money (fen).
type Series struct {
	Name   string
	Kind   Kind
	Values []int64 // one per month
}

// Summary adds the monthly summary sheet with its chart. Call it after the last Row.
func (w *Writer) Summary(c Chart) error {
	if err := w.flush(); err != nil {
		return err
	}
	if len(c.Months) == 0 || len(c.Series) == 0 {
		return nil
	}
	if _, err := w.f.NewSheet(SummarySheet); err != nil {
		return err
	}
	head := []any{"月份"}
	for _, s := range c.Series {
		head = append(head, s.Name)
	}
	if err := w.f.SetSheetRow(SummarySheet, "A1", &head); err != nil {
		return err
	}
	for i, m := range c.Months {
		row := []any{m}
		for _, s := range c.Series {
			if len(s.Values) != len(c.Months) {
				return fmt.Errorf("sheet: series %q has %d values for %d months", s.Name, len(s.Values), len(c.Months))
			}
			if s.Kind == Money {
				row = append(row, float64(s.Values[i])/100)
			} else {
				row = append(row, s.Values[i])
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := w.f.SetSheetRow(SummarySheet, cell, &row); err != nil {
			return err
		}
	}
	last := len(c.Months) + 1
	series := make([]excelize.ChartSeries, len(c.Series))
	for j, s := range c.Series {
		col, _ := excelize.ColumnNumberToName(j + 2)
		if fm := formats[s.Kind]; fm != "" {
			st, err := w.f.NewStyle(&excelize.Style{CustomNumFmt: &fm})
			if err != nil {
				return err
			}
			if err := w.f.SetCellStyle(SummarySheet, col+"2", fmt.Sprintf("%s%d", col, last), st); err != nil {
				return err
			}
		}
		series[j] = excelize.ChartSeries{Name: fmt.Sprintf("'%s'!$%s$1", SummarySheet, col),
			Categories: fmt.Sprintf("'%s'!$A$2:$A$%d", SummarySheet, last),
			Values:     fmt.Sprintf("'%s'!$%s$2:$%s$%d", SummarySheet, col, col, last)}
	}
	_ = w.f.SetColWidth(SummarySheet, "A", "A", 12)
	typ := excelize.Col
	if c.Line {
		typ = excelize.Line
	}
	anchor, _ := excelize.CoordinatesToCellName(len(c.Series)+3, 2)
	return w.f.AddChart(SummarySheet, anchor, &excelize.Chart{Type: typ, Series: series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 360}})
}

func (w *Writer) flush() error {
	if w.closed {
		return nil
	}
	w.closed = true
	return w.sw.Flush()
}

// WriteTo finishes the workbook and writes it to out. excelize's own WriteTo builds
// the whole archive in a bytes.Buffer first (the size of the file, then copied); the
// archive goes straight to out instead, through the File's ZipWriter hook, so a
// million-row file never sits in memory whole.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	if err := w.flush(); err != nil {
		return 0, err
	}
	w.f.SetActiveSheet(0)
	cw := &counter{w: out}
	w.f.ZipWriter = func(io.Writer) excelize.ZipWriter { return zip.NewWriter(cw) }
	buf, err := w.f.WriteToBuffer() // empty: the archive went to cw
	if err != nil {
		return cw.n, err
	}
	if buf.Len() > 0 {
		return cw.n, fmt.Errorf("sheet: %d bytes left in excelize's buffer", buf.Len())
	}
	return cw.n, nil
}

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Close releases the workbook's temporary files.
func (w *Writer) Close() error { return w.f.Close() }
