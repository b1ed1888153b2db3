package sales

import (
	"io"

	"github.com/atrium-mall/atrium/service/tabular"
)

// Import file formats.
const (
	FormatCSV  = tabular.CSV
	FormatXLSX = tabular.XLSX
)

// Import limits, checked while a file is read (service/tabular). A year of days for 30
// merchants fits in one file.
const (
	MaxImportBytes   = 8 << 20  // the file as uploaded
	MaxImportRows    = 20000    // data rows, besides the header
	MaxImportColumns = 16       // cells read of a row
	MaxCellBytes     = 256      // one cell's text
	MaxUnzippedBytes = 32 << 20 // a workbook's contents, uncompressed
	MaxSheetXMLBytes = 16 << 20 // one sheet's XML held in memory
)

var importLimits = tabular.Limits{Bytes: MaxImportBytes, Rows: MaxImportRows, Columns: MaxImportColumns,
	CellBytes: MaxCellBytes, Unzipped: MaxUnzippedBytes, SheetXML: MaxSheetXMLBytes}

// ReadTable returns the rows of an import file (the first sheet of a workbook),
// refusing with IMPORT_FORMAT a file past the limits or unreadable.
func ReadTable(format string, r io.Reader) ([][]string, error) {
	return tabular.Read(format, r, importLimits)
}
