package members

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/atrium-mall/atrium/service/errs"
)

// importRows: a header and rows 2..9, of which rows 3, 5, 6, 7 and 9 are bad.
var importRows = [][]string{
	{"姓名", "手机号", "性别", "生日", "标签", "推荐人"},
	{"甲", "13700000001", "男", "1990-01-02", "vip;亲子", ""},   // 2 ok
	{"乙", "1370000", "女", "", "", ""},                       // 3 bad phone
	{"丙", "13700000003", "", "1985/7/8", "", "13700000001"}, // 4 ok, referred by row 2
	{"丁", "13700000001", "", "", "", ""},                    // 5 duplicate of row 2
	{"戊", "13700000005", "", "not a date", "", ""},          // 6 bad date
	{"己", "13700000006", "", "", "", "13799999999"},         // 7 unknown referrer
	{"", "", "", "", "", ""},                                // 8 blank: skipped
	{"", "13700000008", "", "", "", ""},                     // 9 no name
	{"庚", "+86 137 0000 0010", "female", "", "a,b", ""},     // 10 ok
}

var wantImportErrors = []ImportRowError{
	{Row: 3, Field: "phone", Code: "INVALID_INPUT"},
	{Row: 5, Field: "phone", Code: "DUPLICATE_PHONE"},
	{Row: 6, Field: "birthday", Code: "INVALID_INPUT"},
	{Row: 7, Field: "referrer", Code: "REFERRER_NOT_FOUND"},
	{Row: 9, Field: "name", Code: "INVALID_INPUT"},
}

func TestImportCSVAndXLSX(t *testing.T) {
	f := setup(t)
	var csvBuf bytes.Buffer
	csvBuf.WriteString("\xef\xbb\xbf")
	for _, r := range importRows {
		csvBuf.WriteString(strings.Join(quoteAll(r), ",") + "\n")
	}
	xlsx := excelize.NewFile()
	for i, r := range importRows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := xlsx.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	xlsxBuf, err := xlsx.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		format string
		data   []byte
		mall   string
	}{{FormatCSV, csvBuf.Bytes(), "A"}, {FormatXLSX, xlsxBuf.Bytes(), "B"}} {
		ops := f.opsA
		mall := f.mallA
		if c.mall == "B" { // the same rows into group B: phones are unique per group only
			ops, mall = f.staff(grantOps(f.groupB)), f.mallB
		}
		rep, err := f.svc.ImportMembers(ops, mall, c.format, bytes.NewReader(c.data))
		if err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		if rep.Imported != 3 || len(rep.MemberIDs) != 3 {
			t.Fatalf("%s: imported %d", c.format, rep.Imported)
		}
		got := make([]ImportRowError, len(rep.Errors))
		for i, e := range rep.Errors {
			if e.Message == "" {
				t.Errorf("%s row %d: no message", c.format, e.Row)
			}
			got[i] = ImportRowError{Row: e.Row, Field: e.Field, Code: e.Code}
		}
		if !reflect.DeepEqual(got, wantImportErrors) {
			t.Fatalf("%s errors:\n got %+v\nwant %+v", c.format, got, wantImportErrors)
		}
		ref, _ := loadMember(f.ctx, f.db.Pool, rep.MemberIDs[1])
		first, _ := loadMember(f.ctx, f.db.Pool, rep.MemberIDs[0])
		if ref.ReferrerID == nil || *ref.ReferrerID != first.ID || ref.SourceChannel != ChannelImport || len(first.Tags) != 2 {
			t.Fatalf("%s: imported rows %+v / %+v", c.format, first, ref)
		}
	}
	// Nothing partial: exactly the good rows exist, 3 per group.
	if n := f.count(`SELECT count(*) FROM members WHERE phone LIKE '137%'`); n != 6 {
		t.Fatalf("members after import = %d", n)
	}
}

func TestImportRefusals(t *testing.T) {
	f := setup(t)
	cases := []struct {
		name   string
		ctx    any
		format string
		data   string
		want   error
	}{
		{"desk staff may not import", f.deskA, FormatCSV, "name,phone\n", errs.ErrForbidden},
		{"other group", f.opsA, FormatCSV, "name,phone\n", errs.ErrForbidden},
		{"no phone column", f.opsA, FormatCSV, "name,email\nx,y\n", ErrImportFormat},
		{"broken csv", f.opsA, FormatCSV, "name,phone\n\"x,1\n", ErrImportFormat},
		{"not a workbook", f.opsA, FormatXLSX, "PK\x03\x04garbage", ErrImportFormat},
		{"unknown format", f.opsA, "ods", "", errs.ErrInvalid},
		{"empty", f.opsA, FormatCSV, "", ErrImportFormat},
	}
	for _, c := range cases {
		mall := f.mallA
		if c.name == "other group" {
			mall = f.mallB
		}
		if _, err := f.svc.ImportMembers(ctxOf(c.ctx), mall, c.format, strings.NewReader(c.data)); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// FuzzImportTable: any file either fails with a typed error or yields rows that parse
// to profiles or typed row errors; never a panic.
func FuzzImportTable(f *testing.F) {
	f.Add("csv", []byte("name,phone,birthday\nA,13800000000,1990-01-01\n"))
	f.Add("csv", []byte("\"unterminated"))
	f.Add("xlsx", []byte("PK\x03\x04"))
	f.Add("csv", []byte("姓名,手机\n,\n"))
	f.Fuzz(func(t *testing.T, format string, data []byte) {
		rows, err := readTable(format, bytes.NewReader(data))
		if err != nil {
			if _, ok := errs.As(err); !ok {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if len(rows) == 0 {
			return
		}
		cols, err := header(rows[0])
		if err != nil {
			return
		}
		for _, r := range rows[1:] {
			p, err := parseRow(cols, r)
			if err == nil {
				_, err = normalize(p, "", true, importNow)
			}
			if err != nil {
				if e, ok := errs.As(err); !ok || e.Kind != errs.KindUser {
					t.Fatalf("row error not a user error: %v", err)
				}
			}
		}
	})
}

func quoteAll(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	return out
}

// A file uploaded to the presigned URL is imported once, only by the mall it was
// started for, and deleted afterwards.
func TestImportFromUpload(t *testing.T) {
	f := setup(t)
	up, err := f.svc.StartImportUpload(f.opsA, f.mallA)
	if err != nil {
		t.Fatal(err)
	}
	if up.URL == "" || !strings.HasPrefix(up.Key, "imports/"+f.mallA.String()+"/") {
		t.Fatalf("upload = %+v", up)
	}
	if _, err := f.svc.StartImportUpload(f.deskA, f.mallA); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("desk staff started an import: %v", err)
	}
	file := "name,phone\n甲,13700000101\n乙,1370\n"
	if err := f.objects.Put(f.ctx, up.Key, strings.NewReader(file), int64(len(file)), "text/csv"); err != nil {
		t.Fatal(err)
	}
	for name, key := range map[string]string{
		"another mall's key": "imports/" + f.mallB.String() + "/" + up.Key[len(up.Key)-36:],
		"a photo key":        "members/" + f.mallA.String() + "/photo/x",
		"a path":             up.Key + "/../x",
	} {
		if _, err := f.svc.ImportMembersFromUpload(f.opsA, f.mallA, FormatCSV, key); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	rep, err := f.svc.ImportMembersFromUpload(f.opsA, f.mallA, FormatCSV, up.Key)
	if err != nil || rep.Imported != 1 || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 {
		t.Fatalf("import = %+v, %v", rep, err)
	}
	if _, err := f.svc.ImportMembersFromUpload(f.opsA, f.mallA, FormatCSV, up.Key); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("the same upload imported twice: %v", err)
	}
}

// An uploaded file refused for its content is deleted too (it holds phone numbers).
func TestRefusedUploadIsDeleted(t *testing.T) {
	f := setup(t)
	up, err := f.svc.StartImportUpload(f.opsA, f.mallA)
	if err != nil {
		t.Fatal(err)
	}
	file := "name,email\nA,a@example.com\n" // no phone column
	if err := f.objects.Put(f.ctx, up.Key, strings.NewReader(file), int64(len(file)), "text/csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportMembersFromUpload(f.opsA, f.mallA, FormatCSV, up.Key); !errors.Is(err, ErrImportFormat) {
		t.Fatalf("import: %v, want ErrImportFormat", err)
	}
	if _, err := f.objects.Get(f.ctx, up.Key); err == nil {
		t.Error("the refused file is still stored")
	}
}
