package resolvers_test

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage/storetest"
)

const (
	reportSalesQ = `mutation($m: ID!, $day: String, $month: String, $amount: Decimal!) {
		reportSales(input: {merchantId: $m, day: $day, month: $month, amount: $amount}) {
		report { id merchantId period day amount source } userErrors { code field } } }`
	importSalesQ = `mutation($mall: ID, $m: ID, $c: String!) { importSales(input: {mallId: $mall, merchantId: $m, format: CSV, content: $c}) {
		imported rowErrors { line field code } userErrors { code } } }`
	salesOfMerchantQ = `query($m: ID!) { salesOfMerchant(merchantId: $m, from: "2026-11-01", to: "2026-11-30") { day amount source } }`
	salesBaseMallQ   = `query($mall: ID!) { salesBase(mallId: $mall, month: "2026-11") { merchantCode declared declaredBy verified gapAmount gapPercent flagged } }`
	salesBaseOneQ    = `query($m: ID!) { salesBase(merchantId: $m, month: "2026-11") { merchantCode declared declaredBy flagged } }`
	mySalesQ         = `query { mySales(from: "2026-11-01", to: "2026-11-30") { merchantId day amount } }`
	myNoticesQ       = `query { myNotices(first: 10, unreadOnly: true) { edges { node { id kind text read mallId } } pageInfo { hasNextPage } } }`
	markNoticesQ     = `mutation($ids: [ID!]!) { markNoticesRead(ids: $ids) { marked userErrors { code } } }`
	startUploadQ     = `mutation($m: ID!) { startSalesImportUpload(merchantId: $m) { upload { uploadKey url } userErrors { code } } }`
	salesSettingsQ   = `query($mall: ID!) { salesSettings(mallId: $mall) { dueDay gapThreshold } }`
	setSettingsQ     = `mutation($mall: ID!) { setSalesSettings(input: {mallId: $mall, dueDay: 6, gapThreshold: "0.25"}) {
		settings { dueDay gapThreshold } userErrors { code field } } }`
	closeSalesQ = `mutation($m: ID!) { closeSalesThrough(merchantId: $m, day: "2026-09-30") { closedThrough userErrors { code } } }`
)

// TestSalesGraphQL: a tenant reports and imports its sales, lists them; leasing sees
// the mall's base with the gap; notices reach leasing staff and are marked read.
func TestSalesGraphQL(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC)
	a := newAPI(t, servicetest.Clock(func() time.Time { return now }))
	o := ledgertest.NewOrg(t, a.DB)
	tenant := servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, o.MerchantID))
	leasing := servicetest.Context(realStaff(t, a, o.GroupID, auth.Grant{Role: auth.RoleLeasing, Level: auth.LevelMall,
		ScopeID: o.MallID}))
	m, mall := relay.ID("Merchant", o.MerchantID), relay.ID("Mall", o.MallID)

	out := a.Do(tenant, reportSalesQ, map[string]any{"m": m, "day": "2026-11-03", "amount": "120.50"})
	if field(out, "data", "reportSales", "report", "source") != "APP" || field(out, "data", "reportSales", "report", "amount") != "120.5" {
		t.Fatalf("reportSales: %v", out)
	}
	out = a.Do(tenant, reportSalesQ, map[string]any{"m": m, "day": "2026-11-30", "amount": "1"})
	if got := userError(out, "reportSales"); got != "SALES_FUTURE_DAY input.day" {
		t.Fatalf("a future day: %s", got)
	}
	out = a.Do(tenant, reportSalesQ, map[string]any{"m": m, "day": "2026-11-03", "month": "2026-11", "amount": "1"})
	if got := userError(out, "reportSales"); got != "INVALID_INPUT input.day" {
		t.Fatalf("day and month: %s", got)
	}
	csv := base64.StdEncoding.EncodeToString([]byte("date,amount\n2026-11-03,130\n2026-11-04,x\n"))
	for range 2 {
		out = a.Do(tenant, importSalesQ, map[string]any{"m": m, "c": csv})
		if field(out, "data", "importSales", "imported") != float64(1) ||
			field(out, "data", "importSales", "rowErrors", 0, "line") != float64(3) ||
			field(out, "data", "importSales", "rowErrors", 0, "code") != "INVALID_AMOUNT" {
			t.Fatalf("importSales: %v", out)
		}
	}
	out = a.Do(tenant, salesOfMerchantQ, map[string]any{"m": m})
	if rows, _ := field(out, "data", "salesOfMerchant").([]any); len(rows) != 1 || field(out, "data", "salesOfMerchant", 0, "amount") != "130" {
		t.Fatalf("salesOfMerchant after two uploads: %v", out)
	}
	out = a.Do(tenant, mySalesQ, nil)
	if field(out, "data", "mySales", 0, "merchantId") != m {
		t.Fatalf("mySales: %v", out)
	}
	out = a.Do(leasing, salesBaseMallQ, map[string]any{"mall": mall})
	if field(out, "data", "salesBase", 0, "declared") != "130" || field(out, "data", "salesBase", 0, "declaredBy") != "DAYS" ||
		field(out, "data", "salesBase", 0, "flagged") != true || field(out, "data", "salesBase", 0, "gapPercent") != "100" {
		t.Fatalf("salesBase: %v", out)
	}

	if _, err := a.Notices.Notify(context.Background(), nil, notices.Notice{MallID: o.MallID, Audience: auth.RoleLeasing,
		Kind: "sales_gap", SubjectID: o.MerchantID, Text: "gap", DedupeKey: "k"}); err != nil {
		t.Fatal(err)
	}
	out = a.Do(leasing, myNoticesQ, nil)
	id, _ := field(out, "data", "myNotices", "edges", 0, "node", "id").(string)
	if id == "" || field(out, "data", "myNotices", "edges", 0, "node", "mallId") != mall {
		t.Fatalf("myNotices: %v", out)
	}
	out = a.Do(leasing, markNoticesQ, map[string]any{"ids": []string{id}})
	if field(out, "data", "markNoticesRead", "marked") != float64(1) {
		t.Fatalf("markNoticesRead: %v", out)
	}
	out = a.Do(leasing, myNoticesQ, nil)
	if edges, _ := field(out, "data", "myNotices", "edges").([]any); len(edges) != 0 {
		t.Fatalf("unread after marking: %v", out)
	}
}

// realStaff creates a staff account with one grant (notice reads refer to it).
func realStaff(t *testing.T, a api, group uuid.UUID, g auth.Grant) *auth.Viewer {
	t.Helper()
	sys := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: group}))
	st, err := a.Org.CreateStaff(sys, org.CreateStaffInput{Username: storetest.RandomName("s"), DisplayName: "S",
		Password: "correct-horse-battery", Grants: []auth.Grant{g}})
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Viewer{Kind: auth.KindStaff, ID: st.ID, Grants: []auth.Grant{g}}
}

// TestSalesAndNoticesAuthorization: every new operation × caller → the expected code.
func TestSalesAndNoticesAuthorization(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC)
	a := newAPI(t, servicetest.Clock(func() time.Time { return now }))
	o := ledgertest.NewOrg(t, a.DB)
	if _, err := a.Notices.Notify(context.Background(), nil, notices.Notice{MallID: o.MallID, Audience: auth.RoleLeasing,
		Kind: "k", Text: "t", DedupeKey: "auth"}); err != nil {
		t.Fatal(err)
	}
	leasing := realStaff(t, a, o.GroupID, auth.Grant{Role: auth.RoleLeasing, Level: auth.LevelMall, ScopeID: o.MallID})
	res, err := a.Notices.Mine(servicetest.Context(leasing), page.Request{First: 1}, false)
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("notice: %v %v", res, err)
	}
	noticeID := relay.ID("StaffNotice", res.Items[0].ID)
	a1 := relay.ID("Merchant", o.MerchantID)
	mall := relay.ID("Mall", o.MallID)
	csv := base64.StdEncoding.EncodeToString([]byte("date,amount\n2026-11-01,1\n"))
	mallCSV := base64.StdEncoding.EncodeToString([]byte("merchant,date,amount\nshop1,2026-11-01,1\n"))
	ops := []struct {
		name  string
		query string
		vars  map[string]any
		// the top-level field, and whether a user error (FORBIDDEN never is one) shows success
		field string
	}{
		{"reportSales", reportSalesQ, map[string]any{"m": a1, "day": "2026-11-01", "amount": "1"}, "reportSales"},
		{"importSales (merchant)", importSalesQ, map[string]any{"m": a1, "c": csv}, "importSales"},
		{"importSales (mall)", importSalesQ, map[string]any{"mall": mall, "c": mallCSV}, "importSales"},
		{"salesOfMerchant", salesOfMerchantQ, map[string]any{"m": a1}, "salesOfMerchant"},
		{"salesBase (merchant)", salesBaseOneQ, map[string]any{"m": a1}, "salesBase"},
		{"salesBase (mall)", salesBaseMallQ, map[string]any{"mall": mall}, "salesBase"},
		{"mySales", mySalesQ, nil, "mySales"},
		{"myNotices", myNoticesQ, nil, "myNotices"},
		{"markNoticesRead", markNoticesQ, map[string]any{"ids": []string{noticeID}}, "markNoticesRead"},
		{"startSalesImportUpload", startUploadQ, map[string]any{"m": a1}, "startSalesImportUpload"},
		{"salesSettings", salesSettingsQ, map[string]any{"mall": mall}, "salesSettings"},
		{"setSalesSettings", setSettingsQ, map[string]any{"mall": mall}, "setSalesSettings"},
		{"closeSalesThrough", closeSalesQ, map[string]any{"m": a1}, "closeSalesThrough"},
	}
	callers := map[string]*auth.Viewer{
		"tenant of A":        servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, o.MerchantID),
		"tenant of B":        servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, o.OtherMerch),
		"leasing":            leasing,
		"finance":            servicetest.Staff(auth.RoleFinance, auth.LevelMall, o.MallID),
		"leasing elsewhere":  servicetest.Staff(auth.RoleLeasing, auth.LevelMall, uuid.New()),
		"member ops of mall": servicetest.Staff(auth.RoleMemberOps, auth.LevelMall, o.MallID),
		"shopper":            servicetest.Shopper(uuid.New()),
		"anonymous":          nil,
	}
	// expected code per operation and caller; "" is success. myNotices and
	// markNoticesRead: staff without the audience role see nothing (an empty list) and
	// cannot mark the notice (NOT_FOUND).
	const F, N = "FORBIDDEN", "NOT_FOUND"
	want := map[string]map[string]string{
		"tenant of A": {"importSales (mall)": F, "salesBase (mall)": F, "markNoticesRead": N, "salesSettings": F,
			"setSalesSettings": F, "closeSalesThrough": F},
		"tenant of B": {"reportSales": F, "importSales (merchant)": F, "importSales (mall)": F, "salesOfMerchant": F,
			"salesBase (merchant)": F, "salesBase (mall)": F, "markNoticesRead": N, "startSalesImportUpload": F,
			"salesSettings": F, "setSalesSettings": F, "closeSalesThrough": F},
		"leasing": {"mySales": F, "setSalesSettings": F, "closeSalesThrough": F},
		"finance": {"mySales": F, "markNoticesRead": N},
		"leasing elsewhere": {"reportSales": F, "importSales (merchant)": F, "importSales (mall)": F, "salesOfMerchant": F,
			"salesBase (merchant)": F, "salesBase (mall)": F, "mySales": F, "markNoticesRead": N,
			"startSalesImportUpload": F, "salesSettings": F, "setSalesSettings": F, "closeSalesThrough": F},
		"member ops of mall": {"reportSales": F, "importSales (merchant)": F, "importSales (mall)": F, "salesOfMerchant": F,
			"salesBase (merchant)": F, "salesBase (mall)": F, "mySales": F, "markNoticesRead": N,
			"startSalesImportUpload": F, "salesSettings": F, "setSalesSettings": F, "closeSalesThrough": F},
	}
	for name, v := range callers {
		for _, op := range ops {
			expect := want[name][op.name]
			switch name {
			case "shopper":
				expect = "FORBIDDEN"
			case "anonymous":
				expect = "UNAUTHENTICATED"
			}
			t.Run(op.name+"/"+name, func(t *testing.T) {
				ctx := context.Background()
				if v != nil {
					ctx = servicetest.Context(v)
				}
				out := a.Do(ctx, op.query, op.vars)
				got, _ := errorCode(out).(string)
				if got == "" {
					got, _ = field(out, "data", op.field, "userErrors", 0, "code").(string)
				}
				if got != expect {
					t.Fatalf("got %q, want %q: %v", got, expect, out)
				}
			})
		}
	}
}
