package assets

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/assets/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/tabular"
)

// importLimits bound an opening-assets file.
var importLimits = tabular.Limits{Bytes: 4 << 20, Rows: 5000, Columns: 30, CellBytes: 1000, Unzipped: 40 << 20,
	SheetXML: 20 << 20}

// importColumns are the columns of an opening-assets file (English or Chinese header).
var importColumns = map[string]string{
	"tag": "tag", "标签": "tag", "name": "name", "名称": "name", "category": "category", "类别": "category",
	"location_kind": "location_kind", "位置类型": "location_kind", "location": "location", "位置": "location",
	"supplier": "supplier", "供应商": "supplier", "acquired_on": "acquired_on", "购置日期": "acquired_on",
	"in_service_on": "in_service_on", "启用日期": "in_service_on", "cost": "cost", "原值": "cost",
	"salvage": "salvage", "残值": "salvage", "life_months": "life_months", "使用月数": "life_months",
	"method": "method", "折旧方法": "method", "accumulated": "accumulated", "累计折旧": "accumulated",
	"opening_on": "opening_on", "期初日期": "opening_on", "total_units": "total_units", "总工作量": "total_units",
	"opening_units": "opening_units", "已用工作量": "opening_units",
}

var requiredColumns = []string{"name", "category", "location_kind", "location", "acquired_on", "in_service_on",
	"cost", "life_months", "method", "accumulated", "opening_on"}

// RowError is a bad row of an import file.
type RowError struct {
	Line    int // 1-based line of the file (the header is line 1)
	Message string
}

// ImportResult is what an import did: all rows, or none and the bad rows.
type ImportResult struct {
	Imported []Asset
	Errors   []RowError
}

// ImportOpening registers the opening assets of a CSV or .xlsx file (ADMIN, FINANCE of
// the mall): one row per asset with its accumulated depreciation at the opening date
// (cost, salvage and accumulated in yuan; dates YYYY-MM-DD; the category by code,
// created when new). All rows or none: a file with a bad row imports nothing and lists
// every bad row.
func (s *Service) ImportOpening(ctx context.Context, mallID uuid.UUID, format string, content []byte) (ImportResult, error) {
	p, err := s.mallFor(ctx, mallID, manageRoles...)
	if err != nil {
		return ImportResult{}, err
	}
	rows, err := tabular.Read(format, bytes.NewReader(content), importLimits)
	if err != nil {
		return ImportResult{}, err
	}
	if len(rows) < 2 {
		return ImportResult{}, tabular.ErrFormat.Msgf("a header row and at least one asset")
	}
	cols, err := header(rows[0])
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for i, row := range rows[1:] {
			a, err := s.importRow(ctx, tx, p, cols, row)
			if err != nil {
				if _, ok := errs.As(err); !ok {
					return err
				}
				res.Errors = append(res.Errors, RowError{Line: i + 2, Message: err.Error()})
				continue
			}
			res.Imported = append(res.Imported, a)
		}
		if len(res.Errors) > 0 {
			return errRollback
		}
		return nil
	})
	if err == errRollback {
		return ImportResult{Errors: res.Errors}, nil
	}
	return res, err
}

var errRollback = errs.New(errs.KindUser, "IMPORT_ROLLED_BACK", "the file has bad rows")

// header maps column names to their index.
func header(row []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range row {
		if c, ok := importColumns[strings.ToLower(strings.TrimSpace(h))]; ok {
			cols[c] = i
		}
	}
	for _, c := range requiredColumns {
		if _, ok := cols[c]; !ok {
			return nil, tabular.ErrFormat.Msgf("the column %s is missing", c)
		}
	}
	return cols, nil
}

// importRow registers one row (a savepoint keeps a bad row from spoiling the rest).
func (s *Service) importRow(ctx context.Context, tx pgx.Tx, p org.Place, cols map[string]int, row []string) (Asset, error) {
	cell := func(c string) string {
		if i, ok := cols[c]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	in, err := parseRow(cell)
	if err != nil {
		return Asset{}, err
	}
	in.MallID = p.MallID
	sp, err := tx.Begin(ctx)
	if err != nil {
		return Asset{}, err
	}
	defer func() { _ = sp.Rollback(ctx) }()
	cat, err := queries.New(sp).CategoryByCode(ctx, queries.CategoryByCodeParams{GroupID: p.GroupID, MallID: p.MallID,
		Code: strings.ToUpper(cell("category"))})
	if err == pgx.ErrNoRows {
		cat, err = queries.New(sp).InsertCategory(ctx, queries.InsertCategoryParams{ID: service.NewID(), GroupID: p.GroupID,
			MallID: p.MallID, Code: strings.ToUpper(cell("category")), Name: cell("category"), CreatedAt: s.now()})
	}
	if err != nil {
		return Asset{}, err
	}
	in.CategoryID = cat.ID
	a, err := s.registerTx(ctx, sp, p, in, "row")
	if err != nil {
		return Asset{}, err
	}
	return a, sp.Commit(ctx)
}

// parseRow reads a row's cells into an opening asset.
func parseRow(cell func(string) string) (Input, error) {
	var in Input
	var err error
	date := func(c string) time.Time {
		t, e := time.Parse(time.DateOnly, cell(c))
		if e != nil && err == nil {
			err = errs.Invalid(c, "a date like 2026-01-31")
		}
		return t
	}
	money := func(c string, optional bool) int64 {
		if cell(c) == "" && optional {
			return 0
		}
		d, e := decimal.NewFromString(cell(c))
		if (e != nil || d.IsNegative() || !d.Equal(d.Round(2))) && err == nil {
			err = errs.Invalid(c, "an amount in yuan with at most two decimals")
		}
		return d.Shift(2).IntPart()
	}
	number := func(c string) int64 {
		if cell(c) == "" {
			return 0
		}
		n, e := strconv.ParseInt(cell(c), 10, 64)
		if e != nil && err == nil {
			err = errs.Invalid(c, "a whole number")
		}
		return n
	}
	in.Tag, in.Name, in.Supplier = cell("tag"), cell("name"), cell("supplier")
	in.Location = Location{Kind: strings.ToUpper(cell("location_kind")), Ref: cell("location")}
	in.AcquiredOn = date("acquired_on")
	in.Rule = depreciation.Asset{InService: date("in_service_on"), OpeningDate: date("opening_on"),
		Cost: money("cost", false), Salvage: money("salvage", true), OpeningAccumulated: money("accumulated", false),
		LifeMonths: int(number("life_months")), Method: depreciation.Method(strings.ToUpper(cell("method"))),
		TotalUnits: number("total_units"), OpeningUnits: number("opening_units")}
	return in, err
}
