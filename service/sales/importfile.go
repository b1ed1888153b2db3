package sales

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/atrium-mall/atrium/service/errs"
)

// Import file formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Import limits, checked while a file is read, so a hostile file (a zip bomb, a huge
// cell, a million rows) is refused in bounded time and memory (the approach of the
// members import). A year of days for 30 merchants fits in one file.
const (
	MaxImportBytes   = 8 << 20  // the file as uploaded
	MaxImportRows    = 20000    // data rows, besides the header
	MaxImportColumns = 16       // cells read of a row
	MaxCellBytes     = 256      // one cell's text
	MaxUnzippedBytes = 32 << 20 // a workbook's contents, uncompressed
	MaxSheetXMLBytes = 16 << 20 // one sheet's XML held in memory
)

// ReadTable returns the rows of an import file (the first sheet of a workbook),
// refusing with IMPORT_FORMAT a file past the limits or unreadable.
func ReadTable(format string, r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, ErrImportFormat.Msgf("the file is larger than %d MB", MaxImportBytes>>20)
	}
	switch strings.ToLower(format) {
	case FormatCSV:
		return readCSV(data)
	case FormatXLSX:
		return readXLSX(data)
	}
	return nil, errs.Invalid("input.format", "format must be csv or xlsx")
}

// readCSV reads the rows of a CSV file within the limits (a UTF-8 byte-order mark,
// as Excel writes, is dropped).
func readCSV(data []byte) ([][]string, error) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows [][]string
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, ErrImportFormat.Msgf("malformed CSV: %v", err)
		}
		if rows, err = appendRow(rows, row); err != nil {
			return nil, err
		}
	}
}

// appendRow adds a row read from a file, refusing one past the limits.
func appendRow(rows [][]string, row []string) ([][]string, error) {
	if len(rows) > MaxImportRows {
		return nil, ErrImportFormat.Msgf("at most %d rows per file", MaxImportRows)
	}
	if len(row) > MaxImportColumns {
		row = row[:MaxImportColumns]
	}
	for _, cell := range row {
		if len(cell) > MaxCellBytes {
			return nil, ErrImportFormat.Msgf("row %d has a cell longer than %d bytes", len(rows)+1, MaxCellBytes)
		}
	}
	return append(rows, row), nil
}

func readXLSX(data []byte) (rows [][]string, err error) {
	defer func() { // excelize may panic on hostile archives; a bad file is bad input
		if recover() != nil {
			rows, err = nil, ErrImportFormat.Msgf("malformed workbook")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzippedBytes, UnzipXMLSizeLimit: MaxSheetXMLBytes})
	if err != nil {
		return nil, ErrImportFormat.Msgf("malformed or oversized workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrImportFormat.Msgf("the workbook has no sheet")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, ErrImportFormat.Msgf("malformed workbook: %v", err)
	}
	defer it.Close()
	for it.Next() {
		row, err := it.Columns()
		if err != nil {
			return nil, ErrImportFormat.Msgf("malformed workbook: %v", err)
		}
		if rows, err = appendRow(rows, row); err != nil {
			return nil, err
		}
	}
	if it.Error() != nil {
		return nil, ErrImportFormat.Msgf("malformed workbook: %v", it.Error())
	}
	return rows, nil
}
