package assets

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/assets/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
)

// Ledger account kinds of the context (see the package notes).
const (
	KindCost            = "fixed_asset_cost"
	KindAccumulated     = "accumulated_depreciation"
	KindExpense         = "depreciation_expense"
	KindDisposalGain    = "asset_disposal_gain_loss"
	KindPayable         = "asset_payable"
	KindOpeningEquity   = "asset_opening_equity"
	KindSaleReceivable  = "asset_sale_receivable"
	PostingAcquisition  = ledger.PostingKind("asset_acquisition")
	PostingDepreciation = ledger.PostingKind("asset_depreciation")
	PostingDisposal     = ledger.PostingKind("asset_disposal")
)

func account(kind string, mall uuid.UUID) ledger.Account {
	return ledger.Account{Kind: kind, Owner: mall, Asset: ledger.CNY}
}

// yuan is fen as the ledger's decimal yuan.
func yuan(fen int64) decimal.Decimal { return decimal.New(fen, -2) }

// Category groups assets (equipment, furniture, IT, vehicles…).
type Category struct {
	ID, MallID uuid.UUID
	Code, Name string
}

// SaveCategory creates a category of the mall, or renames the one with the code
// (ADMIN, FINANCE of the mall).
func (s *Service) SaveCategory(ctx context.Context, mallID uuid.UUID, code, name string) (Category, error) {
	p, err := s.mallFor(ctx, mallID, manageRoles...)
	if err != nil {
		return Category{}, err
	}
	code, name = strings.ToUpper(strings.TrimSpace(code)), strings.TrimSpace(name)
	if code == "" || len(code) > 30 {
		return Category{}, errs.Invalid("input.code", "a code of 1 to 30 characters")
	}
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return Category{}, errs.Invalid("input.name", "a name of 1 to 100 characters")
	}
	r, err := queries.New(s.db.Pool).InsertCategory(ctx, queries.InsertCategoryParams{ID: service.NewID(),
		GroupID: p.GroupID, MallID: p.MallID, Code: code, Name: name, CreatedAt: s.now()})
	return Category{ID: r.ID, MallID: r.MallID, Code: r.Code, Name: r.Name}, err
}

// Categories lists a mall's categories (readers of the register).
func (s *Service) Categories(ctx context.Context, mallID uuid.UUID) ([]Category, error) {
	p, err := s.mallFor(ctx, mallID, readRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).CategoriesOfMall(ctx, p.GroupID, p.MallID)
	out := make([]Category, len(rows))
	for i, r := range rows {
		out[i] = Category{ID: r.ID, MallID: r.MallID, Code: r.Code, Name: r.Name}
	}
	return out, err
}

// Input is a new asset: an acquisition, or (Opening) an asset imported mid-life.
type Input struct {
	MallID      uuid.UUID
	Tag         string // empty: generated
	Name        string
	CategoryID  uuid.UUID
	Location    Location
	CustodianID *uuid.UUID
	Supplier    string
	InvoiceKey  string // from RequestInvoiceUpload, or empty
	AcquiredOn  time.Time
	Rule        depreciation.Asset // Cost, Salvage, InService, LifeMonths, Method, FactorPct, TotalUnits; opening figures
}

// Register adds an acquisition to the register and posts its cost against the
// supplier's payable (ADMIN, FINANCE of the mall). With Rule.OpeningDate it is an
// opening asset: its cost and accumulated depreciation are posted against opening
// equity, and depreciation starts at the opening date.
func (s *Service) Register(ctx context.Context, in Input) (Asset, error) {
	p, err := s.mallFor(ctx, in.MallID, manageRoles...)
	if err != nil {
		return Asset{}, err
	}
	var out Asset
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		out, err = s.registerTx(ctx, tx, p, in, "input")
		return err
	})
	return out, err
}

// validate checks and normalises the input's own fields.
func (in *Input) validate(field string) error {
	in.Name, in.Supplier, in.Tag = strings.TrimSpace(in.Name), strings.TrimSpace(in.Supplier), strings.TrimSpace(in.Tag)
	r := &in.Rule
	r.InService, r.OpeningDate = depreciation.Day(r.InService), dayOrZero(r.OpeningDate)
	switch {
	case in.Name == "" || utf8.RuneCountInString(in.Name) > 200:
		return errs.Invalid(field+".name", "a name of 1 to 200 characters")
	case utf8.RuneCountInString(in.Supplier) > 200:
		return errs.Invalid(field+".supplier", "a supplier of at most 200 characters")
	case len(in.Tag) > 40 || strings.ContainsAny(in.Tag, " \t\n:"):
		return errs.Invalid(field+".tag", "a tag of at most 40 characters, without spaces or colons")
	case in.AcquiredOn.IsZero() || r.InService.Before(depreciation.Day(in.AcquiredOn)):
		return errs.Invalid(field+".inServiceOn", "in service on or after the acquisition date")
	}
	if err := r.Validate(); err != nil {
		return errs.Invalid(field, "%s", strings.TrimPrefix(err.Error(), "depreciation: invalid asset: "))
	}
	return nil
}

func dayOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return depreciation.Day(t)
}

// registerTx validates the input against the mall, inserts the asset and posts it.
func (s *Service) registerTx(ctx context.Context, tx pgx.Tx, p org.Place, in Input, field string) (Asset, error) {
	if err := in.validate(field); err != nil {
		return Asset{}, err
	}
	q := queries.New(tx)
	if c, err := q.CategoryByID(ctx, in.CategoryID); err != nil || c.MallID != p.MallID {
		return Asset{}, ErrCategory.At(field, "categoryId")
	}
	loc, err := s.checkLocation(ctx, p, in.Location, field+".location")
	if err != nil {
		return Asset{}, err
	}
	if err := s.checkCustodian(ctx, tx, p, in.CustodianID, field+".custodianId"); err != nil {
		return Asset{}, err
	}
	if err := s.checkInvoice(ctx, p, in.InvoiceKey, field+".invoiceKey"); err != nil {
		return Asset{}, err
	}
	id := service.NewID()
	if in.Tag == "" {
		in.Tag = p.MallCode + "-" + strings.ToUpper(strings.ReplaceAll(id.String(), "-", "")[20:])
	}
	r := in.Rule
	row, err := q.InsertAsset(ctx, queries.InsertAssetParams{ID: id, GroupID: p.GroupID, MallID: p.MallID, Tag: in.Tag,
		Name: in.Name, CategoryID: in.CategoryID, LocationKind: loc.Kind, LocationRef: loc.Ref, CustodianID: in.CustodianID,
		Supplier: in.Supplier, InvoiceKey: in.InvoiceKey, AcquiredOn: depreciation.Day(in.AcquiredOn),
		InServiceOn: r.InService, Cost: r.Cost, Salvage: r.Salvage, LifeMonths: int32(r.LifeMonths), Method: string(r.Method),
		FactorPct: int32(r.FactorPct), TotalUnits: r.TotalUnits, OpeningOn: timeOrNil(r.OpeningDate),
		OpeningAccumulated: r.OpeningAccumulated, OpeningUnits: r.OpeningUnits, CreatedBy: access.Actor(ctx),
		CreatedAt: s.now()})
	if err == pgx.ErrNoRows {
		return Asset{}, ErrTagTaken.At(field, "tag")
	} else if err != nil {
		return Asset{}, err
	}
	a := assetOf(row)
	if posting, ok := acquisition(a); ok {
		_, err = s.ledger.PostManyTx(ctx, tx, p.GroupID, []ledger.Posting{posting})
	}
	return a, err
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// acquisition is the posting of an asset's cost (and, for an opening asset, its
// accumulated depreciation); none for a zero cost.
func acquisition(a Asset) (ledger.Posting, bool) {
	r := a.Rule
	if r.Cost == 0 {
		return ledger.Posting{}, false
	}
	legs := []ledger.Leg{{Account: account(KindCost, a.MallID), Amount: yuan(r.Cost)}}
	if r.OpeningDate.IsZero() {
		legs = append(legs, ledger.Leg{Account: account(KindPayable, a.MallID), Amount: yuan(-r.Cost)})
	} else {
		if r.OpeningAccumulated > 0 {
			legs = append(legs, ledger.Leg{Account: account(KindAccumulated, a.MallID), Amount: yuan(-r.OpeningAccumulated)})
		}
		if r.Cost > r.OpeningAccumulated {
			legs = append(legs, ledger.Leg{Account: account(KindOpeningEquity, a.MallID),
				Amount: yuan(r.OpeningAccumulated - r.Cost)})
		}
	}
	return ledger.Posting{GroupID: a.GroupID, Kind: PostingAcquisition, Key: "asset-acq:" + a.ID.String(),
		Memo: "asset " + a.Tag, Legs: legs}, true
}

// Upload is a presigned URL to PUT an invoice to, and the key to register it with.
type Upload struct {
	Key       string
	URL       string
	ExpiresAt time.Time
}

const invoiceTTL = 15 * time.Minute

func invoicePrefix(p org.Place) string {
	return "assets/" + p.GroupID.String() + "/" + p.MallID.String() + "/invoices/"
}

// RequestInvoiceUpload returns a presigned URL to PUT an acquisition's invoice (a PDF
// or a photo) to; Register then takes its key (ADMIN, FINANCE of the mall).
func (s *Service) RequestInvoiceUpload(ctx context.Context, mallID uuid.UUID) (Upload, error) {
	p, err := s.mallFor(ctx, mallID, manageRoles...)
	if err != nil {
		return Upload{}, err
	}
	key := invoicePrefix(p) + service.NewID().String()
	url, err := s.objects.PresignPut(ctx, key, invoiceTTL)
	return Upload{Key: key, URL: url, ExpiresAt: s.now().Add(invoiceTTL)}, err
}

// checkInvoice checks an invoice key is an upload of the mall's that exists.
func (s *Service) checkInvoice(ctx context.Context, p org.Place, key, field string) error {
	if key == "" {
		return nil
	}
	rest, ok := strings.CutPrefix(key, invoicePrefix(p))
	if !ok || uuid.Validate(rest) != nil {
		return errs.Invalid(field, "not an invoice upload key of this mall")
	}
	r, err := s.objects.Get(ctx, key)
	if err != nil {
		return ErrInvoice.At(field)
	}
	return r.Close()
}

// InvoiceURL is a short-lived download link of the asset's invoice ("" when none).
func (s *Service) InvoiceURL(ctx context.Context, a Asset) (string, error) {
	if a.InvoiceKey == "" {
		return "", nil
	}
	return s.objects.PresignGet(ctx, a.InvoiceKey, invoiceTTL)
}

// Get returns an asset (readers of the register of its mall; anyone else: NOT_FOUND).
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Asset, error) {
	a, _, err := s.assetFor(ctx, id, readRoles...)
	return a, err
}

// ByTag finds an asset of the mall by its tag (a scan of its label).
func (s *Service) ByTag(ctx context.Context, mallID uuid.UUID, tag string) (Asset, error) {
	p, err := s.mallFor(ctx, mallID, readRoles...)
	if err != nil {
		return Asset{}, err
	}
	r, err := queries.New(s.db.Pool).AssetByTag(ctx, p.GroupID, tagOf(tag))
	if err != nil || r.MallID != p.MallID {
		return Asset{}, notFound(storageNotFound(err), "asset")
	}
	return assetOf(r), nil
}

func storageNotFound(err error) error {
	if err == nil {
		return pgx.ErrNoRows
	}
	return err
}

// Filter narrows a list of assets.
type Filter struct {
	CategoryID *uuid.UUID
	Location   *Location
	Status     string
}

// List returns a page of a mall's assets by id (readers of the register).
func (s *Service) List(ctx context.Context, mallID uuid.UUID, f Filter, pr page.Request) (page.Result[Asset], error) {
	p, err := s.mallFor(ctx, mallID, readRoles...)
	if err != nil {
		return page.Result[Asset]{}, err
	}
	params := queries.AssetsOfMallParams{GroupID: p.GroupID, MallID: p.MallID, After: pr.After, CategoryID: f.CategoryID,
		Status: f.Status, Lim: int32(pr.Limit())}
	if f.Location != nil {
		params.LocationKind, params.LocationRef = f.Location.Kind, f.Location.Ref
	}
	rows, err := queries.New(s.db.Pool).AssetsOfMall(ctx, params)
	if err != nil {
		return page.Result[Asset]{}, err
	}
	list := make([]Asset, len(rows))
	for i, r := range rows {
		list[i] = assetOf(r)
	}
	return page.Cut(pr, list), nil
}

// Transfer is a move of an asset to another location or custodian.
type Transfer struct {
	ID                         uuid.UUID
	AssetID                    uuid.UUID
	From, To                   Location
	FromCustodian, ToCustodian *uuid.UUID
	Reason, By                 string
	At                         time.Time
}

// TransferInput moves an asset; a nil Location keeps the location.
type TransferInput struct {
	AssetID     uuid.UUID
	Location    *Location
	CustodianID *uuid.UUID
	Reason      string
}

// Transfer moves an asset to another location and/or custodian, keeping the history
// (ADMIN, FINANCE, MAINTENANCE of its mall).
func (s *Service) Transfer(ctx context.Context, in TransferInput) (Asset, error) {
	a, p, err := s.assetFor(ctx, in.AssetID, fieldRoles...)
	if err != nil {
		return a, err
	}
	if utf8.RuneCountInString(in.Reason) > 500 {
		return a, errs.Invalid("input.reason", "a reason of at most 500 characters")
	}
	to := a.Location
	if in.Location != nil {
		if to, err = s.checkLocation(ctx, p, *in.Location, "input.location"); err != nil {
			return a, err
		}
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := s.checkCustodian(ctx, tx, p, in.CustodianID, "input.custodianId"); err != nil {
			return err
		}
		a, err = s.transferTx(ctx, tx, a.ID, to, in.CustodianID, strings.TrimSpace(in.Reason))
		return err
	})
	return a, err
}

// transferTx moves a locked active asset and records the move.
func (s *Service) transferTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, to Location, custodian *uuid.UUID, reason string) (Asset, error) {
	q := queries.New(tx)
	row, err := q.LockAsset(ctx, id)
	if err != nil {
		return Asset{}, err
	}
	if row.Status != Active {
		return assetOf(row), ErrDisposed
	}
	if err := q.MoveAsset(ctx, queries.MoveAssetParams{ID: id, LocationKind: to.Kind, LocationRef: to.Ref,
		CustodianID: custodian}); err != nil {
		return Asset{}, err
	}
	err = q.InsertTransfer(ctx, queries.InsertTransferParams{ID: service.NewID(), GroupID: row.GroupID, MallID: row.MallID,
		AssetID: id, FromKind: row.LocationKind, FromRef: row.LocationRef, ToKind: to.Kind, ToRef: to.Ref,
		FromCustodian: row.CustodianID, ToCustodian: custodian, Reason: reason, ByActor: access.Actor(ctx), At: s.now()})
	row.LocationKind, row.LocationRef, row.CustodianID = to.Kind, to.Ref, custodian
	return assetOf(row), err
}

// Transfers is an asset's history of moves, oldest first.
func (s *Service) Transfers(ctx context.Context, assetID uuid.UUID) ([]Transfer, error) {
	if _, _, err := s.assetFor(ctx, assetID, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).TransfersOfAsset(ctx, assetID)
	out := make([]Transfer, len(rows))
	for i, r := range rows {
		out[i] = Transfer{ID: r.ID, AssetID: r.AssetID, From: Location{r.FromKind, r.FromRef}, To: Location{r.ToKind, r.ToRef},
			FromCustodian: r.FromCustodian, ToCustodian: r.ToCustodian, Reason: r.Reason, By: r.ByActor, At: r.At}
	}
	return out, err
}

// RecordUsage sets the units a units-of-use asset was used in a month ("2026-05";
// ADMIN, FINANCE, MAINTENANCE). A month already posted keeps its line: the difference
// goes into the next month posted.
func (s *Service) RecordUsage(ctx context.Context, assetID uuid.UUID, period string, units int64) error {
	a, _, err := s.assetFor(ctx, assetID, fieldRoles...)
	if err != nil {
		return err
	}
	if a.Rule.Method != depreciation.UnitsOfUse {
		return ErrUsageNotUnits
	}
	if _, perr := time.Parse("2006-01", period); perr != nil {
		return errs.Invalid("period", "a month like 2026-05")
	}
	if units < 0 || units > 1e12 {
		return errs.Invalid("units", "units of 0 or more")
	}
	return queries.New(s.db.Pool).UpsertUsage(ctx, queries.UpsertUsageParams{GroupID: a.GroupID, MallID: a.MallID,
		AssetID: a.ID, Period: period, Units: units})
}
