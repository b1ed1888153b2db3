package app

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
)

// seedAssets gives the demo mall (once) an equipment register: a chiller bought at the
// start of last year (straight-line), an escalator imported as an opening asset with its
// accumulated depreciation, a generator on double-declining balance; posts their
// depreciation to last month, plans the chiller's monthly service (opening today's
// work order) and starts a count of the plant room with one scan.
func (a *App) seedAssets(ctx context.Context, _, mall uuid.UUID) error {
	s := a.Services.Assets
	cats, err := s.Categories(ctx, mall)
	if err != nil || len(cats) > 0 {
		return err
	}
	cat, err := s.SaveCategory(ctx, mall, "EQUIP", "设备 Equipment")
	if err != nil {
		return fmt.Errorf("demo asset category: %w", err)
	}
	now := time.Now()
	year := now.Year() - 1
	plant := assets.Location{Kind: assets.AtZone, Ref: "B2 plant room"}
	var chiller assets.Asset
	for i, in := range []assets.Input{
		{Tag: "DEMO-CHILLER-1", Name: "冷水机组 Chiller", Supplier: "Carrier", Location: plant, AcquiredOn: dep.D(year, 1, 10),
			Rule: dep.Asset{Cost: 48_000_000, Salvage: 2_400_000, InService: dep.D(year, 1, 16), LifeMonths: 120,
				Method: dep.StraightLine}},
		{Tag: "DEMO-ESC-1", Name: "自动扶梯 Escalator L1", Supplier: "Otis", Location: assets.Location{Kind: assets.AtZone, Ref: "L1 atrium"},
			AcquiredOn: dep.D(year-5, 3, 1), Rule: dep.Asset{Cost: 36_000_000, InService: dep.D(year-5, 3, 1), LifeMonths: 180,
				Method: dep.StraightLine, OpeningDate: dep.D(year, 1, 1), OpeningAccumulated: 11_400_000}},
		{Tag: "DEMO-GEN-1", Name: "柴油发电机 Generator", Supplier: "Cummins", Location: plant, AcquiredOn: dep.D(year, 6, 1),
			Rule: dep.Asset{Cost: 9_600_000, Salvage: 480_000, InService: dep.D(year, 6, 1), LifeMonths: 96,
				Method: dep.DoubleDeclining}},
	} {
		in.MallID, in.CategoryID = mall, cat.ID
		got, err := s.Register(ctx, in)
		if err != nil {
			return fmt.Errorf("demo asset %s: %w", in.Tag, err)
		}
		if i == 0 {
			chiller = got
		}
	}
	if _, err := s.PostDepreciation(ctx); err != nil {
		return fmt.Errorf("demo depreciation: %w", err)
	}
	if _, err := s.CreatePlan(ctx, assets.PlanInput{AssetID: chiller.ID, Title: "月度保养 Monthly service",
		Every: assets.EveryMonths, N: 1, FirstDue: dep.Day(now)}); err != nil {
		return fmt.Errorf("demo maintenance plan: %w", err)
	}
	if _, err := s.OpenDueMaintenance(ctx); err != nil {
		return fmt.Errorf("demo maintenance: %w", err)
	}
	st, err := s.StartStocktake(ctx, mall, plant, "季度盘点 quarterly count")
	if err != nil {
		return fmt.Errorf("demo stocktake: %w", err)
	}
	_, err = s.UploadScans(ctx, st.ID, []assets.Scan{{ClientScanID: "demo-1", Tag: assets.TagText(chiller.Tag), ScannedAt: now}})
	return err
}
