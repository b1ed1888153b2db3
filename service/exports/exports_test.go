package exports_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/exports/sheet"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/workorders"
)

// TestMembersExport exports a mall's members and reads the file back with excelize:
// row count, Chinese header, number formats, frozen header, the monthly chart; the
// progress subscription sees it through to DONE; and the file imports again into
// another group (members import columns == members export columns).
func TestMembersExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	const n = 25
	f.registerMembers(t, n)
	e, err := f.svc.Start(f.ops, "members", exports.Filter{MallID: f.org.MallID, Tag: "vip"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != exports.StatusQueued || len(f.jobs.ids) != 1 || f.jobs.ids[0] != e.ID {
		t.Fatalf("started %+v, jobs %v", e, f.jobs.ids)
	}
	ctx, cancel := context.WithTimeout(f.ops, 20*time.Second)
	defer cancel()
	events, err := f.svc.Subscribe(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first := <-events; first.Status != exports.StatusQueued {
		t.Fatalf("first event %+v", first)
	}
	e = f.run(t, f.ops, e.ID)
	if e.Status != exports.StatusDone || e.RowsDone != n || e.RowsTotal == nil || *e.RowsTotal != n || e.ReadReplica {
		t.Fatalf("after the job: %+v", e)
	}
	var last exports.Progress
	for p := range events {
		last = p
	}
	if last.Status != exports.StatusDone || last.RowsDone != n {
		t.Fatalf("last progress event %+v", last)
	}

	x := f.download(t, f.ops, e.ID)
	rows, err := x.GetRows(sheet.DataSheet)
	if err != nil {
		t.Fatal(err)
	}
	var headers []string
	for _, c := range exports.MemberColumns {
		headers = append(headers, c.Header)
	}
	if len(rows) != n+1 || !slices.Equal(rows[0], headers) {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	if rows[1][0] != "会员000" || rows[1][3] != "1990-05-17" || rows[1][5] != "vip" {
		t.Fatalf("first row %v", rows[1])
	}
	for cell, want := range map[string]string{"D2": "yyyy-mm-dd", "H2": "yyyy-mm-dd hh:mm:ss"} {
		id, _ := x.GetCellStyle(sheet.DataSheet, cell)
		st, err := x.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != want {
			t.Fatalf("%s: format %+v, want %s", cell, st, want)
		}
	}
	if p, _ := x.GetPanes(sheet.DataSheet); !p.Freeze || p.YSplit != 1 {
		t.Fatalf("header row not frozen: %+v", p)
	}
	sum, _ := x.GetRows(sheet.SummarySheet)
	// memberstest registers on the real clock.
	if month := time.Now().In(sh).Format("2006-01"); len(sum) != 2 || sum[1][0] != month || sum[1][1] != "25" {
		t.Fatalf("monthly summary %v", sum)
	}
	if charts, _ := x.GetPictures(sheet.SummarySheet, "D2"); charts != nil && len(charts) > 0 {
		t.Fatal("the chart is not a picture")
	}

	// Symmetry: the exported file imports into another group as it is.
	other := ledgertest.NewOrg(t, f.base.DB)
	root := f.adminOf(t, other)
	url, _, err := f.svc.Link(f.ops, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	body := get(t, url)
	rep, err := f.members.ImportMembers(root, other.MallID, "xlsx", bytes.NewReader(body))
	if err != nil || rep.Imported != n || len(rep.Errors) != 0 {
		t.Fatalf("import of the export: %+v, %v", rep, err)
	}
}

func get(t testing.TB, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, resp.Status, err)
	}
	return b
}

// TestWorkOrdersExport exports a mall's work orders for its desk.
func TestWorkOrdersExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, d := range []string{"漏水", "空调不冷", "门禁坏了"} {
		if _, err := f.orders.Raise(f.desk, workorders.RaiseInput{MallID: f.org.MallID, Category: "plumbing", Zone: "L1",
			Description: d}); err != nil {
			t.Fatal(err)
		}
	}
	e, err := f.svc.Start(f.desk, "work_orders", exports.Filter{MallID: f.org.MallID})
	if err != nil {
		t.Fatal(err)
	}
	e = f.run(t, f.desk, e.ID)
	x := f.download(t, f.desk, e.ID)
	rows, _ := x.GetRows(sheet.DataSheet)
	if e.RowsDone != 3 || len(rows) != 4 || rows[0][0] != "工单号" || rows[1][6] != "门禁坏了" {
		t.Fatalf("export %+v, rows %v", e, rows)
	}
	if names := x.GetSheetList(); len(names) != 1 {
		t.Fatalf("sheets %v: a list without a summary has one sheet", names)
	}
}

// TestCardPostingsExport: a card of the group exports (its ledger history); a card of
// another group is NOT_FOUND; no card is INVALID_INPUT.
func TestCardPostingsExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	m := f.registerMembers(t, 1)[0]
	card, _ := f.org.Card(t, f.base.DB, m.ID)
	e, err := f.svc.Start(f.desk, "card_postings", exports.Filter{MallID: f.org.MallID, CardID: card})
	if err != nil {
		t.Fatal(err)
	}
	if e = f.run(t, f.desk, e.ID); e.Status != exports.StatusDone {
		t.Fatalf("%+v", e)
	}
	other := ledgertest.NewOrg(t, f.base.DB)
	far, _ := other.Card(t, f.base.DB, other.Member(t, f.base.DB))
	if _, err := f.svc.Start(f.desk, "card_postings", exports.Filter{MallID: f.org.MallID, CardID: far}); !errors.Is(err, members.ErrCardNotFound) {
		t.Fatalf("another group's card: %v", err)
	}
	if _, err := f.svc.Start(f.desk, "card_postings", exports.Filter{MallID: f.org.MallID}); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("no card: %v", err)
	}
}

// TestExportAuthorization: who may start an export of which source, and who sees an
// export and its link (its creator and the mall's admins only).
func TestExportAuthorization(t *testing.T) {
	t.Parallel()
	f := setup(t)
	mall := exports.Filter{MallID: f.org.MallID}
	starts := []struct {
		name string
		ctx  context.Context
		kind string
		f    exports.Filter
		want error
	}{
		{"shopper", f.shopper, "members", mall, errs.ErrForbidden},
		{"anonymous", context.Background(), "members", mall, errs.ErrUnauthenticated},
		{"tenant admin of a merchant of the mall", f.tenant, "members", mall, errs.ErrForbidden},
		{"desk of another mall", f.far, "members", mall, errs.ErrForbidden},
		{"maintenance: not a member role", f.maint, "members", mall, errs.ErrForbidden},
		{"finance: not a work-order role", f.finance, "work_orders", mall, errs.ErrForbidden},
		{"an unknown mall", f.desk, "members", exports.Filter{MallID: uuid.New()}, errs.ErrForbidden},
		{"an unknown kind", f.desk, "secrets", mall, exports.ErrUnknownKind},
		{"desk: members", f.desk, "members", mall, nil},
		{"maintenance: work orders", f.maint, "work_orders", mall, nil},
	}
	for _, tc := range starts {
		t.Run("start/"+tc.name, func(t *testing.T) {
			_, err := f.svc.Start(tc.ctx, tc.kind, tc.f)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}

	e, err := f.svc.Start(f.desk, "members", mall)
	if err != nil {
		t.Fatal(err)
	}
	f.run(t, f.desk, e.ID)
	reads := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"its creator", f.desk, nil},
		{"an admin of the mall", f.admin, nil},
		{"another desk of the mall", f.desk2, errs.ErrNotFound},
		{"member ops of the mall", f.ops, errs.ErrNotFound},
		{"desk of another mall", f.far, errs.ErrNotFound},
		{"tenant", f.tenant, errs.ErrNotFound},
		{"shopper", f.shopper, errs.ErrForbidden},
	}
	for _, tc := range reads {
		t.Run("read/"+tc.name, func(t *testing.T) {
			_, err := f.svc.Get(tc.ctx, e.ID)
			_, _, lerr := f.svc.Link(tc.ctx, e.ID)
			_, serr := f.svc.Subscribe(tc.ctx, e.ID)
			for _, got := range []error{err, lerr, serr} {
				if tc.want == nil && got != nil || tc.want != nil && !errors.Is(got, tc.want) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	t.Run("cancel by another desk", func(t *testing.T) {
		if _, err := f.svc.Cancel(f.desk2, e.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("lists", func(t *testing.T) {
		all, err := f.svc.List(f.admin, f.org.MallID, page.Request{First: 50})
		if err != nil || len(all.Items) < 3 {
			t.Fatalf("admin: %d, %v", len(all.Items), err)
		}
		mine, err := f.svc.List(f.desk2, f.org.MallID, page.Request{First: 50})
		if err != nil || len(mine.Items) != 0 {
			t.Fatalf("another desk: %d, %v", len(mine.Items), err)
		}
		if _, err := f.svc.List(f.far, f.org.MallID, page.Request{First: 50}); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("another mall: %v", err)
		}
	})
}

// TestExportJobRechecksTheCreator: the job runs under the creator's grants as stored
// now, not as the request carried them: a caller whose account holds no such grant
// (here: none at all) gets a FAILED export and no file.
func TestExportJobRechecksTheCreator(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ghost := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: f.org.MallID}}})
	e, err := f.svc.Start(ghost, "members", exports.Filter{MallID: f.org.MallID})
	if err != nil {
		t.Fatal(err)
	}
	if e = f.run(t, ghost, e.ID); e.Status != exports.StatusFailed || !strings.Contains(e.Error, "FORBIDDEN") {
		t.Fatalf("after the job: %+v", e)
	}
	if _, _, err := f.svc.Link(ghost, e.ID); !errors.Is(err, exports.ErrNotReady) {
		t.Fatalf("link: %v", err)
	}
}

// TestCancelAndExpire: a cancelled export is not written; a finished one's file is
// removed once it expires.
func TestCancelAndExpire(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.registerMembers(t, 3)
	e, err := f.svc.Start(f.desk, "members", exports.Filter{MallID: f.org.MallID})
	if err != nil {
		t.Fatal(err)
	}
	if e, err = f.svc.Cancel(f.desk, e.ID); err != nil || e.Status != exports.StatusCancelled {
		t.Fatalf("cancel: %+v, %v", e, err)
	}
	if e = f.run(t, f.desk, e.ID); e.Status != exports.StatusCancelled || e.RowsDone != 0 {
		t.Fatalf("after the job: %+v", e)
	}
	if _, _, err := f.svc.Link(f.desk, e.ID); !errors.Is(err, exports.ErrNotReady) {
		t.Fatalf("link of a cancelled export: %v", err)
	}
	if _, err := f.svc.Cancel(f.desk, e.ID); !errors.Is(err, exports.ErrFinished) {
		t.Fatalf("cancel twice: %v", err)
	}

	done, err := f.svc.Start(f.desk, "members", exports.Filter{MallID: f.org.MallID})
	if err != nil {
		t.Fatal(err)
	}
	f.run(t, f.desk, done.ID)
	if _, _, err := f.svc.Link(f.desk, done.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.Expire(context.Background()); err != nil || n != 0 {
		t.Fatalf("nothing expired yet: %d, %v", n, err)
	}
	f.base.Clock.Add(8 * 24 * time.Hour)
	if n, err := f.svc.Expire(context.Background()); err != nil || n != 1 {
		t.Fatalf("expire: %d, %v", n, err)
	}
	if got, _ := f.svc.Get(f.desk, done.ID); got.Status != exports.StatusExpired {
		t.Fatalf("after expiry: %+v", got)
	}
	if _, _, err := f.svc.Link(f.desk, done.ID); !errors.Is(err, exports.ErrNotReady) {
		t.Fatalf("link after expiry: %v", err)
	}
	key := "exports/" + done.GroupID.String() + "/" + done.MallID.String() + "/" + done.ID.String() + ".xlsx"
	if _, err := f.objects.Get(context.Background(), key); err == nil {
		t.Fatal("the expired file is still stored")
	}
}
