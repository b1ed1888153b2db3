package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// TestAssetDepreciationJobRunTwicePostsOnce: the depreciation worker, as wired by
// app.New, run twice in a month posts each closed month once.
func TestAssetDepreciationJobRunTwicePostsOnce(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	s := servicetest.New(t, storetest.DB(t), servicetest.Clock(func() time.Time { return now }))
	group, mall := orgtest.Mall(t, s.DB, "M1")
	admin := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: group}))
	c, err := s.Assets.SaveCategory(admin, mall, "EQUIP", "Equipment")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Assets.Register(admin, assets.Input{MallID: mall, Name: "Chiller", CategoryID: c.ID,
		Location: assets.Location{Kind: assets.AtZone, Ref: "B2"}, AcquiredOn: dep.D(2026, 1, 1),
		Rule: dep.Asset{Cost: 1_200_000, LifeMonths: 12, Method: dep.StraightLine, InService: dep.D(2026, 1, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	w := &workers.AssetDepreciationWorker{Assets: s.Assets}
	for range 2 {
		if err := w.Work(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	lines, err := s.Assets.Lines(admin, a.ID)
	if err != nil || len(lines) != 2 || lines[0].Amount != 100_000 || lines[1].Period != "2026-02" {
		t.Fatalf("lines %+v, %v", lines, err)
	}
}
