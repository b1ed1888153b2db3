package assets

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/assets/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
)

// LineKey is the ledger key of an asset's month of depreciation.
func LineKey(assetID uuid.UUID, period string) string {
	return "asset-dep:" + assetID.String() + ":" + period
}

const linePrefix = "asset-dep:"

// Line is a posted month of an asset's depreciation.
type Line struct {
	Period   string
	Amount   int64
	PostedAt time.Time
}

// withUsage fills a units-of-use asset's recorded use.
func withUsage(a Asset, usage []queries.UsageOfAssetsRow) Asset {
	if a.Rule.Method != depreciation.UnitsOfUse {
		return a
	}
	a.Rule.Usage = map[string]int64{}
	for _, u := range usage {
		if u.AssetID == a.ID {
			a.Rule.Usage[u.Period] = u.Units
		}
	}
	return a
}

// PostReport says what a depreciation run posted.
type PostReport struct {
	Lines  int   // month lines written now
	Amount int64 // fen posted now
}

// PostDepreciation posts every active asset's closed months not yet posted, for every
// mall (the monthly job; it runs without a viewer). A month is closed when it has ended
// in the mall's time zone. Rerun-safe: a month posted is skipped (its line and its
// ledger key are unique), and each asset is locked while its months are posted.
func (s *Service) PostDepreciation(ctx context.Context) (PostReport, error) {
	var total PostReport
	malls, err := queries.New(s.db.Pool).MallsWithActiveAssets(ctx)
	if err != nil {
		return total, err
	}
	for _, m := range malls {
		p, err := s.org.MallPlace(ctx, nil, m.MallID)
		if err != nil {
			return total, err
		}
		through := monthStartOf(s.today(p)).AddDate(0, 0, -1) // the last day of last month
		err = s.inTx(ctx, func(tx pgx.Tx) error {
			r, err := s.postMall(ctx, tx, p, through)
			total.Lines, total.Amount = total.Lines+r.Lines, total.Amount+r.Amount
			return err
		})
		if err != nil {
			return total, fmt.Errorf("assets: depreciation of mall %s: %w", p.MallCode, err)
		}
	}
	return total, nil
}

func monthStartOf(t time.Time) time.Time { return depreciation.D(t.Year(), t.Month(), 1) }

// postMall posts the mall's active assets through the day through.
func (s *Service) postMall(ctx context.Context, tx pgx.Tx, p org.Place, through time.Time) (PostReport, error) {
	var rep PostReport
	rows, err := queries.New(tx).ActiveAssetsOfMall(ctx, p.GroupID, p.MallID)
	if err != nil {
		return rep, err
	}
	for _, r := range rows {
		n, amount, err := s.postAsset(ctx, tx, r.ID, through)
		if err != nil {
			return rep, err
		}
		rep.Lines, rep.Amount = rep.Lines+n, rep.Amount+amount
	}
	return rep, nil
}

// postAsset locks an asset and posts its unposted months through the day through (the
// month holding through up to that day: a disposal's), in order. Each month's amount is
// the depreciation through its last day less all posted before.
func (s *Service) postAsset(ctx context.Context, tx pgx.Tx, id uuid.UUID, through time.Time) (int, int64, error) {
	q := queries.New(tx)
	row, err := q.LockAsset(ctx, id)
	if err != nil || row.Status != Active {
		return 0, 0, err
	}
	usage, err := q.UsageOfAssets(ctx, []uuid.UUID{id})
	if err != nil {
		return 0, 0, err
	}
	a := withUsage(assetOf(row), usage)
	lines, err := q.LinesOfAssets(ctx, []uuid.UUID{id})
	if err != nil {
		return 0, 0, err
	}
	posted, done := a.Rule.OpeningAccumulated, map[string]bool{}
	for _, l := range lines {
		posted, done[l.Period] = posted+l.Amount, true
	}
	periods, err := depreciation.Depreciate(a.Rule, through)
	if err != nil {
		return 0, 0, err
	}
	var n int
	var amount int64
	for _, per := range periods {
		if done[per.Key] {
			continue
		}
		acc, err := depreciation.Accumulated(a.Rule, per.End)
		if err != nil {
			return n, amount, err
		}
		d := max(acc-posted, 0)
		if err := s.postLine(ctx, tx, a, per.Key, d); err != nil {
			return n, amount, err
		}
		posted, n, amount = posted+d, n+1, amount+d
	}
	return n, amount, nil
}

// postLine writes a month's line and its posting (none for a zero amount).
func (s *Service) postLine(ctx context.Context, tx pgx.Tx, a Asset, period string, amount int64) error {
	key := LineKey(a.ID, period)
	n, err := queries.New(tx).InsertLine(ctx, queries.InsertLineParams{GroupID: a.GroupID, MallID: a.MallID,
		AssetID: a.ID, Period: period, Amount: amount, PostingKey: key, PostedAt: s.now()})
	if err != nil || n == 0 || amount == 0 {
		return err
	}
	_, err = s.ledger.PostManyTx(ctx, tx, a.GroupID, []ledger.Posting{{GroupID: a.GroupID, Kind: PostingDepreciation,
		Key: key, Memo: "depreciation " + a.Tag + " " + period, Legs: []ledger.Leg{
			{Account: account(KindExpense, a.MallID), Amount: yuan(amount)},
			{Account: account(KindAccumulated, a.MallID), Amount: yuan(-amount)}}}})
	return err
}

// Lines are an asset's posted months (readers of values: ADMIN, FINANCE).
func (s *Service) Lines(ctx context.Context, assetID uuid.UUID) ([]Line, error) {
	if _, _, err := s.assetFor(ctx, assetID, manageRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).LinesOfAssets(ctx, []uuid.UUID{assetID})
	out := make([]Line, len(rows))
	for i, r := range rows {
		out[i] = Line{Period: r.Period, Amount: r.Amount, PostedAt: r.PostedAt}
	}
	return out, err
}

// rule returns an asset's depreciation figures with its recorded use.
func (s *Service) rule(ctx context.Context, a Asset) (depreciation.Asset, error) {
	usage, err := queries.New(s.db.Pool).UsageOfAssets(ctx, []uuid.UUID{a.ID})
	return withUsage(a, usage).Rule, err
}

// Valuation is an asset's book value at the end of a day, past or future, from the
// same rule that posts (ADMIN, FINANCE). A disposed asset is valued to its disposal.
func (s *Service) Valuation(ctx context.Context, assetID uuid.UUID, at time.Time) (Value, error) {
	a, _, err := s.assetFor(ctx, assetID, manageRoles...)
	if err != nil {
		return Value{}, err
	}
	r, err := s.rule(ctx, a)
	if err != nil {
		return Value{}, err
	}
	return valueOf(a, r, depreciation.Day(at))
}

// Value is an asset's figures at a day.
type Value struct {
	At          time.Time
	Cost        int64
	Accumulated int64
	BookValue   int64
	Disposed    bool // disposed of on or before At (book value 0)
}

func valueOf(a Asset, r depreciation.Asset, at time.Time) (Value, error) {
	v := Value{At: at, Cost: r.Cost}
	through := at
	if a.DisposedOn != nil && !a.DisposedOn.After(at) {
		through, v.Disposed = *a.DisposedOn, true
	}
	acc, err := depreciation.Accumulated(r, through)
	v.Accumulated, v.BookValue = acc, r.Cost-acc
	if at.Before(r.InService) && r.OpeningDate.IsZero() {
		v.Accumulated, v.BookValue = 0, r.Cost
	}
	if v.Disposed {
		v.BookValue = 0
	}
	return v, err
}

// Schedule is an asset's whole-life depreciation per month (ADMIN, FINANCE): the posted
// months as posted, the rest as the rule computes them (units of use: recorded use only).
func (s *Service) Schedule(ctx context.Context, assetID uuid.UUID) ([]depreciation.Period, error) {
	a, _, err := s.assetFor(ctx, assetID, manageRoles...)
	if err != nil {
		return nil, err
	}
	r, err := s.rule(ctx, a)
	if err != nil {
		return nil, err
	}
	end := r.EndOfLife()
	if a.DisposedOn != nil {
		end = *a.DisposedOn
	}
	return depreciation.Depreciate(r, end)
}

// Disposal kinds.
const (
	Sale     = "SALE"
	Scrap    = "SCRAP"
	WriteOff = "WRITE_OFF" // a stocktake's missing asset (盘亏)
)

// DisposeInput disposes of an asset on a day, sold for Proceeds (fen) or scrapped.
type DisposeInput struct {
	AssetID  uuid.UUID
	On       time.Time
	Kind     string // SALE or SCRAP
	Proceeds int64
}

// Disposal is what a disposal posted.
type Disposal struct {
	Asset       Asset
	Accumulated int64 // depreciation through the disposal day, opening included
	BookValue   int64
	GainLoss    int64 // proceeds − book value: positive a gain
}

// Dispose sells or scraps an asset (ADMIN, FINANCE of its mall): its depreciation runs
// to the disposal day (the unposted months, then the disposal month's days), the cost
// and accumulated depreciation leave the books and the gain or loss is posted. The day
// is no later than today and after every posted month (ASSET_DISPOSAL_IN_POSTED_PERIOD).
func (s *Service) Dispose(ctx context.Context, in DisposeInput) (Disposal, error) {
	a, p, err := s.assetFor(ctx, in.AssetID, manageRoles...)
	if err != nil {
		return Disposal{}, err
	}
	switch {
	case in.Kind != Sale && in.Kind != Scrap:
		return Disposal{}, errs.Invalid("input.kind", "a disposal is a SALE or SCRAP")
	case in.Proceeds < 0:
		return Disposal{}, errs.Invalid("input.proceeds", "proceeds of 0 or more")
	case in.On.IsZero() || depreciation.Day(in.On).After(s.today(p)):
		return Disposal{}, errs.Invalid("input.on", "a disposal day no later than today")
	}
	var out Disposal
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		out, err = s.disposeTx(ctx, tx, a.ID, depreciation.Day(in.On), in.Kind, in.Proceeds)
		return err
	})
	return out, err
}

// disposeTx depreciates a locked asset to the day and takes it off the books.
func (s *Service) disposeTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, on time.Time, kind string, proceeds int64) (Disposal, error) {
	q := queries.New(tx)
	row, err := q.LockAsset(ctx, id)
	if err != nil {
		return Disposal{}, err
	}
	if row.Status != Active {
		return Disposal{}, ErrDisposed
	}
	a := assetOf(row)
	if on.Before(a.Rule.InService) {
		return Disposal{}, errs.Invalid("input.on", "a disposal day on or after the in-service date")
	}
	lines, err := q.LinesOfAssets(ctx, []uuid.UUID{id})
	if err != nil {
		return Disposal{}, err
	}
	if len(lines) > 0 && lines[len(lines)-1].Period >= depreciation.PeriodKey(on) {
		return Disposal{}, ErrDisposalPosted.At("input", "on")
	}
	if _, _, err := s.postAsset(ctx, tx, id, on); err != nil {
		return Disposal{}, err
	}
	if lines, err = q.LinesOfAssets(ctx, []uuid.UUID{id}); err != nil {
		return Disposal{}, err
	}
	d := Disposal{Accumulated: a.Rule.OpeningAccumulated}
	for _, l := range lines {
		d.Accumulated += l.Amount
	}
	d.BookValue = a.Rule.Cost - d.Accumulated
	d.GainLoss = proceeds - d.BookValue
	if err := q.DisposeAsset(ctx, queries.DisposeAssetParams{ID: id, DisposedOn: &on, DisposalKind: &kind,
		Proceeds: proceeds}); err != nil {
		return d, err
	}
	row.Status, row.DisposedOn, row.DisposalKind, row.Proceeds = Disposed, &on, &kind, proceeds
	d.Asset = assetOf(row)
	if posting, ok := disposal(d); ok {
		_, err = s.ledger.PostManyTx(ctx, tx, a.GroupID, []ledger.Posting{posting})
	}
	return d, err
}

// disposal is the posting taking an asset off the books: accumulated depreciation and
// cost out, proceeds in, the difference to gain or loss.
func disposal(d Disposal) (ledger.Posting, bool) {
	a, mall := d.Asset, d.Asset.MallID
	legs := []ledger.Leg{}
	add := func(kind string, fen int64) {
		if fen != 0 {
			legs = append(legs, ledger.Leg{Account: account(kind, mall), Amount: yuan(fen)})
		}
	}
	add(KindAccumulated, d.Accumulated)
	add(KindCost, -a.Rule.Cost)
	add(KindSaleReceivable, a.Proceeds)
	add(KindDisposalGain, -d.GainLoss)
	return ledger.Posting{GroupID: a.GroupID, Kind: PostingDisposal, Key: "asset-disp:" + a.ID.String(),
		Memo: "disposal " + a.Tag + " " + a.DisposalKind, Legs: legs}, len(legs) >= 2
}
