package sales_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/sales"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

// fixture is a mall with two merchants (shop1 = A, shop2 = B), the sales, notices and
// loyalty services on a settable clock, and callers of every kind.
type fixture struct {
	base    servicetest.Base
	org     ledgertest.Org
	svc     *sales.Service
	ntc     *notices.Service
	lty     *loyalty.Service
	lease   *leasing.Service
	objects storage.Objects
	a, b    uuid.UUID
	tenantA context.Context // tenant admin of A
	staffA  context.Context // merchant staff (cashier) of A
	tenantB context.Context
	leasing context.Context // leasing of the mall
	finance context.Context
	admin   context.Context // group admin
	far     context.Context // leasing of another mall
	shopper context.Context
}

func staffCtx(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func setup(t *testing.T) fixture {
	t.Parallel()
	base := servicetest.New(t, time.Date(2026, 11, 20, 12, 0, 0, 0, sh))
	o := ledgertest.NewOrg(t, base.DB)
	cps := coupons.New(coupons.Deps{DB: base.DB, Redis: base.Redis, Org: base.Org, Codes: base.Codes, Now: base.Clock.Now})
	lty := loyalty.New(loyalty.Deps{DB: base.DB, Ledger: base.Ledger, Redis: base.Redis, Org: base.Org, Coupons: cps,
		Zones: base.Org.Zones(), Now: base.Clock.Now})
	ntc := notices.New(notices.Deps{DB: base.DB, Org: base.Org, Now: base.Clock.Now})
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1:8080", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	lease := leasing.New(leasing.Deps{DB: base.DB, Org: base.Org, Objects: objs, Notices: ntc, Now: base.Clock.Now})
	return fixture{base: base, org: o, lty: lty, ntc: ntc, lease: lease, a: o.MerchantID, b: o.OtherMerch, objects: objs,
		svc: sales.New(sales.Deps{DB: base.DB, Org: base.Org, Loyalty: lty, Notices: ntc, Leases: lease, Objects: objs,
			Now: base.Clock.Now}),
		tenantA: staffCtx(auth.RoleTenantAdmin, auth.LevelMerchant, o.MerchantID),
		staffA:  staffCtx(auth.RoleMerchantStaff, auth.LevelMerchant, o.MerchantID),
		tenantB: staffCtx(auth.RoleTenantAdmin, auth.LevelMerchant, o.OtherMerch),
		leasing: staffCtx(auth.RoleLeasing, auth.LevelMall, o.MallID),
		finance: staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID),
		admin:   staffCtx(auth.RoleAdmin, auth.LevelGroup, o.GroupID),
		far:     staffCtx(auth.RoleLeasing, auth.LevelMall, uuid.New()),
		shopper: auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()})}
}

func (f fixture) report(t *testing.T, ctx context.Context, merchant uuid.UUID, period sales.Period, on, amount string) sales.Sale {
	t.Helper()
	s, err := f.svc.Report(ctx, sales.ReportInput{MerchantID: merchant, Period: period, Day: day(on), Amount: d(amount)})
	if err != nil {
		t.Fatalf("report %s %s: %v", on, amount, err)
	}
	return s
}

func (f fixture) list(t *testing.T, merchant uuid.UUID, from, to string) []sales.Sale {
	t.Helper()
	rows, err := f.svc.OfMerchant(f.leasing, merchant, day(from), day(to))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func isCode(err error, code string) bool {
	e, ok := errs.As(err)
	return ok && e.Code == code
}

// TestReportReplacesNeverDoubles: a day reported twice holds the second amount, once;
// a tenant's report is APP, staff's is STAFF; days to come and negative amounts are
// refused with typed errors.
func TestReportReplacesNeverDoubles(t *testing.T) {
	f := setup(t)
	first := f.report(t, f.tenantA, f.a, sales.PeriodDay, "2026-11-03", "100")
	second := f.report(t, f.leasing, f.a, sales.PeriodDay, "2026-11-03", "150.50")
	if first.Source != sales.SourceApp || second.Source != sales.SourceStaff || second.ID != first.ID {
		t.Fatalf("sources %s %s, ids %s %s: want app then staff, one row", first.Source, second.Source, first.ID, second.ID)
	}
	rows := f.list(t, f.a, "2026-11-01", "2026-11-30")
	if len(rows) != 1 || !rows[0].Amount.Equal(d("150.50")) {
		t.Fatalf("rows %+v, want one of 150.50", rows)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = f.svc.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodDay,
				Day: day("2026-11-04"), Amount: d(fmt.Sprint(i))})
		}()
	}
	wg.Wait()
	if rows := f.list(t, f.a, "2026-11-04", "2026-11-04"); len(rows) != 1 {
		t.Fatalf("20 concurrent reports of a day left %d rows", len(rows))
	}
	_, err := f.svc.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodDay, Day: day("2026-11-21"), Amount: d("1")})
	if !errors.Is(err, sales.ErrFutureDay) {
		t.Fatalf("tomorrow: %v", err)
	}
	_, err = f.svc.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodMonth, Day: day("2026-12-01"), Amount: d("1")})
	if !errors.Is(err, sales.ErrFutureDay) {
		t.Fatalf("next month: %v", err)
	}
	_, err = f.svc.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodDay, Day: day("2026-11-05"), Amount: d("-1")})
	if !isCode(err, "NEGATIVE_AMOUNT") {
		t.Fatalf("negative: %v", err)
	}
}

// TestMonthDeclarationWinsInTheBase: with days and a month declaration, the base uses
// the declaration and still counts the days reported.
func TestMonthDeclarationWinsInTheBase(t *testing.T) {
	f := setup(t)
	f.report(t, f.tenantA, f.a, sales.PeriodDay, "2026-11-01", "100")
	f.report(t, f.tenantA, f.a, sales.PeriodDay, "2026-11-02", "200")
	b, err := f.svc.MerchantBase(f.tenantA, f.a, day("2026-11-01"))
	if err != nil || b.DeclaredBy != sales.DeclaredByDays || !b.Declared.Equal(d("300")) {
		t.Fatalf("by days: %+v %v", b, err)
	}
	f.report(t, f.tenantA, f.a, sales.PeriodMonth, "2026-11-15", "9000")
	f.report(t, f.tenantA, f.a, sales.PeriodMonth, "2026-11-01", "9500")
	b, err = f.svc.MerchantBase(f.tenantA, f.a, day("2026-11-01"))
	if err != nil || b.DeclaredBy != sales.DeclaredByMonth || !b.Declared.Equal(d("9500")) || b.DaysReported != 2 {
		t.Fatalf("by month: %+v %v", b, err)
	}
}

// TestClosedPeriodIsRefused: once finance closes a merchant's sales through October,
// reports and imported rows of October are refused (typed), November's go in; the
// closing never moves back and tenants cannot close.
func TestClosedPeriodIsRefused(t *testing.T) {
	f := setup(t)
	f.report(t, f.tenantA, f.a, sales.PeriodDay, "2026-10-15", "100")
	if _, err := f.svc.CloseThrough(f.tenantA, f.a, day("2026-10-31")); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("tenant closing: %v", err)
	}
	if c, err := f.svc.CloseThrough(f.finance, f.a, day("2026-10-31")); err != nil || !c.Equal(day("2026-10-31")) {
		t.Fatalf("close: %s %v", c, err)
	}
	if c, _ := f.svc.CloseThrough(f.finance, f.a, day("2026-09-30")); !c.Equal(day("2026-10-31")) {
		t.Fatalf("the closing moved back to %s", c)
	}
	_, err := f.svc.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodDay, Day: day("2026-10-15"), Amount: d("1")})
	if !errors.Is(err, sales.ErrPeriodClosed) {
		t.Fatalf("correcting a closed day: %v", err)
	}
	_, err = f.svc.Report(f.tenantA, sales.ReportInput{MerchantID: f.a, Period: sales.PeriodMonth, Day: day("2026-10-01"), Amount: d("1")})
	if !errors.Is(err, sales.ErrPeriodClosed) {
		t.Fatalf("declaring a closed month: %v", err)
	}
	rep, err := f.svc.Import(f.tenantA, sales.ImportInput{MerchantID: f.a, Format: sales.FormatCSV},
		strings.NewReader("date,amount\n2026-10-15,5\n2026-11-01,7\n"))
	if err != nil || rep.Imported != 1 || len(rep.Errors) != 1 || rep.Errors[0].Code != "SALES_PERIOD_CLOSED" || rep.Errors[0].Line != 2 {
		t.Fatalf("import over a closing: %+v %v", rep, err)
	}
	if rows := f.list(t, f.a, "2026-10-15", "2026-10-15"); !rows[0].Amount.Equal(d("100")) {
		t.Fatal("a closed day changed")
	}
}

// TestImportKeepsGoodRowsAndReplaces: bad rows come back with their lines, good rows
// are in; uploading the same file again leaves the totals as they were; a mall's file
// names merchants by code (an unknown code is a row error); .xlsx reads the same.
func TestImportKeepsGoodRowsAndReplaces(t *testing.T) {
	f := setup(t)
	file := "日期,营业额\n2026-11-01,100\n2026-11-02,abc\n2026-11-03,-5\n2026-11-03,300\n2026-11-03,301\n2026-13-01,1\n2026-11-25,1\n"
	want := map[int]string{3: "INVALID_AMOUNT", 4: "NEGATIVE_AMOUNT", 6: "DUPLICATE_DAY", 7: "INVALID_DATE", 8: "SALES_FUTURE_DAY"}
	for range 2 {
		rep, err := f.svc.Import(f.tenantA, sales.ImportInput{MerchantID: f.a, Format: "csv"}, strings.NewReader(file))
		if err != nil || rep.Imported != 2 || len(rep.Errors) != len(want) {
			t.Fatalf("import: %+v %v", rep, err)
		}
		for _, e := range rep.Errors {
			if want[e.Line] != e.Code {
				t.Errorf("line %d: %s, want %s", e.Line, e.Code, want[e.Line])
			}
		}
	}
	if b, _ := f.svc.MerchantBase(f.leasing, f.a, day("2026-11-01")); !b.Declared.Equal(d("400")) {
		t.Fatalf("declared after two uploads %s, want 400", b.Declared)
	}
	mall := "merchant,date,amount\nshop1,2026-11-01,110\nSHOP2,2026-11-01,220\nnope,2026-11-01,1\n"
	rep, err := f.svc.Import(f.leasing, sales.ImportInput{MallID: f.org.MallID, Format: "csv"}, strings.NewReader(mall))
	if err != nil || rep.Imported != 2 || len(rep.Errors) != 1 || rep.Errors[0].Code != "UNKNOWN_MERCHANT" || rep.Errors[0].Line != 4 {
		t.Fatalf("mall import: %+v %v", rep, err)
	}
	if rows := f.list(t, f.a, "2026-11-01", "2026-11-01"); !rows[0].Amount.Equal(d("110")) || rows[0].Source != sales.SourceImport {
		t.Fatalf("replaced day: %+v", rows)
	}
	// A tenant's file naming another merchant: that row is refused.
	rep, _ = f.svc.Import(f.tenantA, sales.ImportInput{MerchantID: f.a, Format: "csv"},
		strings.NewReader("merchant,date,amount\nshop2,2026-11-02,1\nshop1,2026-11-02,2\n"))
	if rep.Imported != 1 || len(rep.Errors) != 1 || rep.Errors[0].Code != "UNKNOWN_MERCHANT" {
		t.Fatalf("a tenant naming another merchant: %+v", rep)
	}
	rep, err = f.svc.Import(f.tenantB, sales.ImportInput{MerchantID: f.b, Format: "xlsx"}, bytes.NewReader(workbook(t,
		[][]any{{"date", "amount"}, {"2026-11-05", "55.5"}, {"2026-11-06", "x"}})))
	if err != nil || rep.Imported != 1 || len(rep.Errors) != 1 || rep.Errors[0].Line != 3 {
		t.Fatalf("xlsx import: %+v %v", rep, err)
	}
	if _, err := f.svc.Import(f.tenantA, sales.ImportInput{MerchantID: f.a, Format: "csv"},
		strings.NewReader("foo,bar\n1,2\n")); !errors.Is(err, sales.ErrImportFormat) {
		t.Fatalf("a file without the columns: %v", err)
	}
}

func workbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// buy records a cash purchase of amount at merchant A (a member with a new card).
func (f fixture) buy(t *testing.T, amount string) loyalty.Purchase {
	t.Helper()
	m := f.org.Member(t, f.base.DB)
	_, number := f.org.Card(t, f.base.DB, m)
	p, err := f.lty.RecordPurchase(f.staffA, loyalty.PurchaseInput{MerchantID: f.a, CardNumber: number, Amount: d(amount),
		ReceiptNo: "R" + service.NewID().String()[24:], IdempotencyKey: service.NewID().String()})
	if err != nil {
		t.Fatalf("purchase: %v", err)
	}
	return p
}

// TestBaseShowsDeclaredVerifiedAndGap: purchases recorded at the merchant, less a
// refund, are its verified sales of the month; the gap to the declaration is flagged
// beyond the mall's threshold, which the mall can change.
func TestBaseShowsDeclaredVerifiedAndGap(t *testing.T) {
	f := setup(t)
	f.base.Clock.Set(time.Date(2026, 11, 10, 20, 0, 0, 0, sh))
	f.buy(t, "600")
	p := f.buy(t, "400")
	f.base.Clock.Set(time.Date(2026, 11, 11, 10, 0, 0, 0, sh))
	if _, err := f.lty.RefundPurchase(f.staffA, loyalty.RefundInput{MerchantID: f.a, ReceiptNo: p.ReceiptNo,
		Amount: d("100"), IdempotencyKey: service.NewID().String()}); err != nil {
		t.Fatal(err)
	}
	f.base.Clock.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, sh))
	days, err := f.lty.VerifiedSales(context.Background(), f.org.MallID, uuid.Nil, sh,
		time.Date(2026, 11, 1, 0, 0, 0, 0, sh), time.Date(2026, 12, 1, 0, 0, 0, 0, sh))
	if err != nil || len(days) != 2 || !days[0].Amount.Equal(d("1000")) || !days[1].Amount.Equal(d("-100")) {
		t.Fatalf("verified days: %+v %v", days, err)
	}
	f.report(t, f.tenantA, f.a, sales.PeriodMonth, "2026-11-01", "1200")
	b, err := f.svc.MerchantBase(f.tenantA, f.a, day("2026-11-01"))
	if err != nil || !b.Verified.Equal(d("900")) || !b.Gap.Amount.Equal(d("-300")) || !b.Gap.Percent.Equal(d("25")) || !b.Gap.Flagged {
		t.Fatalf("base: %+v %v", b, err)
	}
	if err := f.svc.SetMallSettings(f.finance, f.org.MallID, sales.Settings{DueDay: 5, GapThreshold: d("0.30")}); err != nil {
		t.Fatal(err)
	}
	bases, err := f.svc.MallBase(f.leasing, f.org.MallID, day("2026-11-01"))
	if err != nil || len(bases) != 1 || bases[0].MerchantCode != "SHOP1" || bases[0].Gap.Flagged {
		t.Fatalf("mall base at 30 %%: %+v %v", bases, err)
	}
}

// TestAlertsNotifyOnce: after the due day, a reporting merchant that declared nothing
// for the month and one whose declaration is far from its verified sales each make
// one notice for leasing staff; eight concurrent runs and a rerun the next day add
// none. Before the due day nothing is raised.
func TestAlertsNotifyOnce(t *testing.T) {
	f := setup(t)
	f.base.Clock.Set(time.Date(2026, 10, 10, 12, 0, 0, 0, sh))
	f.report(t, f.tenantB, f.b, sales.PeriodDay, "2026-10-09", "50") // B has a history, nothing for November
	f.base.Clock.Set(time.Date(2026, 11, 30, 12, 0, 0, 0, sh))
	f.report(t, f.tenantA, f.a, sales.PeriodMonth, "2026-11-01", "1000") // A declared, nothing verified
	f.base.Clock.Set(time.Date(2026, 12, 4, 23, 0, 0, 0, sh))
	if n, err := f.svc.Alerts(context.Background(), f.org.MallID, f.base.Clock.Now()); n != 0 || err != nil {
		t.Fatalf("before the due day: %d %v", n, err)
	}
	f.base.Clock.Set(time.Date(2026, 12, 5, 1, 0, 0, 0, sh))
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := f.svc.Alerts(context.Background(), f.org.MallID, f.base.Clock.Now())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if n, _ := f.svc.Alerts(context.Background(), f.org.MallID, f.base.Clock.Now().Add(24*time.Hour)); total != 2 || n != 0 {
		t.Fatalf("raised %d in the concurrent runs (want 2) and %d on the rerun", total, n)
	}
	res, err := f.ntc.Mine(f.leasing, page.Request{First: 10}, true)
	if err != nil || len(res.Items) != 2 {
		t.Fatalf("leasing's notices: %+v %v", res.Items, err)
	}
	kinds := map[string]uuid.UUID{}
	for _, n := range res.Items {
		kinds[n.Kind] = n.SubjectID
	}
	if kinds[sales.KindUnreported] != f.b || kinds[sales.KindGap] != f.a {
		t.Fatalf("notices %+v", res.Items)
	}
	if res, _ := f.ntc.Mine(f.tenantA, page.Request{First: 10}, false); len(res.Items) != 0 {
		t.Fatal("a tenant sees leasing's notices")
	}
}

// TestReportingMerchantsHoldALease: a merchant holding a lease in a month, with no
// sales history, is due to report that month's sales, and not a month before its lease.
func TestReportingMerchantsHoldALease(t *testing.T) {
	f := setup(t)
	u, err := f.lease.CreateUnit(f.leasing, leasing.UnitInput{MallID: f.org.MallID, Code: "L1-01", Kind: leasing.KindShop,
		Floor: "L1", GrossArea: decimal.NewFromInt(90), LettableArea: decimal.NewFromInt(80)})
	if err != nil {
		t.Fatal(err)
	}
	start := schedule.D(2026, 10, 1)
	c, err := f.lease.CreateContract(f.leasing, leasing.ContractInput{MallID: f.org.MallID, MerchantID: f.b,
		UnitIDs: []uuid.UUID{u.ID}, Terms: schedule.Terms{Start: start, End: start.AddYears(1).AddDays(-1),
			Rent:    schedule.Rent{Basis: schedule.RentFixedMonthly, Amount: decimal.NewFromInt(10000)},
			Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.lease.Submit(f.leasing, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.lease.Approve(f.finance, c.ID, "ok"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		month time.Time
		want  int
	}{{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), 1}, {time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), 0}} {
		ids, err := f.svc.ReportingMerchants(context.Background(), f.org.GroupID, f.org.MallID, tc.month)
		if err != nil || len(ids) != tc.want || tc.want == 1 && ids[0] != f.b {
			t.Fatalf("reporting merchants of %s: %v %v, want %d (B)", tc.month.Format("2006-01"), ids, err, tc.want)
		}
	}
}

// TestImportFromUpload: a large file PUT to the presigned URL is imported once, into
// the scope its key was made for only.
func TestImportFromUpload(t *testing.T) {
	f := setup(t)
	scope := sales.ImportInput{MerchantID: f.a, Format: "csv"}
	up, err := f.svc.StartImportUpload(f.tenantA, scope)
	if err != nil || up.URL == "" {
		t.Fatalf("start: %+v %v", up, err)
	}
	if _, err := f.svc.StartImportUpload(f.tenantB, scope); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("another tenant starting an upload for A: %v", err)
	}
	file := "date,amount\n2026-11-01,10\n"
	if err := f.objects.Put(context.Background(), up.Key, strings.NewReader(file), int64(len(file)), "text/csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportFromUpload(f.tenantB, sales.ImportInput{MerchantID: f.b, Format: "csv"}, up.Key); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("A's key used for B: %v", err)
	}
	if rep, err := f.svc.ImportFromUpload(f.tenantA, scope, up.Key); err != nil || rep.Imported != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	if _, err := f.svc.ImportFromUpload(f.tenantA, scope, up.Key); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("imported twice: %v", err)
	}
}

// TestImportOfAFullFile: a file at the row limit (20,000 days of one merchant) is
// imported in one statement, and again (replacing, never doubling), in bounded time.
func TestImportOfAFullFile(t *testing.T) {
	f := setup(t)
	var b strings.Builder
	b.WriteString("date,amount\n")
	last := day("2026-11-19")
	for i := range sales.MaxImportRows {
		fmt.Fprintf(&b, "%s,%d.%02d\n", last.AddDate(0, 0, -i).Format(time.DateOnly), 100+i%900, i%100)
	}
	for round := range 2 {
		start := time.Now()
		rep, err := f.svc.Import(f.tenantA, sales.ImportInput{MerchantID: f.a, Format: "csv"}, strings.NewReader(b.String()))
		took := time.Since(start)
		if err != nil || rep.Imported != sales.MaxImportRows || len(rep.Errors) != 0 {
			t.Fatalf("round %d: imported %d, %d errors, %v", round, rep.Imported, len(rep.Errors), err)
		}
		t.Logf("round %d: %d rows in %s", round, rep.Imported, took.Round(time.Millisecond))
		if took > 60*time.Second {
			t.Fatalf("a full file took %s", took)
		}
	}
	if rows, err := f.svc.OfMerchant(f.leasing, f.a, day("2026-01-01"), day("2026-11-19")); err != nil || len(rows) != 323 {
		t.Fatalf("2026's days after two imports: %d %v", len(rows), err)
	}
}
