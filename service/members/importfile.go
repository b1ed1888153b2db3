package members

import (
	"errors"
	"io"
	"strings"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/tabular"
)

// Import file formats.
const (
	FormatCSV  = tabular.CSV
	FormatXLSX = tabular.XLSX
)

// Import limits: what a file may hold, checked while it is read (service/tabular).
const (
	MaxImportBytes   = 20 << 20 // the file as uploaded
	MaxImportRows    = 20000    // data rows, besides the header
	MaxImportColumns = 64       // cells read of a row
	MaxCellBytes     = 1 << 10  // one cell's text
	MaxUnzippedBytes = 64 << 20 // a workbook's contents, uncompressed
	MaxSheetXMLBytes = 32 << 20 // one sheet's XML held in memory
)

var importLimits = tabular.Limits{Bytes: MaxImportBytes, Rows: MaxImportRows, Columns: MaxImportColumns,
	CellBytes: MaxCellBytes, Unzipped: MaxUnzippedBytes, SheetXML: MaxSheetXMLBytes}

// ImportHeaders are the import's columns in Chinese, in the order the members export
// writes them (exports.MemberColumns): an exported file imports again.
var ImportHeaders = []string{"姓名", "手机号", "性别", "生日", "纪念日", "标签", "来源"}

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
	return tabular.Read(format, r, importLimits)
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
