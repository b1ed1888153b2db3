package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
)

// checkSeedBrands (TestSeedDemoContent): the demo seed, run twice, leaves 10 brands and one pipeline whose
// funnel has a won prospect, lost ones with their reasons and real conversion times.
func checkSeedBrands(t *testing.T, e *env) {
	ctx := context.Background()
	a := e.app
	g, err := a.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	ctx = auth.WithViewer(ctx, org.SystemViewer(g))
	mall, err := a.Services.Org.MallByCode(ctx, "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	bs, err := a.Services.Brands.Brands(ctx, g.ID, brands.BrandFilter{}, page.Request{First: 50})
	if err != nil || len(bs.Items) != 10 {
		t.Fatalf("brands: %d, %v", len(bs.Items), err)
	}
	ps, err := a.Services.Brands.Prospects(ctx, mall.ID, brands.ProspectFilter{}, page.Request{First: 50})
	if err != nil || len(ps.Items) != 9 {
		t.Fatalf("prospects: %d, %v", len(ps.Items), err)
	}
	f, err := a.Services.Brands.Funnel(ctx, mall.ID, time.Now().AddDate(0, 0, -90), time.Now().Add(time.Hour))
	if err != nil || f.Prospects != 9 || f.Won != 1 || f.Lost != 2 || len(f.LostReasons) != 2 ||
		f.Steps[1].MedianDays == nil || *f.Steps[1].MedianDays < 1 {
		t.Errorf("funnel: %+v, %v", f, err)
	}
}
