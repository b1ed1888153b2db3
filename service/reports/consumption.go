package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/reports/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Dimensions of the consumption report.
const (
	DimTotal    = "total"
	DimMonth    = "month"
	DimHour     = "hour"     // key "00".."23", the mall's local hour
	DimWeekday  = "weekday"  // key "1".."7", ISO (1 = Monday)
	DimCategory = "category" // the merchant's category (业态)
	DimMerchant = "merchant" // key the merchant's code
)

// ConsumptionRow is the consumption of one value of one dimension (消费统计).
type ConsumptionRow struct {
	Dim       string
	Key       string // the month, hour, weekday, category or merchant code ("" for the total)
	Name      string // the merchant's name (merchant rows)
	Purchases int64
	Amount    decimal.Decimal // purchase amounts (before discounts)
	Refunds   int64
	Refunded  decimal.Decimal
	Net       decimal.Decimal // Amount − Refunded
	AvgTicket decimal.Decimal // Amount ÷ Purchases, to the fen (0 without purchases)
}

// ConsumptionReport is a mall's consumption over a range of months by dimension.
type ConsumptionReport struct {
	Range Range
	Rows  []ConsumptionRow // total first, then by month, hour, weekday, category, merchant
	AsOf  *time.Time
	Read  storage.ReadSource
}

// Consumption is the consumption statistics of a mall over a range (admin, finance,
// member operations of the mall): amount, count and average ticket in total, per
// month, hour of day, weekday, category and merchant, from the daily rollup.
func (s *Service) Consumption(ctx context.Context, mallID uuid.UUID, r Range) (ConsumptionReport, error) {
	rep := ConsumptionReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	p, err := s.mallFor(ctx, mallID, memberRoles...)
	if err != nil {
		return rep, err
	}
	ctx, read, err := s.replica(ctx)
	if err != nil {
		return rep, err
	}
	rep, err = s.consumption(ctx, p.GroupID, mallID, r)
	rep.Read = read
	return rep, err
}

var dimOrder = map[string]int{DimTotal: 0, DimMonth: 1, DimHour: 2, DimWeekday: 3, DimCategory: 4, DimMerchant: 5}

func (s *Service) consumption(ctx context.Context, group, mall uuid.UUID, r Range) (ConsumptionReport, error) {
	rep := ConsumptionReport{Range: r}
	q := queries.New(s.db.Reader(ctx))
	rows, err := q.ConsumptionCube(ctx, queries.ConsumptionCubeParams{GroupID: group, MallID: mall,
		FromMonth: r.From.First(), ToMonth: r.To.Next().First()})
	if err != nil {
		return rep, err
	}
	byID, err := s.merchants(ctx, mall)
	if err != nil {
		return rep, err
	}
	for _, x := range rows {
		row := ConsumptionRow{Dim: x.Dim, Purchases: x.Purchases, Amount: x.Amount, Refunds: x.Refunds,
			Refunded: x.Refunded, Net: x.Amount.Sub(x.Refunded)}
		if x.Purchases > 0 {
			row.AvgTicket = x.Amount.Div(decimal.NewFromInt(x.Purchases)).Round(2)
		}
		switch x.Dim {
		case DimMonth:
			row.Key = x.Month
		case DimHour:
			row.Key = fmt.Sprintf("%02d", x.Hour)
		case DimWeekday:
			row.Key = fmt.Sprint(x.Weekday)
		case DimCategory:
			row.Key = x.Category
		case DimMerchant:
			m := byID[x.MerchantID]
			row.Key, row.Name = m.code, m.name
		}
		rep.Rows = append(rep.Rows, row)
	}
	sortConsumption(rep.Rows)
	rep.AsOf, err = s.asOf(ctx, SourcePurchases, SourceRefunds)
	return rep, err
}

// Table is the report as a table.
func (r ConsumptionReport) Table() Table {
	t := Table{Name: "consumption", AsOf: r.AsOf, Read: r.Read, Columns: []Column{
		{"dimension", "维度", KindText}, {"key", "项目", KindText}, {"name", "名称", KindText},
		{"purchases", "笔数", KindInt}, {"amount", "消费金额", KindMoney}, {"averageTicket", "客单价", KindMoney},
		{"refunds", "退货笔数", KindInt}, {"refunded", "退货金额", KindMoney}, {"net", "净消费", KindMoney}}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{x.Dim, x.Key, x.Name, x.Purchases, x.Amount, x.AvgTicket, x.Refunds, x.Refunded,
			x.Net})
	}
	t.Summary = summarize("每月消费", r.Rows, func(x ConsumptionRow) (string, bool) { return x.Key, x.Dim == DimMonth },
		[]SummarySeries{{Name: "消费金额", Kind: KindMoney}, {Name: "净消费", Kind: KindMoney}},
		func(x ConsumptionRow) []decimal.Decimal { return []decimal.Decimal{x.Amount, x.Net} })
	return t
}

type merchantName struct{ code, name string }

func (s *Service) merchants(ctx context.Context, mall uuid.UUID) (map[uuid.UUID]merchantName, error) {
	names, err := queries.New(s.db.Reader(ctx)).MerchantNames(ctx, mall)
	out := map[uuid.UUID]merchantName{}
	for _, m := range names {
		out[m.ID] = merchantName{m.Code, m.Name}
	}
	return out, err
}
