package assets_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
)

// TestDepreciationJobPostsOnce: the monthly job posts each closed month of an asset
// once — run twice, and run from eight goroutines at once — the valuation at a posted
// month's end is cost − posted depreciation, and ledger verify passes.
func TestDepreciationJobPostsOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, at(2026, 1, 10, 9))
	a := f.register(t, "B2", straight(1_200_000, 12, dep.D(2026, 1, 1)))
	f.verify(t)
	f.base.Clock.Set(at(2026, 4, 1, 0).Add(time.Minute)) // March closed in Shanghai (still 31 March in UTC)
	rep, err := f.svc.PostDepreciation(context.Background())
	if err != nil || rep.Lines != 3 || rep.Amount != 300_000 {
		t.Fatalf("first run %+v, %v", rep, err)
	}
	if rep, err = f.svc.PostDepreciation(context.Background()); err != nil || rep.Lines != 0 {
		t.Fatalf("rerun %+v, %v", rep, err)
	}
	f.base.Clock.Set(at(2026, 5, 2, 0))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lines int
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.svc.PostDepreciation(context.Background())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			lines += r.Lines
			mu.Unlock()
		}()
	}
	wg.Wait()
	if lines != 1 {
		t.Fatalf("concurrent runs posted %d lines, want April once", lines)
	}
	posted, err := f.svc.Lines(f.finance, a.ID)
	if err != nil || len(posted) != 4 || posted[3].Period != "2026-04" || posted[3].Amount != 100_000 {
		t.Fatalf("lines %+v, %v", posted, err)
	}
	v, err := f.svc.Valuation(f.finance, a.ID, dep.D(2026, 4, 30))
	if err != nil || v.BookValue != 1_200_000-400_000 || v.Accumulated != 400_000 {
		t.Fatalf("valuation %+v, %v", v, err)
	}
	future, err := f.svc.Valuation(f.finance, a.ID, dep.D(2026, 12, 31))
	if err != nil || future.BookValue != 0 {
		t.Fatalf("future valuation %+v, %v", future, err)
	}
	f.verify(t)
}

// TestDisposalMidMonth: a sale on 15 June posts June's first half (never the whole
// month), takes cost and accumulated depreciation off the books and posts the gain; a
// disposal dated in a posted month is refused.
func TestDisposalMidMonth(t *testing.T) {
	t.Parallel()
	f := setup(t, at(2026, 1, 5, 9))
	a := f.register(t, "L1", straight(6_000_000, 60, dep.D(2026, 1, 1)))
	b := f.register(t, "L1", straight(600_000, 60, dep.D(2026, 1, 1)))
	f.base.Clock.Set(at(2026, 6, 20, 9))
	if _, err := f.svc.PostDepreciation(context.Background()); err != nil { // January to May
		t.Fatal(err)
	}
	d, err := f.svc.Dispose(f.finance, assets.DisposeInput{AssetID: a.ID, On: dep.D(2026, 6, 15), Kind: assets.Sale,
		Proceeds: 5_500_000})
	if err != nil {
		t.Fatal(err)
	}
	if d.Accumulated != 550_000 || d.BookValue != 5_450_000 || d.GainLoss != 50_000 {
		t.Fatalf("disposal %+v", d)
	}
	lines, _ := f.svc.Lines(f.finance, a.ID)
	if last := lines[len(lines)-1]; last.Period != "2026-06" || last.Amount != 50_000 {
		t.Fatalf("June line %+v", last)
	}
	if _, err := f.svc.Dispose(f.finance, assets.DisposeInput{AssetID: a.ID, On: dep.D(2026, 6, 16), Kind: assets.Scrap}); !errors.Is(err, assets.ErrDisposed) {
		t.Fatalf("second disposal: %v", err)
	}
	if _, err := f.svc.Dispose(f.finance, assets.DisposeInput{AssetID: b.ID, On: dep.D(2026, 5, 20), Kind: assets.Scrap}); !errors.Is(err, assets.ErrDisposalPosted) {
		t.Fatalf("disposal in a posted month: %v", err)
	}
	f.base.Clock.Set(at(2026, 8, 2, 9))
	if rep, err := f.svc.PostDepreciation(context.Background()); err != nil || rep.Lines != 2 { // b's June and July only
		t.Fatalf("after disposal %+v, %v", rep, err)
	}
	v, err := f.svc.Valuation(f.finance, a.ID, dep.D(2026, 12, 31))
	if err != nil || !v.Disposed || v.BookValue != 0 || v.Accumulated != 550_000 {
		t.Fatalf("valuation after disposal %+v, %v", v, err)
	}
	f.verify(t)
}
