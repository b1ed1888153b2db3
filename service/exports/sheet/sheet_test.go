package sheet

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

func TestSerial(t *testing.T) {
	cases := []struct {
		name string
		at   time.Time
		want float64
	}{
		{"epoch", time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC), 0},
		{"first of 2026 in UTC", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 46023},
		{"noon", time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), 46023.5},
		{"UTC evening is the next morning in Shanghai", time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), 46023},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			zone := time.UTC
			if strings.Contains(tc.name, "Shanghai") {
				zone = sh
			}
			if got := Serial(tc.at, zone); got != tc.want {
				t.Fatalf("Serial = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValues(t *testing.T) {
	w, err := New([]Column{{Header: "x", Kind: Text}}, sh)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, sh)
	var none *time.Time
	cases := []struct {
		name    string
		kind    Kind
		in      any
		want    any
		wantErr bool
	}{
		{"money from fen", Money, int64(123456), 1234.56, false},
		{"negative money", Money, int64(-5), -0.05, false},
		{"int", Int, 7, int64(7), false},
		{"date", Date, at, 46023.0, false},
		{"nil date pointer", Date, none, nil, false},
		{"zero time is empty", DateTime, time.Time{}, nil, false},
		{"percent", Percent, 0.125, 0.125, false},
		{"text of a number", Text, 12, "12", false},
		{"money from a string", Money, "12", nil, true},
		{"date from a string", Date, "2026-01-01", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.value(tc.kind, tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("value = %v, %v; want %v (error %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestWorkbook writes a small workbook and reads it back: header, formats, frozen pane,
// widths and the chart of the summary sheet.
func TestWorkbook(t *testing.T) {
	cols := []Column{{Header: "姓名", Kind: Text}, {Header: "次数", Kind: Int}, {Header: "金额", Kind: Money},
		{Header: "日期", Kind: Date}, {Header: "时间", Kind: DateTime}, {Header: "占比", Kind: Percent, Width: 9}}
	w, err := New(cols, sh)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, sh)
	for i := range 10 {
		if err := w.Row([]any{"张三", int64(i), int64(100*i + 1), at, &at, 0.5}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Row([]any{"缺", nil, nil, nil, nil, nil}); err != nil {
		t.Fatal(err)
	}
	if err := w.Summary(Chart{Title: "每月", Months: []string{"2026-01", "2026-02"},
		Series: []Series{{Name: "金额", Kind: Money, Values: []int64{100, 250}}, {Name: "笔数", Kind: Int, Values: []int64{1, 2}}}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(DataSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 12 || strings.Join(rows[0], ",") != "姓名,次数,金额,日期,时间,占比" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	if rows[2][2] != "¥1.01" || rows[2][3] != "2026-03-04" || rows[2][4] != "2026-03-04 05:06:07" || rows[2][5] != "50.00%" {
		t.Fatalf("row 2 shows %v", rows[2])
	}
	for col, want := range map[string]string{"C2": "¥#,##0.00", "D2": "yyyy-mm-dd", "E2": "yyyy-mm-dd hh:mm:ss", "F2": "0.00%"} {
		id, _ := f.GetCellStyle(DataSheet, col)
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != want {
			t.Fatalf("%s format %v, want %s (%v)", col, st, want, err)
		}
	}
	p, err := f.GetPanes(DataSheet)
	if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Fatalf("panes %+v, %v", p, err)
	}
	if wd, _ := f.GetColWidth(DataSheet, "F"); wd != 9 {
		t.Fatalf("width of F %v", wd)
	}
	sum, _ := f.GetRows(SummarySheet)
	if len(sum) != 3 || sum[2][1] != "¥2.50" {
		t.Fatalf("summary %v", sum)
	}
	if !chartIn(t, &buf, f) {
		t.Fatal("no chart in the workbook")
	}
}

func chartIn(t *testing.T, _ *bytes.Buffer, f *excelize.File) bool {
	t.Helper()
	n := 0
	f.Pkg.Range(func(k, _ any) bool {
		if strings.HasPrefix(k.(string), "xl/charts/chart") {
			n++
		}
		return true
	})
	return n == 1
}
