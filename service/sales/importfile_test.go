package sales

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// workbookWithSheet returns a valid .xlsx whose first sheet's XML is replaced by
// sheetXML (written through the deflater, so a huge sheet makes a small file).
func workbookWithSheet(t *testing.T, sheetXML func(w io.Writer)) []byte {
	t.Helper()
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]string{"date", "amount"})
	base, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			sheetXML(w)
			continue
		}
		r, _ := zf.Open()
		_, _ = io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// sheetWithCell writes a sheet: the header row, then one row whose date cell is n bytes.
func sheetWithCell(n int) func(io.Writer) {
	return func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
			`<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c><c r="B1" t="inlineStr"><is><t>amount</t></is></c></row>`+
			`<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		chunk := strings.Repeat("a", 1<<20)
		for range n >> 20 {
			io.WriteString(w, chunk)
		}
		io.WriteString(w, `</t></is></c><c r="B2" t="inlineStr"><is><t>100</t></is></c></row></sheetData></worksheet>`)
	}
}

// TestHostileSalesFilesAreRefusedInBoundedMemory: a workbook whose sheet unzips to
// 400 MB, a cell over the cell limit, and a CSV of too many rows are each refused with
// IMPORT_FORMAT without unzipping or holding the bulk.
func TestHostileSalesFilesAreRefusedInBoundedMemory(t *testing.T) {
	cases := []struct {
		name     string
		format   string
		file     func(t *testing.T) []byte
		maxAlloc uint64
	}{
		{"zip bomb: a 400 MB cell", FormatXLSX, func(t *testing.T) []byte { return workbookWithSheet(t, sheetWithCell(400<<20)) }, 48 << 20},
		{"a 2 MB cell within the unzip limit", FormatXLSX, func(t *testing.T) []byte { return workbookWithSheet(t, sheetWithCell(2<<20)) }, 48 << 20},
		{"a CSV of a million rows", FormatCSV, func(*testing.T) []byte {
			return []byte("date,amount\n" + strings.Repeat("2026-11-01,1\n", 600_000))
		}, 48 << 20},
		{"a CSV cell over the limit", FormatCSV, func(*testing.T) []byte {
			return []byte("date,amount\n2026-11-01," + strings.Repeat("9", MaxCellBytes+1) + "\n")
		}, 8 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.file(t)
			if len(data) > MaxImportBytes {
				t.Fatalf("the hostile file is %d bytes, over the upload limit: it would not test the reader", len(data))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := ReadTable(tc.format, bytes.NewReader(data))
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrImportFormat) {
				t.Fatalf("err = %v, want IMPORT_FORMAT", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > tc.maxAlloc+uint64(len(data))*3 {
				t.Fatalf("reading it allocated %d MB", alloc>>20)
			}
			if took > 20*time.Second {
				t.Fatalf("reading it took %s", took)
			}
		})
	}
}

// FuzzReadCSV: the CSV decoder and the row parser never panic, and every refusal is
// IMPORT_FORMAT; rows they accept are within the limits.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"date,amount\n2026-11-01,100\n",
		"\xef\xbb\xbfmerchant,日期,营业额\nA1,2026/11/3,\"1,200.50\"\n",
		"date,amount\n\"unterminated,5\n",
		"date,amount\n2026-11-01,-1\n2026-11-01,1e9\n,\n",
		"a\"b,c\n",
	} {
		f.Add([]byte(seed))
	}
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadTable(FormatCSV, bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrImportFormat) {
				t.Fatalf("refusal %v is not IMPORT_FORMAT", err)
			}
			return
		}
		if len(rows) > MaxImportRows+1 {
			t.Fatalf("%d rows accepted", len(rows))
		}
		good, _, err := ParseTable(rows, today, false)
		if err != nil && !errors.Is(err, ErrImportFormat) {
			t.Fatalf("parse error %v is not IMPORT_FORMAT", err)
		}
		for _, r := range good {
			if r.Amount.IsNegative() || r.Day.After(today) {
				t.Fatalf("bad row accepted: %+v", r)
			}
		}
	})
}
