package assets_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/xuri/excelize/v2"

	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
)

const openingHeader = "tag,name,category,location_kind,location,acquired_on,in_service_on,cost,salvage,life_months,method,accumulated,opening_on\n"

// TestImportOpeningAssets: a file with a bad row imports nothing and names the row; the
// corrected file registers the opening asset with its accumulated depreciation, the job
// depreciates what is left from the opening date over the life that is left, and the
// ledger verifies.
func TestImportOpeningAssets(t *testing.T) {
	t.Parallel()
	f := setup(t, at(2026, 1, 5, 9))
	bad := openingHeader +
		"ESC-1,Escalator 1,EQUIP,ZONE,L1,2025-01-01,2025-01-01,36000.00,0,36,STRAIGHT_LINE,13000.00,2026-01-01\n" +
		"ESC-2,Escalator 2,EQUIP,ZONE,L1,2025-01-01,2025-01-01,36000.00,0,36,STRAIGHT_LINE,40000.00,2026-01-01\n" +
		"ESC-3,Escalator 3,EQUIP,ZONE,L1,2025-13-01,2025-01-01,1.005,0,36,STRAIGHT_LINE,0,2026-01-01\n"
	res, err := f.svc.ImportOpening(f.finance, f.org.MallID, "csv", []byte(bad))
	if err != nil || len(res.Imported) != 0 || len(res.Errors) != 2 || res.Errors[0].Line != 3 || res.Errors[1].Line != 4 {
		t.Fatalf("bad file: %+v, %v", res, err)
	}
	if _, err := f.svc.ByTag(f.finance, f.org.MallID, "ESC-1"); err == nil {
		t.Fatal("a row of a bad file was imported")
	}
	x := excelize.NewFile()
	for r, line := range [][]any{
		{"标签", "名称", "类别", "位置类型", "位置", "购置日期", "启用日期", "原值", "残值", "使用月数", "折旧方法", "累计折旧", "期初日期"},
		{"ESC-1", "Escalator 1", "EQUIP", "ZONE", "L1", "2025-01-01", "2025-01-01", "36000.00", "0", "36", "STRAIGHT_LINE", "13000.00", "2026-01-01"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := x.SetSheetRow("Sheet1", cell, &line); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err = f.svc.ImportOpening(f.finance, f.org.MallID, "xlsx", buf.Bytes())
	if err != nil || len(res.Imported) != 1 || len(res.Errors) != 0 {
		t.Fatalf("good file: %+v, %v", res, err)
	}
	a := res.Imported[0]
	if v, err := f.svc.Valuation(f.finance, a.ID, dep.D(2025, 12, 31)); err != nil || v.BookValue != 2_300_000 {
		t.Fatalf("opening book value %+v, %v", v, err)
	}
	f.verify(t)
	f.base.Clock.Set(at(2026, 2, 1, 9))
	if rep, err := f.svc.PostDepreciation(context.Background()); err != nil || rep.Lines != 1 || rep.Amount != 95_833 {
		t.Fatalf("January of the opening asset: %+v, %v", rep, err)
	}
	f.verify(t)
}
