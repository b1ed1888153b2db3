package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/sales"
)

// demoSales are the demo tenants' typical daily sales (yuan) on a weekday; weekends
// sell more.
var demoSales = map[string]int64{"COFFEE": 4200, "BOOKS": 2600, "FASHION": 9800}

// seedSales gives the demo tenants daily sales from the first day of the third month
// before this one through yesterday (the mall's days), imported as one file through
// the sales context as leasing staff would: rerunning replaces the same days, never
// doubles them, and leaves the days billing closed (percentage rent billed) as billed.
func (a *App) seedSales(ctx context.Context, _, mall uuid.UUID) error {
	place, err := a.Services.Org.MallPlace(ctx, nil, mall)
	if err != nil {
		return fmt.Errorf("demo sales: %w", err)
	}
	y, m, d := time.Now().In(place.Loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	from := time.Date(y, m-3, 1, 0, 0, 0, 0, time.UTC)
	rep, err := a.Services.Sales.Import(ctx, sales.ImportInput{MallID: mall, Format: sales.FormatCSV},
		strings.NewReader(demoSalesCSV(from, today)))
	if err != nil {
		return fmt.Errorf("demo sales: %w", err)
	}
	for _, e := range rep.Errors {
		if e.Code != sales.ErrPeriodClosed.Code {
			return fmt.Errorf("demo sales: line %d: %s", e.Line, e.Message)
		}
	}
	return nil
}

// demoSalesCSV is the file of the demo tenants' days in [from, to): a deterministic
// amount per merchant and day (a weekly rhythm and a small drift through the month).
func demoSalesCSV(from, to time.Time) string {
	var b strings.Builder
	b.WriteString("merchant,date,amount\n")
	for day := from; day.Before(to); day = day.AddDate(0, 0, 1) {
		for _, code := range []string{"COFFEE", "BOOKS", "FASHION"} {
			fmt.Fprintf(&b, "%s,%s,%s\n", code, day.Format(time.DateOnly), demoAmount(demoSales[code], day))
		}
	}
	return b.String()
}

// demoAmount is base scaled by the day: +35 % on weekends, ±9 % through the month.
func demoAmount(base int64, day time.Time) string {
	f := decimal.NewFromInt(100 + int64(day.Day()%10) - 4)
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		f = f.Add(decimal.NewFromInt(35))
	}
	return decimal.NewFromInt(base).Mul(f).Div(decimal.NewFromInt(100)).StringFixed(2)
}
