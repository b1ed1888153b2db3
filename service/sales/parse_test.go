package sales_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/sales"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseDay(t *testing.T) {
	cases := []struct {
		name, in string
		want     string // "" for refused
	}{
		{"iso", "2026-11-03", "2026-11-03"},
		{"iso without zeros", "2026-11-3", "2026-11-03"},
		{"slashes", "2026/11/03", "2026-11-03"},
		{"dots", "2026.11.3", "2026-11-03"},
		{"compact", "20261103", "2026-11-03"},
		{"spaces around", "  2026-11-03 ", "2026-11-03"},
		{"leap day", "2028-02-29", "2028-02-29"},
		{"not a leap day", "2026-02-29", ""},
		{"month 13", "2026-13-01", ""},
		{"day first", "03/11/2026", ""},
		{"words", "yesterday", ""},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := sales.ParseDay(tc.in)
			if tc.want == "" {
				if ok {
					t.Fatalf("ParseDay(%q) = %s, want refused", tc.in, got)
				}
				return
			}
			if !ok || !got.Equal(day(tc.want)) {
				t.Fatalf("ParseDay(%q) = %s, %v; want %s", tc.in, got, ok, tc.want)
			}
		})
	}
}

func TestParseMonth(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"iso", "2026-11", "2026-11-01"},
		{"slash", "2026/1", "2026-01-01"},
		{"a day is not a month", "2026-11-03", ""},
		{"month 0", "2026-00", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := sales.ParseMonth(tc.in)
			if (tc.want == "") == ok || ok && !got.Equal(day(tc.want)) {
				t.Fatalf("ParseMonth(%q) = %s, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		name, in, want, code string
	}{
		{"integer", "1200", "1200", ""},
		{"two decimals", "1200.50", "1200.5", ""},
		{"zero", "0", "0", ""},
		{"yuan sign and separators", "¥12,345.60", "12345.6", ""},
		{"full-width yuan sign", "￥88", "88", ""},
		{"negative", "-5", "", "NEGATIVE_AMOUNT"},
		{"three decimals", "1.005", "", "INVALID_AMOUNT"},
		{"words", "lots", "", "INVALID_AMOUNT"},
		{"empty", "", "", "INVALID_AMOUNT"},
		{"exponent", "1e5", "", "INVALID_AMOUNT"},
		{"too large for numeric(18,2)", "10000000000000000", "", "INVALID_AMOUNT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sales.ParseAmount(tc.in)
			if tc.code != "" {
				if err == nil || err.Code != tc.code {
					t.Fatalf("ParseAmount(%q) = %s, %v; want %s", tc.in, got, err, tc.code)
				}
				return
			}
			if err != nil || !got.Equal(d(tc.want)) {
				t.Fatalf("ParseAmount(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
}

// table splits a CSV-like text into rows (no quoting) for ParseTable cases.
func table(text string) [][]string {
	var out [][]string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		out = append(out, strings.Split(line, ","))
	}
	return out
}

func TestParseTable(t *testing.T) {
	today := day("2026-11-20")
	cases := []struct {
		name         string
		text         string
		needMerchant bool
		good         int
		errors       map[int]string // line → code
		fail         string         // a whole-file error code
	}{
		{"good days", "date,amount\n2026-11-01,100\n2026-11-02,200.5", false, 2, nil, ""},
		{"chinese header", "日期,营业额\n2026-11-01,100", false, 1, nil, ""},
		{"columns in any order, extra columns ignored", "note,amount,date\nx,100,2026-11-01", false, 1, nil, ""},
		{"bad date", "date,amount\n2026-11-01,100\n11/02/2026,5", false, 1, map[int]string{3: "INVALID_DATE"}, ""},
		{"future day", "date,amount\n2026-11-21,5\n2026-11-20,5", false, 1, map[int]string{2: "SALES_FUTURE_DAY"}, ""},
		{"negative amount", "date,amount\n2026-11-01,-1", false, 0, map[int]string{2: "NEGATIVE_AMOUNT"}, ""},
		{"non-numeric amount", "date,amount\n2026-11-01,abc", false, 0, map[int]string{2: "INVALID_AMOUNT"}, ""},
		{"duplicate day keeps the first", "date,amount\n2026-11-01,1\n2026-11-01,2", false, 1, map[int]string{3: "DUPLICATE_DAY"}, ""},
		{"same day of two merchants", "merchant,date,amount\nA,2026-11-01,1\nB,2026-11-01,2", true, 2, nil, ""},
		{"same day of one merchant, code case differs", "merchant,date,amount\nA,2026-11-01,1\na,2026-11-01,2", true, 1,
			map[int]string{3: "DUPLICATE_DAY"}, ""},
		{"missing merchant code", "merchant,date,amount\n,2026-11-01,1", true, 0, map[int]string{2: "UNKNOWN_MERCHANT"}, ""},
		{"blank rows skipped, lines still counted", "date,amount\n,\n2026-11-01,x", false, 0, map[int]string{3: "INVALID_AMOUNT"}, ""},
		{"header without amount", "date,total\n2026-11-01,1", false, 0, nil, "IMPORT_FORMAT"},
		{"mall file without merchant column", "date,amount\n2026-11-01,1", true, 0, nil, "IMPORT_FORMAT"},
		{"empty file", "", false, 0, nil, "IMPORT_FORMAT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var rows [][]string
			if tc.text != "" {
				rows = table(tc.text)
			}
			good, bad, err := sales.ParseTable(rows, today, tc.needMerchant)
			if tc.fail != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fail) {
					t.Fatalf("err = %v, want %s", err, tc.fail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(good) != tc.good {
				t.Errorf("good rows = %d, want %d", len(good), tc.good)
			}
			if len(bad) != len(tc.errors) {
				t.Fatalf("row errors = %+v, want %v", bad, tc.errors)
			}
			for _, e := range bad {
				if tc.errors[e.Line] != e.Code {
					t.Errorf("line %d: %s (%s), want %s", e.Line, e.Code, e.Message, tc.errors[e.Line])
				}
			}
		})
	}
}

func TestGapOf(t *testing.T) {
	threshold := d("0.20")
	cases := []struct {
		name               string
		declared, verified string
		gap                string
		pct                string // "" for none
		flagged            bool
	}{
		{"equal", "1000", "1000", "0", "0", false},
		{"verified below, within", "1000", "850", "-150", "15", false},
		{"verified below, at the threshold", "1000", "800", "-200", "20", false},
		{"verified below, beyond", "1000", "799.99", "-200.01", "20", true},
		{"verified above, within", "1000", "1199", "199", "19.9", false},
		{"verified above, beyond", "1000", "1300", "300", "30", true},
		{"nothing declared, nothing verified", "0", "0", "0", "", false},
		{"nothing declared, sales verified", "0", "50", "50", "", true},
		{"declared, nothing verified", "500", "0", "-500", "100", true},
		{"net refunds (negative verified)", "100", "-10", "-110", "110", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := sales.GapOf(d(tc.declared), d(tc.verified), threshold)
			if !g.Amount.Equal(d(tc.gap)) || g.Flagged != tc.flagged {
				t.Fatalf("gap %s flagged %v; want %s %v", g.Amount, g.Flagged, tc.gap, tc.flagged)
			}
			if (g.Percent == nil) != (tc.pct == "") || g.Percent != nil && !g.Percent.Equal(d(tc.pct)) {
				t.Fatalf("percent %v, want %q", g.Percent, tc.pct)
			}
		})
	}
}

func TestAlertMonth(t *testing.T) {
	cases := []struct {
		name   string
		today  string
		dueDay int
		month  string
		due    bool
	}{
		{"before the due day", "2026-12-04", 5, "2026-11-01", false},
		{"on the due day", "2026-12-05", 5, "2026-11-01", true},
		{"after the due day", "2026-12-31", 5, "2026-11-01", true},
		{"january checks december", "2027-01-10", 5, "2026-12-01", true},
		{"due on the 1st", "2026-12-01", 1, "2026-11-01", true},
		{"a later due day", "2026-12-09", 10, "2026-11-01", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, due := sales.AlertMonth(day(tc.today), tc.dueDay)
			if !m.Equal(day(tc.month)) || due != tc.due {
				t.Fatalf("AlertMonth = %s %v, want %s %v", m.Format(time.DateOnly), due, tc.month, tc.due)
			}
		})
	}
}
