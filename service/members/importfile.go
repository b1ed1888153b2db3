package members

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

// Import limits: what a file may hold, checked while it is read, so a hostile file (a
// zip bomb, a 400 MB cell, a million rows) is refused in bounded time and memory.
const (
	MaxImportBytes   = 20 << 20 // the file as uploaded
	MaxImportRows    = 20000    // data rows, besides the header
	MaxImportColumns = 64       // cells read of a row
	MaxCellBytes     = 1 << 10  // one cell's text
	MaxUnzippedBytes = 64 << 20 // a workbook's contents, uncompressed
	MaxSheetXMLBytes = 32 << 20 // one sheet's XML held in memory
)

// columns maps accepted header spellings (English and Chinese) to profile fields.
var columns = map[string]string{
	"name": "name", "姓名": "name",
	"phone": "phone", "mobile": "phone", "手机": "phone", "手机号": "phone", "电话": "phone",
	"gender": "gender", "性别": "gender",
	"birthday": "birthday", "生日": "birthday",
	"anniversary": "anniversary", "纪念日": "anniversary",
	"tags": "tags", "标签": "tags",
	"source": "sourceChannel", "source_channel": "sourceChannel", "sourcechannel": "sourceChannel", "来源": "sourceChannel",
	"referrer": "referrer", "推荐人": "referrer",
}

// readTable returns the rows of an import file (the first sheet of a workbook).
func readTable(format string, r io.Reader) ([][]string, error) {
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

// readCSV reads the rows of a CSV file within the import limits.
func readCSV(data []byte) ([][]string, error) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
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
	return rows, it.Error()
}

// header maps column index → profile field; name and phone columns are required.
func header(row []string) (map[int]string, error) {
	out := map[int]string{}
	seen := map[string]bool{}
	for i, h := range row {
		f, ok := columns[strings.ToLower(strings.TrimSpace(h))]
		if ok && !seen[f] {
			out[i], seen[f] = f, true
		}
	}
	if !seen["name"] || !seen["phone"] {
		return nil, ErrImportFormat.Msgf("the first row must name the columns, including name and phone")
	}
	return out, nil
}

// parseRow turns one data row into a profile (validation comes later, in normalize).
func parseRow(cols map[int]string, row []string) (Profile, error) {
	var p Profile
	for i, cell := range row {
		cell = strings.TrimSpace(cell)
		switch cols[i] {
		case "name":
			p.Name = cell
		case "phone":
			p.Phone = cell
		case "gender":
			p.Gender = cell
		case "birthday", "anniversary":
			d, ok := ParseDate(cell)
			if !ok {
				return p, errs.Invalid(cols[i], "date must look like 2006-01-02")
			}
			if cols[i] == "birthday" {
				p.Birthday = d
			} else {
				p.Anniversary = d
			}
		case "tags":
			p.Tags = strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(",;|、，；", r) })
		case "sourceChannel":
			p.SourceChannel = cell
		case "referrer":
			p.Referrer = cell
		}
	}
	return p, nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowError converts a row's failure to its report line.
func rowError(n int, err error) ImportRowError {
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.KindUser {
		return ImportRowError{Row: n, Code: "INTERNAL", Message: "internal error"}
	}
	if errors.Is(err, ErrPhoneTaken) {
		e = ErrDuplicatePhone.At("phone")
	}
	field := strings.TrimPrefix(strings.Join(e.Field, "."), "input.")
	return ImportRowError{Row: n, Field: field, Code: e.Code, Message: e.Message}
}
