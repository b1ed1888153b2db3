package sales

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/sales/internal/queries"
)

// ImportInput says whose sales a file holds: one merchant's (MerchantID; its tenant
// or staff of its mall; a merchant column, if any, must name it), or any merchants of
// a mall (MallID; leasing, finance and admin staff; a merchant code column required).
type ImportInput struct {
	MallID     uuid.UUID
	MerchantID uuid.UUID
	Format     string // csv or xlsx
}

// ImportReport is the outcome of an import: good rows are in, bad rows listed.
type ImportReport struct {
	Imported int
	Errors   []RowError
}

// Import reads daily sales from a CSV or .xlsx file (first row: column names — date/
// 日期, amount/营业额 and, for a mall's file, merchant/商户编码). Bad rows are reported
// with their line and reason; good rows are written together, each replacing what was
// reported for its merchant and day (a second upload of the same days replaces them,
// never doubles). A day on or before the merchant's closing is a row error too.
func (s *Service) Import(ctx context.Context, in ImportInput, r io.Reader) (ImportReport, error) {
	p, byCode, err := s.importScope(ctx, in)
	if err != nil {
		return ImportReport{}, err
	}
	table, err := ReadTable(in.Format, r)
	if err != nil {
		return ImportReport{}, err
	}
	rows, bad, err := ParseTable(table, today(s.now(), p.Loc), in.MerchantID == uuid.Nil)
	if err != nil {
		return ImportReport{}, err
	}
	good, bad2 := resolveMerchants(rows, byCode, p.MerchantID)
	var rep ImportReport
	err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		var err error
		rep.Imported, rep.Errors, err = s.writeImport(ctx, tx, p, good, append(bad, bad2...))
		return err
	})
	sortErrors(rep.Errors)
	return rep, err
}

// importScope authorizes an import and returns its place and the merchants it may name
// by code (upper case).
func (s *Service) importScope(ctx context.Context, in ImportInput) (org.Place, map[string]uuid.UUID, error) {
	var p org.Place
	var err error
	if in.MerchantID != uuid.Nil {
		p, _, err = s.atMerchant(ctx, in.MerchantID)
	} else {
		p, err = s.atMall(ctx, in.MallID, mallRoles...)
	}
	if err != nil {
		return p, nil, err
	}
	merchants, err := s.org.MallMerchants(ctx, p.MallID)
	byCode := map[string]uuid.UUID{}
	for _, m := range merchants {
		if p.MerchantID == uuid.Nil || m.ID == p.MerchantID {
			byCode[strings.ToUpper(m.Code)] = m.ID
		}
	}
	return p, byCode, err
}

// dayRow is a good row with its merchant resolved.
type dayRow struct {
	Row
	merchant uuid.UUID
}

// resolveMerchants maps rows to merchants: by code, or the file's one merchant (only)
// when a row names none. An unknown code (or another merchant's) is a row error.
func resolveMerchants(rows []Row, byCode map[string]uuid.UUID, only uuid.UUID) ([]dayRow, []RowError) {
	var good []dayRow
	var bad []RowError
	for _, r := range rows {
		if r.MerchantCode == "" && only != uuid.Nil {
			good = append(good, dayRow{r, only})
			continue
		}
		id, ok := byCode[strings.ToUpper(r.MerchantCode)]
		if !ok {
			bad = append(bad, RowError{Line: r.Line, Field: "merchant", Code: "UNKNOWN_MERCHANT",
				Message: "no merchant " + quote(r.MerchantCode) + " here"})
			continue
		}
		good = append(good, dayRow{r, id})
	}
	return good, bad
}

// writeImport drops the rows of closed days (row errors) and writes the rest.
func (s *Service) writeImport(ctx context.Context, tx pgx.Tx, p org.Place, rows []dayRow, bad []RowError) (int, []RowError, error) {
	closed, err := s.closings(ctx, tx, p.GroupID, p.MallID, merchantsOf(rows))
	if err != nil {
		return 0, nil, err
	}
	arg := queries.UpsertSaleDaysParams{GroupID: p.GroupID, MallID: p.MallID, Source: string(SourceImport),
		ReportedBy: viewerID(ctx), ReportedAt: s.now()}
	for _, r := range rows {
		if c, ok := closed[r.merchant]; ok && !r.Day.After(c) {
			bad = append(bad, RowError{Line: r.Line, Field: "date", Code: ErrPeriodClosed.Code,
				Message: "sales are closed through " + c.Format(time.DateOnly)})
			continue
		}
		arg.MerchantIds, arg.Days = append(arg.MerchantIds, r.merchant), append(arg.Days, r.Day)
		arg.Amounts = append(arg.Amounts, r.Amount)
	}
	if len(arg.Days) == 0 {
		return 0, bad, nil
	}
	n, err := queries.New(tx).UpsertSaleDays(ctx, arg)
	return int(n), bad, err
}

func merchantsOf(rows []dayRow) []uuid.UUID {
	seen := map[uuid.UUID]bool{}
	var out []uuid.UUID
	for _, r := range rows {
		if !seen[r.merchant] {
			out, seen[r.merchant] = append(out, r.merchant), true
		}
	}
	return out
}

// sortErrors orders row errors by line.
func sortErrors(es []RowError) {
	slices.SortStableFunc(es, func(a, b RowError) int { return a.Line - b.Line })
}
