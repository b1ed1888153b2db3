// Package receipt renders a tenant payment's receipt (收据) as a PDF with
// github.com/signintech/gopdf: the mall, the tenant, the amount, the method, the
// reference and the allocation per bill line, in Chinese and English. Two fonts are
// embedded: Droid Sans Fallback for CJK (Apache License 2.0: font/LICENSE-DroidSansFallback,
// font/COPYRIGHT-DroidSansFallback; Debian package fonts-droid-fallback), which has no
// Latin glyphs, and DejaVu Sans for the rest (Bitstream Vera licence, DejaVu changes in
// the public domain: font/LICENSE-DejaVu; Debian package fonts-dejavu-core). Text is
// written in runs, each in the font that has its characters. gopdf subsets the fonts,
// so a receipt carries only the glyphs it uses (with ToUnicode maps, so its text can
// be extracted: pdftext). It is pure: the billing service passes the data and stores
// the bytes.
package receipt

import (
	"bytes"
	_ "embed"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/signintech/gopdf"
)

var (
	//go:embed font/DroidSansFallback.ttf
	cjkFont []byte
	//go:embed font/DejaVuSans.ttf
	latinFont []byte
)

// cjk reports whether r is written in the CJK font (CJK radicals onwards, and the
// full-width forms); everything before is in DejaVu Sans.
func cjk(r rune) bool { return r >= 0x2E80 }

// runs splits s into runs of one font each.
func runs(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 1; i <= len(rs); i++ {
		if i == len(rs) || cjk(rs[i]) != cjk(rs[start]) {
			out = append(out, string(rs[start:i]))
			start = i
		}
	}
	return out
}

// Line is what the payment paid of one bill line.
type Line struct {
	Period string // the bill's month, YYYY-MM
	Code   string // the charge code
	Due    string // the line's due date, YYYY-MM-DD
	Amount decimal.Decimal
}

// Receipt is what a receipt shows.
type Receipt struct {
	No         string
	Mall       string
	Tenant     string
	Amount     decimal.Decimal
	Method     string // BANK, CASH, WECHAT
	Reference  string
	ReceivedOn time.Time
	Lines      []Line
	Credit     decimal.Decimal // what the payment left as tenant credit
	Reversed   string          // the reversal's reason, '' when the payment stands
}

// methodNames are the methods in words.
var methodNames = map[string]string{"BANK": "银行转账 Bank transfer", "CASH": "现金 Cash", "WECHAT": "微信支付 WeChat Pay"}

// Render returns the receipt as a PDF (A4).
func Render(r Receipt) ([]byte, error) {
	var pdf gopdf.GoPdf
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.SetInfo(gopdf.PdfInfo{Title: "Receipt " + r.No, Creator: "Atrium", CreationDate: r.ReceivedOn})
	if err := pdf.AddTTFFontData("cjk", cjkFont); err != nil {
		return nil, fmt.Errorf("receipt: font: %w", err)
	}
	if err := pdf.AddTTFFontData("latin", latinFont); err != nil {
		return nil, fmt.Errorf("receipt: font: %w", err)
	}
	pdf.AddPage()
	y := 50.0
	text := func(x float64, size int, s string) error {
		for _, run := range runs(s) {
			family := "latin"
			if cjk([]rune(run)[0]) {
				family = "cjk"
			}
			if err := pdf.SetFont(family, "", size); err != nil {
				return err
			}
			w, err := pdf.MeasureTextWidth(run)
			if err != nil {
				return err
			}
			pdf.SetXY(x, y)
			if err := pdf.Text(run); err != nil {
				return err
			}
			x += w
		}
		return nil
	}
	rows := []struct {
		x    float64
		size int
		s    string
		dy   float64
	}{
		{50, 18, r.Mall, 28},
		{50, 16, "收据 RECEIPT  " + r.No, 30},
		{50, 11, "租户 Tenant: " + r.Tenant, 18},
		{50, 11, "收款日期 Received on: " + r.ReceivedOn.Format("2006-01-02"), 18},
		{50, 11, "金额 Amount: ¥" + r.Amount.StringFixed(2), 18},
		{50, 11, "方式 Method: " + methodNames[r.Method], 18},
		{50, 11, "参考号 Reference: " + r.Reference, 28},
		{50, 12, "分配 Allocation", 20},
	}
	for _, row := range rows {
		if err := text(row.x, row.size, row.s); err != nil {
			return nil, err
		}
		y += row.dy
	}
	for _, l := range r.Lines {
		for _, c := range []struct {
			x float64
			s string
		}{{50, l.Period}, {130, l.Code}, {300, l.Due}, {430, "¥" + l.Amount.StringFixed(2)}} {
			if err := text(c.x, 10, c.s); err != nil {
				return nil, err
			}
		}
		y += 16
		if y > 760 {
			pdf.AddPage()
			y = 50
		}
	}
	y += 10
	if err := text(50, 11, "余额转预收 Tenant credit: ¥"+r.Credit.StringFixed(2)); err != nil {
		return nil, err
	}
	if r.Reversed != "" {
		y += 20
		if err := text(50, 12, "已冲销 REVERSED: "+r.Reversed); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := pdf.Write(&buf); err != nil {
		return nil, fmt.Errorf("receipt: write: %w", err)
	}
	return buf.Bytes(), nil
}
