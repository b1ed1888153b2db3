package points

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Row is one good line of a merchant's consumption file.
type Row struct {
	Line   int // the spreadsheet row (the header is 1)
	Key    string
	Phone  string // the member's phone, or
	Card   string // the member's card number
	Amount decimal.Decimal
	At     time.Time
}

// RowError says why a line was not imported.
type RowError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Row error codes.
const (
	CodeMissing      = "REQUIRED"
	CodeBadAmount    = "INVALID_AMOUNT"
	CodeBadTime      = "INVALID_TIME"
	CodeBadKey       = "INVALID_ROW_KEY"
	CodeRepeated     = "DUPLICATE_IN_FILE"
	CodeFuture       = "TIME_IN_FUTURE"
	CodeUnknown      = "MEMBER_NOT_FOUND"
	CodeInactive     = "MEMBER_INACTIVE"
	CodeAlreadyPaid  = "ALREADY_IMPORTED"
	MaxKeyLength     = 64
	MaxAmountPerLine = 1000000
)

// headers maps accepted column names (English and Chinese) to fields.
var headers = map[string]string{
	"key": "key", "row_key": "key", "receipt": "key", "receipt_no": "key", "单号": "key", "流水号": "key", "小票号": "key",
	"phone": "phone", "mobile": "phone", "手机": "phone", "手机号": "phone",
	"card": "card", "card_no": "card", "card_number": "card", "卡号": "card", "会员卡号": "card",
	"amount": "amount", "金额": "amount", "消费金额": "amount",
	"time": "time", "at": "time", "date": "time", "时间": "time", "消费时间": "time", "日期": "time",
}

// Header maps column index → field; key, amount, time and phone or card are required.
// ok is false when a required column is missing.
func Header(row []string) (map[int]string, bool) {
	out, seen := map[int]string{}, map[string]bool{}
	for i, h := range row {
		f, ok := headers[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))]
		if ok && !seen[f] {
			out[i], seen[f] = f, true
		}
	}
	return out, seen["key"] && seen["amount"] && seen["time"] && (seen["phone"] || seen["card"])
}

var timeLayouts = []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05",
	"2006/01/02 15:04", "2006-01-02", "2006/01/02"}

// ParseTime reads a consumption time in loc (a date alone is its midnight).
func ParseTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Parse reads the data rows of a file (rows[0] is the header, already mapped by cols):
// good rows, and each bad row's error with its line. A row key repeated within the
// file is an error on its later lines. now bounds the consumption time.
func Parse(rows [][]string, cols map[int]string, loc *time.Location, now time.Time) ([]Row, []RowError) {
	var good []Row
	var bad []RowError
	seen := map[string]int{}
	for i, row := range rows {
		line := i + 2
		if blank(row) {
			continue
		}
		r, e := parseRow(row, cols, loc, now)
		r.Line = line
		if e == nil {
			if first, dup := seen[r.Key]; dup {
				e = &RowError{Field: "key", Code: CodeRepeated, Message: "row key repeated (first on line " + itoa(first) + ")"}
			} else {
				seen[r.Key] = line
			}
		}
		if e != nil {
			e.Line = line
			bad = append(bad, *e)
			continue
		}
		good = append(good, r)
	}
	return good, bad
}

func parseRow(row []string, cols map[int]string, loc *time.Location, now time.Time) (Row, *RowError) {
	var r Row
	var amount, at string
	for i, cell := range row {
		cell = strings.TrimSpace(cell)
		switch cols[i] {
		case "key":
			r.Key = cell
		case "phone":
			r.Phone = cell
		case "card":
			r.Card = cell
		case "amount":
			amount = cell
		case "time":
			at = cell
		}
	}
	switch {
	case r.Key == "":
		return r, &RowError{Field: "key", Code: CodeMissing, Message: "the row key (receipt number) is required"}
	case len(r.Key) > MaxKeyLength:
		return r, &RowError{Field: "key", Code: CodeBadKey, Message: "the row key is longer than 64 characters"}
	case r.Phone == "" && r.Card == "":
		return r, &RowError{Field: "phone", Code: CodeMissing, Message: "give the member's phone or card number"}
	}
	a, err := decimal.NewFromString(strings.TrimPrefix(strings.ReplaceAll(amount, ",", ""), "¥"))
	if err != nil || !a.IsPositive() || !a.Equal(a.Round(2)) || a.GreaterThan(decimal.NewFromInt(MaxAmountPerLine)) {
		return r, &RowError{Field: "amount", Code: CodeBadAmount, Message: "amount must be a positive number of yuan with at most 2 decimals, up to 1,000,000"}
	}
	r.Amount = a
	t, ok := ParseTime(at, loc)
	if !ok {
		return r, &RowError{Field: "time", Code: CodeBadTime, Message: "time must look like 2006-01-02 15:04:05"}
	}
	if t.After(now) {
		return r, &RowError{Field: "time", Code: CodeFuture, Message: "the consumption time is in the future"}
	}
	r.At = t
	return r, nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }
