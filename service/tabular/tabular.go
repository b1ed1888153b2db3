// Package tabular reads the rows of an import file — CSV, or the first sheet of an
// .xlsx workbook — for the contexts that import tables (members, tenant sales). Each
// context gives its own Limits; they are checked while the file is read, so a hostile
// file (a zip bomb, a 400 MB cell, a million rows) is refused with IMPORT_FORMAT in
// bounded time and memory. What the rows mean stays with the context.
package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/atrium-mall/atrium/service/errs"
)

// File formats.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// ErrFormat is a file that cannot be read, or is past its limits.
var ErrFormat = errs.New(errs.KindUser, "IMPORT_FORMAT", "the import file cannot be read")

// Limits bound what a file may hold.
type Limits struct {
	Bytes     int   // the file as uploaded
	Rows      int   // data rows, besides the header
	Columns   int   // cells read of a row (the rest are ignored)
	CellBytes int   // one cell's text
	Unzipped  int64 // a workbook's contents, uncompressed
	SheetXML  int64 // one sheet's XML held in memory
}

// Read returns the rows of a file in format (csv or xlsx) within the limits.
func Read(format string, r io.Reader, l Limits) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(l.Bytes)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > l.Bytes {
		return nil, ErrFormat.Msgf("the file is larger than %d MB", l.Bytes>>20)
	}
	switch strings.ToLower(format) {
	case CSV:
		return readCSV(data, l)
	case XLSX:
		return readXLSX(data, l)
	}
	return nil, errs.Invalid("input.format", "format must be csv or xlsx")
}

// readCSV reads the rows of a CSV file (a UTF-8 byte-order mark, as Excel writes, is
// dropped).
func readCSV(data []byte, l Limits) ([][]string, error) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, ErrFormat.Msgf("malformed CSV: %v", err)
		}
		if rows, err = appendRow(rows, row, l); err != nil {
			return nil, err
		}
	}
}

// appendRow adds a row read from a file, refusing one past the limits.
func appendRow(rows [][]string, row []string, l Limits) ([][]string, error) {
	if len(rows) > l.Rows {
		return nil, ErrFormat.Msgf("at most %d rows per file", l.Rows)
	}
	if len(row) > l.Columns {
		row = row[:l.Columns]
	}
	for _, cell := range row {
		if len(cell) > l.CellBytes {
			return nil, ErrFormat.Msgf("row %d has a cell longer than %d bytes", len(rows)+1, l.CellBytes)
		}
	}
	return append(rows, row), nil
}

func readXLSX(data []byte, l Limits) (rows [][]string, err error) {
	defer func() { // excelize may panic on hostile archives; a bad file is bad input
		if recover() != nil {
			rows, err = nil, ErrFormat.Msgf("malformed workbook")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: l.Unzipped, UnzipXMLSizeLimit: l.SheetXML})
	if err != nil {
		return nil, ErrFormat.Msgf("malformed or oversized workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrFormat.Msgf("the workbook has no sheet")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, ErrFormat.Msgf("malformed workbook: %v", err)
	}
	defer it.Close()
	for it.Next() {
		row, err := it.Columns()
		if err != nil {
			return nil, ErrFormat.Msgf("malformed workbook: %v", err)
		}
		if rows, err = appendRow(rows, row, l); err != nil {
			return nil, err
		}
	}
	if it.Error() != nil {
		return nil, ErrFormat.Msgf("malformed workbook: %v", it.Error())
	}
	return rows, nil
}
