package assets_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/state/statetest"
)

// TestStocktakeOfflineScansCountOnce: the same offline batch uploaded twice is counted
// once (a tag scanned under two ids too); the result lists found, missing (盘亏),
// misplaced and surplus (盘盈); the counter cannot approve their own count; a second
// person's approval writes off the missing asset, moves the misplaced one here and
// registers the surplus tag, and the ledger still verifies.
func TestStocktakeOfflineScansCountOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, at(2026, 3, 10, 9))
	here := f.register(t, "B2", straight(120_000, 12, dep.D(2026, 1, 1)))
	gone := f.register(t, "B2", straight(240_000, 24, dep.D(2026, 1, 1)))
	away := f.register(t, "L3", straight(60_000, 12, dep.D(2026, 1, 1)))
	st, err := f.svc.StartStocktake(f.tech, f.org.MallID, assets.Location{Kind: assets.AtZone, Ref: "B2"}, "quarterly")
	if err != nil {
		t.Fatal(err)
	}
	when := at(2026, 3, 10, 10)
	batch := []assets.Scan{
		{ClientScanID: "phone1-1", Tag: assets.TagText(here.Tag), ScannedAt: when},
		{ClientScanID: "phone1-2", Tag: away.Tag, ScannedAt: when},
		{ClientScanID: "phone1-3", Tag: "OLD-0042", ScannedAt: when},
		{ClientScanID: "phone1-4", Tag: here.Tag, ScannedAt: when.Add(time.Minute)}, // scanned again
		{ClientScanID: "phone1-1", Tag: here.Tag, ScannedAt: when},                  // the same scan twice in a batch
	}
	if n, err := f.svc.UploadScans(f.tech, st.ID, batch); err != nil || n != 4 {
		t.Fatalf("first upload: %d new, %v", n, err)
	}
	if n, err := f.svc.UploadScans(f.tech, st.ID, batch); err != nil || n != 0 {
		t.Fatalf("same batch again: %d new, %v", n, err)
	}
	res, err := f.svc.Result(f.finance, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scans != 4 || len(res.Found) != 1 || res.Found[0].ID != here.ID || len(res.Missing) != 1 ||
		res.Missing[0].ID != gone.ID || len(res.Misplaced) != 1 || res.Misplaced[0].ID != away.ID ||
		len(res.Surplus) != 1 || res.Surplus[0] != "OLD-0042" {
		t.Fatalf("result %+v", res)
	}
	if _, err := f.svc.ApproveStocktake(f.finance, st.ID); !errors.Is(err, assets.ErrStocktake) {
		t.Fatalf("approve while counting: %v", err)
	}
	if _, err := f.svc.SubmitStocktake(f.finance, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UploadScans(f.tech, st.ID, batch); !errors.Is(err, assets.ErrStocktake) {
		t.Fatalf("scans after submit: %v", err)
	}
	if _, err := f.svc.ApproveStocktake(f.tech, st.ID); err == nil {
		t.Fatal("maintenance approved")
	}
	if _, err := f.svc.ApproveStocktake(f.finance, st.ID); !errors.Is(err, assets.ErrSelfApproval) {
		t.Fatalf("self approval: %v", err)
	}
	if _, err := f.svc.ApproveStocktake(f.finance2, st.ID); err != nil {
		t.Fatal(err)
	}
	if g, _ := f.svc.Get(f.finance, gone.ID); g.Status != assets.Disposed || g.DisposalKind != assets.WriteOff {
		t.Fatalf("missing asset %+v", g)
	}
	moves, err := f.svc.Transfers(f.finance, away.ID)
	if err != nil || len(moves) != 1 || moves[0].From.Ref != "L3" || moves[0].To.Ref != "B2" {
		t.Fatalf("misplaced asset's moves %+v, %v", moves, err)
	}
	if s, err := f.svc.ByTag(f.tech, f.org.MallID, "OLD-0042"); err != nil || s.Location.Ref != "B2" {
		t.Fatalf("surplus %+v, %v", s, err)
	}
	if _, err := f.svc.ApproveStocktake(f.finance2, st.ID); !errors.Is(err, assets.ErrStocktake) {
		t.Fatalf("second approval: %v", err)
	}
	f.verify(t)
	_ = context.Background()
}

// TestStocktakeTransitions is the count's transition table.
func TestStocktakeTransitions(t *testing.T) {
	t.Parallel()
	statetest.Check(t, assets.StocktakeTransition, assets.ErrStocktake,
		statetest.Legal("submit a count", assets.EventSubmit, assets.Counting, assets.Submitted),
		statetest.Legal("approve a submitted count", assets.EventApprove, assets.Submitted, assets.Approved),
		statetest.Legal("reject sends it back to counting", assets.EventReject, assets.Submitted, assets.Counting),
		statetest.Refused("approve before submitting, or twice", assets.EventApprove, assets.Counting, assets.Approved),
		statetest.Refused("submit twice", assets.EventSubmit, assets.Submitted, assets.Approved),
	)
}
