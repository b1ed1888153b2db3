package receipt_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing/receipt"
	"github.com/atrium-mall/atrium/service/billing/receipt/pdftext"
)

func TestRenderShowsTheAllocation(t *testing.T) {
	t.Parallel()
	pdf, err := receipt.Render(receipt.Receipt{No: "R20261120-ABC", Mall: "静安广场 Jing'an Plaza", Tenant: "小杨生煎",
		Amount: decimal.RequireFromString("5000"), Method: "BANK", Reference: "BOC 123",
		ReceivedOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Credit: decimal.Zero,
		Lines: []receipt.Line{{Period: "2026-10", Code: "MGMT_FEE", Due: "2026-10-05", Amount: decimal.RequireFromString("1000")},
			{Period: "2026-10", Code: "RENT", Due: "2026-10-05", Amount: decimal.RequireFromString("4000")}}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:8])
	}
	text, err := pdftext.Extract(pdf)
	if err != nil {
		t.Fatal(err)
	}
	text = strings.ReplaceAll(text, "\n", "") // each font run is a text block
	for _, want := range []string{"静安广场", "小杨生煎", "收据 RECEIPT  R20261120-ABC", "¥5000.00", "银行转账", "BOC 123",
		"MGMT_FEE", "¥1000.00", "RENT", "¥4000.00", "2026-10-05"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt's text lacks %q:\n%s", want, text)
		}
	}
	if len(pdf) > 400_000 {
		t.Errorf("receipt is %d bytes: the font is not subset", len(pdf))
	}
}
