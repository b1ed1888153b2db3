package exports

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/workorders"
)

// The sources of the lists that exist today. Each reads through its owning context's
// own list function — the same one its GraphQL query calls, so the same roles and mall
// scope apply — in keyset pages of PageSize, and its total through the owner's count
// of that list. None reads another context's tables.

// fen is a yuan amount in fen (rounded half away from zero).
func fen(d decimal.Decimal) int64 { return d.Shift(2).Round(0).IntPart() }

// monthly accumulates a monthly summary while the rows stream by (months few, rows
// many: memory stays small).
type monthly struct {
	zone   *time.Location
	series []Series
	idx    map[string]int // month → index
	months []string
}

func newMonthly(zone *time.Location, series ...Series) *monthly {
	return &monthly{zone: zone, series: series, idx: map[string]int{}}
}

func (m *monthly) add(month string, values ...int64) {
	i, ok := m.idx[month]
	if !ok {
		i = len(m.months)
		m.idx[month] = i
		m.months = append(m.months, month)
		for j := range m.series {
			m.series[j].Values = append(m.series[j].Values, 0)
		}
	}
	for j, v := range values {
		m.series[j].Values[i] += v
	}
}

// chart returns the summary with months in order.
func (m *monthly) chart(title string) (*Chart, error) {
	if len(m.months) == 0 {
		return nil, nil
	}
	order := slices.Sorted(maps.Keys(m.idx))
	out := Chart{Title: title, Months: order}
	for _, s := range m.series {
		vals := make([]int64, len(order))
		for k, month := range order {
			vals[k] = s.Values[m.idx[month]]
		}
		out.Series = append(out.Series, Series{Name: s.Name, Kind: s.Kind, Values: vals})
	}
	return &out, nil
}

// MemberColumns are the members export's columns: the member import's columns first
// (members.ImportHeaders, so an exported file imports again), then what only an export
// shows.
var MemberColumns = append(importColumns(), Column{Header: "注册时间", Kind: DateTime}, Column{Header: "状态", Kind: Text})

func importColumns() []Column {
	kinds := map[string]Kind{"生日": Date, "纪念日": Date}
	var out []Column
	for _, h := range members.ImportHeaders {
		out = append(out, Column{Header: h, Kind: kinds[h]})
	}
	return out
}

// membersSource exports the staff member list (members.SearchMembers).
type membersSource struct {
	members *members.Service
	org     *org.Service
}

// MembersSource is the member list: the staff who may search a group's members
// (admin, member operations, service desk) export it, filtered by tag and registration
// time, with a monthly summary of registrations.
func MembersSource(m *members.Service, o *org.Service) Source {
	return membersSource{members: m, org: o}
}

func (membersSource) Spec() Spec {
	return Spec{Kind: "members", Title: "会员列表", Columns: MemberColumns}
}

func (s membersSource) Open(ctx context.Context, f Filter) (Rows, error) {
	p, err := s.org.MallPlace(ctx, nil, f.MallID)
	if err != nil {
		return Rows{}, errs.ErrForbidden
	}
	mf := members.MemberFilter{GroupID: p.GroupID, Tag: f.Tag, RegisteredFrom: f.From, RegisteredTo: f.To}
	total, err := s.members.CountMembers(ctx, mf)
	if err != nil {
		return Rows{}, err
	}
	sum := newMonthly(p.Loc, Series{Name: "新注册会员", Kind: Int})
	next := Pages(func(ctx context.Context, after uuid.UUID) ([]members.Member, bool, error) {
		r, err := s.members.SearchMembers(ctx, mf, page.Request{First: PageSize, After: after})
		return r.Items, r.HasNext, err
	}, func(m members.Member) uuid.UUID { return m.ID }, func(m members.Member) []any {
		if m.RegisteredAt != nil {
			sum.add(m.RegisteredAt.In(p.Loc).Format("2006-01"), 1)
		}
		return []any{m.Name, m.Phone, m.Gender, m.Birthday, m.Anniversary, strings.Join(m.Tags, ","),
			m.SourceChannel, m.RegisteredAt, string(m.Status)}
	})
	return Rows{Total: total, Next: next, Summary: func(context.Context) (*Chart, error) { return sum.chart("每月新注册会员") }}, nil
}

// billsSource exports a mall's bills (billing.Bills).
type billsSource struct {
	billing *billing.Service
	org     *org.Service
}

// BillsSource is a mall's bills (finance and admins of the mall), filtered by status,
// merchant and period, with a monthly summary of amounts billed and outstanding.
func BillsSource(b *billing.Service, o *org.Service) Source { return billsSource{billing: b, org: o} }

func (billsSource) Spec() Spec {
	return Spec{Kind: "bills", Title: "账单", Columns: []Column{
		{Header: "账期", Kind: Text, Width: 10}, {Header: "商户", Kind: Text, Width: 24}, {Header: "类型", Kind: Text},
		{Header: "状态", Kind: Text}, {Header: "不含税金额", Kind: Money}, {Header: "税额", Kind: Money},
		{Header: "含税金额", Kind: Money}, {Header: "未收金额", Kind: Money}, {Header: "到期日", Kind: Date},
		{Header: "开具时间", Kind: DateTime}, {Header: "创建时间", Kind: DateTime}}}
}

func (s billsSource) Open(ctx context.Context, f Filter) (Rows, error) {
	bf := billing.BillFilter{Status: billing.BillStatus(strings.ToLower(f.Status)), MerchantID: f.MerchantID, Period: f.Period}
	total, err := s.billing.CountBills(ctx, f.MallID, bf)
	if err != nil {
		return Rows{}, err
	}
	names := map[uuid.UUID]string{} // merchant names, read once each
	name := func(ctx context.Context, id uuid.UUID) string {
		if n, ok := names[id]; ok {
			return n
		}
		m, err := s.org.Merchant(ctx, id)
		names[id] = m.Name
		if err != nil {
			names[id] = id.String()
		}
		return names[id]
	}
	sum := newMonthly(nil, Series{Name: "含税金额", Kind: Money}, Series{Name: "未收金额", Kind: Money})
	var cur context.Context
	next := Pages(func(ctx context.Context, after uuid.UUID) ([]billing.Bill, bool, error) {
		cur = ctx
		r, err := s.billing.Bills(ctx, f.MallID, bf, page.Request{First: PageSize, After: after})
		return r.Items, r.HasNext, err
	}, func(b billing.Bill) uuid.UUID { return b.ID }, func(b billing.Bill) []any {
		sum.add(b.Period, fen(b.Gross), fen(b.Outstanding))
		return []any{b.Period, name(cur, b.MerchantID), string(b.Kind), string(b.Status), fen(b.Net), fen(b.VAT),
			fen(b.Gross), fen(b.Outstanding), b.DueOn, b.IssuedAt, b.CreatedAt}
	})
	return Rows{Total: total, Next: next, Summary: func(context.Context) (*Chart, error) { return sum.chart("每月账单金额") }}, nil
}

// workOrdersSource exports a mall's work orders (workorders.Orders, staff lists).
type workOrdersSource struct{ orders *workorders.Service }

// WorkOrdersSource is a mall's work orders (its property-services staff), filtered by
// status and category.
func WorkOrdersSource(w *workorders.Service) Source { return workOrdersSource{orders: w} }

func (workOrdersSource) Spec() Spec {
	return Spec{Kind: "work_orders", Title: "工单", Columns: []Column{
		{Header: "工单号", Kind: Int}, {Header: "类别", Kind: Text}, {Header: "优先级", Kind: Text},
		{Header: "来源", Kind: Text}, {Header: "状态", Kind: Text}, {Header: "区域", Kind: Text},
		{Header: "描述", Kind: Text, Width: 40}, {Header: "创建时间", Kind: DateTime}, {Header: "响应时间", Kind: DateTime},
		{Header: "解决时间", Kind: DateTime}, {Header: "关闭时间", Kind: DateTime}, {Header: "评分", Kind: Int}}}
}

func (s workOrdersSource) Open(ctx context.Context, f Filter) (Rows, error) {
	wf := workorders.Filter{MallID: f.MallID}
	if f.Status != "" {
		st := workorders.Status(strings.ToUpper(f.Status))
		wf.Status = &st
	}
	if f.Category != "" {
		wf.Category = &f.Category
	}
	total, err := s.orders.CountOrders(ctx, wf)
	if err != nil {
		return Rows{}, err
	}
	next := Pages(func(ctx context.Context, after uuid.UUID) ([]workorders.Order, bool, error) {
		r, err := s.orders.Orders(ctx, wf, page.Request{First: PageSize, After: after})
		return r.Items, r.HasNext, err
	}, func(o workorders.Order) uuid.UUID { return o.ID }, func(o workorders.Order) []any {
		var rating any
		if o.Rating != nil {
			rating = int64(*o.Rating)
		}
		return []any{o.Number, o.Category, string(o.Priority), string(o.Source), string(o.Status), o.Zone, o.Description,
			o.OpenedAt, o.RespondedAt, o.ResolvedAt, o.ClosedAt, rating}
	})
	return Rows{Total: total, Next: next}, nil
}

// cardPostingsSource exports the ledger postings that moved one card.
type cardPostingsSource struct {
	members *members.Service
	ledger  *ledger.Service
	org     *org.Service
}

// CardPostingsSource is the ledger history of one card (filter cardId): staff who may
// read the card (members.Card: admin, member operations, service desk of its group),
// of a card of the export's mall's group.
func CardPostingsSource(m *members.Service, l *ledger.Service, o *org.Service) Source {
	return cardPostingsSource{members: m, ledger: l, org: o}
}

func (cardPostingsSource) Spec() Spec {
	return Spec{Kind: "card_postings", Title: "卡流水", Columns: []Column{
		{Header: "时间", Kind: DateTime}, {Header: "类型", Kind: Text}, {Header: "备注", Kind: Text, Width: 30},
		{Header: "积分", Kind: Int}, {Header: "待入账积分", Kind: Int}, {Header: "储值", Kind: Money},
		{Header: "次数", Kind: Int}}}
}

func (s cardPostingsSource) Open(ctx context.Context, f Filter) (Rows, error) {
	if f.CardID == uuid.Nil {
		return Rows{}, errs.Invalid("input.filter.cardId", "choose a card")
	}
	c, err := s.members.Card(ctx, f.CardID)
	if err != nil {
		return Rows{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, f.MallID)
	if err != nil || p.GroupID != c.GroupID {
		return Rows{}, errs.ErrNotFound.Msgf("card not found")
	}
	total, err := s.ledger.HistoryCount(ctx, c.ID)
	if err != nil {
		return Rows{}, err
	}
	next := Pages(func(ctx context.Context, after uuid.UUID) ([]ledger.Movement, bool, error) {
		r, err := s.ledger.History(ctx, c.ID, page.Request{First: PageSize, After: after})
		return r.Items, r.HasNext, err
	}, func(m ledger.Movement) uuid.UUID { return m.PostingID }, func(m ledger.Movement) []any {
		return []any{m.At, string(m.Kind), m.Memo, m.Points.Round(0).IntPart(), m.PendingPoints.Round(0).IntPart(),
			fen(m.StoredValue), m.Uses.Round(0).IntPart()}
	})
	return Rows{Total: total, Next: next}, nil
}
