package main

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestRunLedgerVerifyAssets: `atrium ledger verify` checks the asset register against
// its accounts: sound after an acquisition and a month's depreciation, a breach when a
// depreciation line has no posting.
func TestRunLedgerVerifyAssets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	o := ledgertest.NewOrg(t, db)
	orgs := orgtest.Service(db)
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1:8080", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) }
	ntc := notices.New(notices.Deps{DB: db, Org: orgs, Now: now})
	svc := assets.New(assets.Deps{DB: db, Org: orgs, Ledger: ledger.New(ledger.Deps{DB: db, Now: now}),
		Leasing: leasing.New(leasing.Deps{DB: db, Org: orgs, Objects: objs, Notices: ntc, Now: now}), Objects: objs, Now: now})
	finance := auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleFinance, Level: auth.LevelMall, ScopeID: o.MallID}}})
	c, err := svc.SaveCategory(finance, o.MallID, "EQUIP", "Equipment")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Register(finance, assets.Input{MallID: o.MallID, Name: "Chiller", CategoryID: c.ID,
		Location: assets.Location{Kind: assets.AtZone, Ref: "B2"}, AcquiredOn: dep.D(2026, 1, 1),
		Rule: dep.Asset{Cost: 1_200_000, LifeMonths: 12, Method: dep.StraightLine, InService: dep.D(2026, 1, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PostDepreciation(ctx); err != nil {
		t.Fatal(err)
	}
	if code := runLedgerVerify(ctx, db); code != 0 {
		t.Fatalf("exit code %d after acquisition and depreciation", code)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO asset_depreciation_lines (group_id, mall_id, asset_id, period, amount,
		posting_key, posted_at) VALUES ($1, $2, $3, '2026-03', 100, 'asset-dep:forged', now())`, o.GroupID, o.MallID, a.ID); err != nil {
		t.Fatal(err)
	}
	if code := runLedgerVerify(ctx, db); code != 1 {
		t.Fatalf("exit code %d with a line the ledger lacks, want 1", code)
	}
}
