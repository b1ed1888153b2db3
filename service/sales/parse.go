package sales

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

// Pure rules of reports and imports: dates, months, amounts and the rows of a table.

// dayLayouts are the spellings of a day accepted in imports and reports.
var dayLayouts = []string{"2006-1-2", "2006/1/2", "2006.1.2", "20060102"}

// maxAmount is the largest amount numeric(18,2) holds, exclusive.
var maxAmount = decimal.New(1, 16)

// ParseDay reads a calendar day (2026-11-03, 2026/11/3, 2026.11.3 or 20261103) as
// midnight UTC.
func ParseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dayLayouts {
		if d, err := time.Parse(l, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// ParseMonth reads a month (2026-11 or 2026/11) as its first day, midnight UTC.
func ParseMonth(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range []string{"2006-1", "2006/1"} {
		if d, err := time.Parse(l, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// ParseAmount reads an amount of yuan: digits with at most two decimals, optionally
// with a ¥ sign and thousands separators; negative amounts are refused
// (NEGATIVE_AMOUNT), anything else unreadable is INVALID_AMOUNT.
func ParseAmount(s string) (decimal.Decimal, *errs.Error) {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "¥￥")
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	d, err := decimal.NewFromString(s)
	if err != nil || s == "" || strings.ContainsAny(s, "eE") {
		return decimal.Zero, ErrInvalidAmount.Msgf("%q is not an amount", clip(s))
	}
	return d, CheckAmount(d)
}

// CheckAmount checks a reported amount: ≥ 0, at most two decimals, within numeric(18,2).
func CheckAmount(d decimal.Decimal) *errs.Error {
	switch {
	case d.IsNegative():
		return errNegative
	case !d.Equal(d.Round(2)):
		return ErrInvalidAmount.Msgf("at most two decimals")
	case d.GreaterThanOrEqual(maxAmount):
		return ErrInvalidAmount.Msgf("the amount is too large")
	}
	return nil
}

var errNegative = errs.New(errs.KindUser, "NEGATIVE_AMOUNT", "sales cannot be negative")

// clip shortens a cell quoted in a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// CheckDay refuses a day after today (both calendar days, midnight UTC).
func CheckDay(day, today time.Time) *errs.Error {
	if day.After(today) {
		return ErrFutureDay.Msgf("%s is after today (%s)", day.Format(time.DateOnly), today.Format(time.DateOnly))
	}
	return nil
}

// columns maps accepted header spellings (English and Chinese) to fields.
var columns = map[string]string{
	"date": "day", "day": "day", "日期": "day", "营业日": "day",
	"amount": "amount", "sales": "amount", "营业额": "amount", "金额": "amount", "销售额": "amount",
	"merchant": "merchant", "merchant_code": "merchant", "merchantcode": "merchant", "code": "merchant",
	"商户": "merchant", "商户编码": "merchant", "商户代码": "merchant",
}

// Header maps column index → field: day and amount are required, merchant when
// needMerchant (staff importing for many merchants).
func Header(row []string, needMerchant bool) (map[int]string, *errs.Error) {
	out, seen := map[int]string{}, map[string]bool{}
	for i, h := range row {
		f, ok := columns[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))]
		if ok && !seen[f] {
			out[i], seen[f] = f, true
		}
	}
	if !seen["day"] || !seen["amount"] || needMerchant && !seen["merchant"] {
		want := "date and amount"
		if needMerchant {
			want = "merchant, date and amount"
		}
		return nil, ErrImportFormat.Msgf("the first row must name the columns, including %s", want)
	}
	return out, nil
}

// Row is a good row of an import: the merchant's code as written (empty when the
// file has no merchant column), the day and the amount.
type Row struct {
	Line         int
	MerchantCode string
	Day          time.Time
	Amount       decimal.Decimal
}

// RowError says why one row of a file was not imported. Line is the spreadsheet row
// number (the header is line 1).
type RowError struct {
	Line    int
	Field   string
	Code    string
	Message string
}

// ParseTable turns the rows of an import (the first is the header) into good rows and
// row errors: a bad date, a day after today, a bad or negative amount, a missing
// merchant code (when needed), and a second row for the same merchant and day (the
// first is kept) are each reported with their line; blank rows are skipped.
func ParseTable(rows [][]string, today time.Time, needMerchant bool) ([]Row, []RowError, error) {
	if len(rows) == 0 {
		return nil, nil, ErrImportFormat.Msgf("the file is empty")
	}
	cols, herr := Header(rows[0], needMerchant)
	if herr != nil {
		return nil, nil, herr
	}
	var good []Row
	var bad []RowError
	seen := map[string]int{}
	for i, cells := range rows[1:] {
		if blank(cells) {
			continue
		}
		r, e := parseRow(cols, cells, i+2, today, needMerchant)
		if e == nil {
			e = duplicate(seen, r)
		}
		if e != nil {
			bad = append(bad, *e)
			continue
		}
		good = append(good, r)
	}
	return good, bad, nil
}

// duplicate reports a second row of the same merchant and day.
func duplicate(seen map[string]int, r Row) *RowError {
	key := strings.ToUpper(r.MerchantCode) + "|" + r.Day.Format(time.DateOnly)
	if first, ok := seen[key]; ok {
		return &RowError{Line: r.Line, Field: "date", Code: "DUPLICATE_DAY",
			Message: "the same day is on line " + itoa(first)}
	}
	seen[key] = r.Line
	return nil
}

// parseRow reads one data row.
func parseRow(cols map[int]string, cells []string, line int, today time.Time, needMerchant bool) (Row, *RowError) {
	r := Row{Line: line}
	var dayCell, amountCell string
	for i, c := range cells {
		switch cols[i] {
		case "day":
			dayCell = c
		case "amount":
			amountCell = c
		case "merchant":
			r.MerchantCode = strings.TrimSpace(c)
		}
	}
	if needMerchant && r.MerchantCode == "" {
		return r, &RowError{Line: line, Field: "merchant", Code: "UNKNOWN_MERCHANT", Message: "the merchant code is missing"}
	}
	return r, readDayAmount(&r, dayCell, amountCell, today)
}

// readDayAmount fills r's day and amount from their cells.
func readDayAmount(r *Row, dayCell, amountCell string, today time.Time) *RowError {
	day, ok := ParseDay(dayCell)
	if !ok {
		return &RowError{Line: r.Line, Field: "date", Code: "INVALID_DATE",
			Message: "date must look like 2026-11-03, not " + quote(dayCell)}
	}
	if e := CheckDay(day, today); e != nil {
		return &RowError{Line: r.Line, Field: "date", Code: e.Code, Message: e.Message}
	}
	amount, e := ParseAmount(amountCell)
	if e != nil {
		return &RowError{Line: r.Line, Field: "amount", Code: e.Code, Message: e.Message}
	}
	r.Day, r.Amount = day, amount
	return nil
}

func quote(s string) string { return "\"" + clip(strings.TrimSpace(s)) + "\"" }

func itoa(n int) string { return strconv.Itoa(n) }

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
