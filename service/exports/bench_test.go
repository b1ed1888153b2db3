package exports_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/exports/sheet"
)

// synthetic is a source of n generated rows of every kind, read in pages of PageSize
// as a list's keyset pages are (each page a fresh allocation, like rows off the
// database). It stands for a large list without seeding a million rows of another
// context's tables.
type synthetic struct{ n int64 }

var syntheticColumns = []exports.Column{{Header: "编号", Kind: exports.Int}, {Header: "姓名", Kind: exports.Text},
	{Header: "手机号", Kind: exports.Text}, {Header: "金额", Kind: exports.Money}, {Header: "日期", Kind: exports.Date},
	{Header: "时间", Kind: exports.DateTime}, {Header: "占比", Kind: exports.Percent}, {Header: "备注", Kind: exports.Text}}

func (synthetic) Spec() exports.Spec {
	return exports.Spec{Kind: "synthetic", Title: "合成数据", Columns: syntheticColumns}
}

func (s synthetic) Open(context.Context, exports.Filter) (exports.Rows, error) {
	var i int64
	at := time.Date(2026, 1, 1, 9, 30, 0, 0, sh)
	next := func(context.Context) ([][]any, error) {
		n := min(exports.PageSize, s.n-i)
		page := make([][]any, n)
		for k := range page {
			i++
			page[k] = []any{i, fmt.Sprintf("会员%07d", i), fmt.Sprintf("139%08d", i), i * 137 % 1000000,
				at.AddDate(0, 0, int(i%365)), at.Add(time.Duration(i) * time.Second), float64(i%100) / 100, "合成行"}
		}
		return page, nil
	}
	sum := func(context.Context) (*exports.Chart, error) {
		return &exports.Chart{Title: "每月金额", Months: []string{"2026-01", "2026-02", "2026-03"},
			Series: []exports.Series{{Name: "金额", Kind: exports.Money, Values: []int64{100000, 250000, 175000}}}}, nil
	}
	return exports.Rows{Total: s.n, Next: next, Summary: sum}, nil
}

// TestSyntheticExport writes a few pages of every kind of column through the job and
// reads them back: row count, money/date/percent formats, frozen header, the chart.
func TestSyntheticExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.svc.Register(synthetic{n: 2500})
	e, err := f.svc.Start(f.desk, "synthetic", exports.Filter{MallID: f.org.MallID})
	if err != nil {
		t.Fatal(err)
	}
	e = f.run(t, f.desk, e.ID)
	x := f.download(t, f.desk, e.ID)
	checkWorkbook(t, x, 2500)
}

// checkWorkbook reads a synthetic export back: rows (streamed, so a million rows read
// back in bounded memory), the header, the formats of the first data row, the pane and
// the chart.
func checkWorkbook(t testing.TB, x *excelize.File, n int) {
	t.Helper()
	rows, err := x.Rows(sheet.DataSheet)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for rows.Next() {
		count++
		if count <= 2 {
			cols, _ := rows.Columns()
			if count == 1 && (cols[0] != "编号" || cols[3] != "金额" || cols[6] != "占比") {
				t.Fatalf("header %v", cols)
			}
			if count == 2 && (cols[3] != "¥1.37" || cols[4] != "2026-01-02" || cols[5] != "2026-01-01 09:30:01" || cols[6] != "1.00%") {
				t.Fatalf("first row shows %v", cols)
			}
		}
	}
	_ = rows.Close()
	if count != n+1 {
		t.Fatalf("%d rows read back, want %d and the header", count, n)
	}
	for cell, want := range map[string]string{"D2": "¥#,##0.00", "E2": "yyyy-mm-dd", "F2": "yyyy-mm-dd hh:mm:ss", "G2": "0.00%"} {
		id, _ := x.GetCellStyle(sheet.DataSheet, cell)
		st, err := x.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != want {
			t.Fatalf("%s: format %+v, want %s", cell, st, want)
		}
	}
	if p, _ := x.GetPanes(sheet.DataSheet); !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Fatalf("header row not frozen: %+v", p)
	}
	if x.GetSheetList()[1] != sheet.SummarySheet {
		t.Fatalf("sheets %v", x.GetSheetList())
	}
}

// childEnv carries the row count to the child process of BenchmarkExportMillionRows.
const childEnv = "ATRIUM_EXPORT_BENCH_ROWS"

// TestExportBenchChild is BenchmarkExportMillionRows' child process (skipped
// otherwise): it runs one export of the synthetic source through the job — pages,
// StreamWriter, temporary file, upload to MinIO — and writes how long the job took
// and the file it downloaded.
func TestExportBenchChild(t *testing.T) {
	n, _ := strconv.ParseInt(os.Getenv(childEnv), 10, 64)
	if n == 0 {
		t.Skip("the child of BenchmarkExportMillionRows")
	}
	f := setup(t)
	f.svc.Register(synthetic{n: n})
	e, err := f.svc.Start(f.desk, "synthetic", exports.Filter{MallID: f.org.MallID})
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := f.svc.Execute(context.Background(), e.ID, true); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	got, _ := f.svc.Get(f.desk, e.ID)
	if got.Status != exports.StatusDone {
		t.Fatalf("export %+v", got)
	}
	var rss syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &rss)
	url, _, err := f.svc.Link(f.desk, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := os.Getenv(childEnv + "_OUT")
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.Create(out + ".xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(file, resp.Body); err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	_ = file.Close()
	res, _ := json.Marshal(map[string]any{"rows": got.RowsDone, "seconds": took.Seconds(), "bytes": *got.SizeBytes,
		"maxrssKB": rss.Maxrss})
	if err := os.WriteFile(out, res, 0o600); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkExportMillionRows exports 1,000,000 rows (the synthetic source) in a child
// process and prints rows per second and the child's peak RSS (getrusage maxrss of the
// whole process: the test fixture, the job and the upload); it fails above 200 MB.
// Then it reads the file back with excelize: row count, header, formats, pane.
// Run: go test -run '^$' -bench ExportMillionRows -benchtime 1x ./service/exports/
// (ATRIUM_EXPORT_BENCH_ROWS overrides the count).
func BenchmarkExportMillionRows(b *testing.B) {
	n := int64(1_000_000)
	if v, err := strconv.ParseInt(os.Getenv(childEnv), 10, 64); err == nil && v > 0 {
		n = v
	}
	for b.Loop() {
		out := filepath.Join(b.TempDir(), "result.json")
		cmd := exec.Command(os.Args[0], "-test.run", "^TestExportBenchChild$", "-test.count", "1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", childEnv, n), childEnv+"_OUT="+out)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("child: %v", err)
		}
		peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KB on Linux
		raw, err := os.ReadFile(out)
		if err != nil {
			b.Fatal(err)
		}
		var res struct {
			Rows    int64   `json:"rows"`
			Seconds float64 `json:"seconds"`
			Bytes   int64   `json:"bytes"`
		}
		if err := json.Unmarshal(raw, &res); err != nil {
			b.Fatal(err)
		}
		mb := float64(peak) / 1024
		fmt.Printf("export of %d rows: %.1f s, %.0f rows/s, file %.1f MB, peak RSS %.1f MB\n", res.Rows, res.Seconds,
			float64(res.Rows)/res.Seconds, float64(res.Bytes)/(1<<20), mb)
		b.ReportMetric(float64(res.Rows)/res.Seconds, "rows/s")
		b.ReportMetric(mb, "peakRSS-MB")
		if res.Rows != n || mb > 200 {
			b.Fatalf("%d rows, peak RSS %.1f MB (limit 200)", res.Rows, mb)
		}
		x, err := excelize.OpenFile(out + ".xlsx")
		if err != nil {
			b.Fatal(err)
		}
		checkWorkbook(b, x, int(n))
		_ = x.Close()
	}
}
