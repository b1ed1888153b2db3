package points

import (
	"testing"
	"time"
)

func TestHeader(t *testing.T) {
	for _, c := range []struct {
		name string
		row  []string
		ok   bool
	}{
		{"english with phone", []string{"key", "phone", "amount", "time"}, true},
		{"chinese with card", []string{"流水号", "会员卡号", "消费金额", "消费时间"}, true},
		{"bom and case", []string{"\ufeffKey", "Card", "Amount", "Time"}, true},
		{"no member column", []string{"key", "amount", "time"}, false},
		{"no key", []string{"phone", "amount", "time"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, ok := Header(c.row); ok != c.ok {
				t.Errorf("Header(%v) ok = %v", c.row, ok)
			}
		})
	}
}

func TestParse(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	cols, _ := Header([]string{"key", "phone", "card", "amount", "time"})
	rows := [][]string{
		{"R1", "13900000001", "", "129.50", "2026-11-30 10:00:00"},
		{"", "13900000001", "", "10", "2026-11-30"},
		{"R3", "", "", "10", "2026-11-30"},
		{"R4", "13900000001", "", "-5", "2026-11-30"},
		{"R5", "13900000001", "", "10.001", "2026-11-30"},
		{"R6", "13900000001", "", "10", "yesterday"},
		{"R7", "13900000001", "", "10", "2027-01-01"},
		{"R1", "13900000002", "", "10", "2026-11-30"},
		{"", "", "", "", ""},
		{"R9", "", "C0001", "1,000.00", "2026/11/29 08:00"},
	}
	good, bad := Parse(rows, cols, time.UTC, now)
	if len(good) != 2 || good[0].Key != "R1" || good[0].Line != 2 || good[1].Key != "R9" || good[1].Amount.String() != "1000" {
		t.Fatalf("good rows: %+v", good)
	}
	want := []struct {
		name string
		line int
		code string
	}{
		{"missing key", 3, CodeMissing}, {"no member", 4, CodeMissing}, {"negative amount", 5, CodeBadAmount},
		{"over-precise amount", 6, CodeBadAmount}, {"bad time", 7, CodeBadTime}, {"future time", 8, CodeFuture},
		{"key repeated in the file", 9, CodeRepeated},
	}
	if len(bad) != len(want) {
		t.Fatalf("bad rows: %+v", bad)
	}
	for i, w := range want {
		t.Run(w.name, func(t *testing.T) {
			if bad[i].Line != w.line || bad[i].Code != w.code {
				t.Errorf("got %+v, want line %d %s", bad[i], w.line, w.code)
			}
		})
	}
}
