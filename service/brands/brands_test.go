package brands_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// world is a group with two malls, a leasing staff member of the first and the service
// on a settable clock.
type world struct {
	svc           *brands.Service
	objects       storage.Objects
	group         uuid.UUID
	mall, other   uuid.UUID
	leasingID     uuid.UUID
	leasing       context.Context
	now           *time.Time
	otherGroupCtx context.Context
}

func newWorld(t *testing.T) world {
	t.Helper()
	db := storetest.DB(t)
	group, mall := orgtest.Mall(t, db, "M1")
	orgs := orgtest.Service(db)
	sys := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: group}))
	other, err := orgs.CreateMall(sys, org.CreateMallInput{GroupID: group, Code: "M2", Name: "Other", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	grant := auth.Grant{Role: auth.RoleLeasing, Level: auth.LevelMall, ScopeID: mall}
	st, err := orgs.CreateStaff(sys, org.CreateStaffInput{Username: storetest.RandomName("lease"), Password: "pw-123456789",
		Grants: []auth.Grant{grant}})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://localhost/objects", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	w := world{objects: objs, group: group, mall: mall, other: other.ID, leasingID: st.ID, now: &now,
		leasing: auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: st.ID,
			Grants: []auth.Grant{grant}}),
		otherGroupCtx: staffAt(auth.RoleLeasing, auth.LevelGroup, uuid.New())}
	w.svc = brands.New(brands.Deps{DB: db, Org: orgs, Objects: objs, Now: func() time.Time { return *w.now }})
	return w
}

func staffAt(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func (w world) brand(t *testing.T, name string) brands.Brand {
	t.Helper()
	b, err := w.svc.CreateBrand(w.leasing, brands.BrandInput{GroupID: w.group, Name: name, Category: brands.CategoryDining,
		Grade: brands.GradeA})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return b
}

// TestDuplicateBrandsUnderConcurrency: 24 concurrent creates of spellings of one name
// (full-width, spaced, punctuated, cased): exactly one wins, every other gets
// DUPLICATE_BRAND naming the winner.
func TestDuplicateBrandsUnderConcurrency(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	spellings := []string{"Nike 耐克", "ＮＩＫＥ耐克", "nike·耐克", "N-I-K-E 耐克", " NIKE（耐克）", "Nike耐克!"}
	var wg sync.WaitGroup
	results := make([]error, 24)
	winners := make(chan brands.Brand, len(results))
	for i := range results {
		wg.Go(func() {
			b, err := w.svc.CreateBrand(w.leasing, brands.BrandInput{GroupID: w.group, Name: spellings[i%len(spellings)],
				Category: brands.CategoryApparel, Grade: brands.GradeA})
			results[i] = err
			if err == nil {
				winners <- b
			}
		})
	}
	wg.Wait()
	close(winners)
	if len(winners) != 1 {
		t.Fatalf("%d creates won, want 1 (%v)", len(winners), results)
	}
	won := <-winners
	for _, err := range results {
		if err != nil && (!errors.Is(err, brands.ErrDuplicateBrand) || !strings.Contains(err.Error(), won.ID.String())) {
			t.Errorf("loser got %v, want DUPLICATE_BRAND naming %s", err, won.ID)
		}
	}
	// Another group may have the same brand; a rename onto a taken name is refused too.
	other := w.brand(t, "Adidas")
	if _, err := w.svc.UpdateBrand(w.leasing, other.ID, brands.BrandInput{Name: "nike 耐克", Category: brands.CategoryApparel,
		Grade: brands.GradeB}); !errors.Is(err, brands.ErrDuplicateBrand) {
		t.Errorf("rename onto a taken name: %v", err)
	}
}

func TestLibrary(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	starbucks := w.brand(t, "Starbucks 星巴克")
	w.brand(t, "Star Cinema")
	w.brand(t, "Haidilao 海底捞")
	res, err := w.svc.Brands(staffAt(auth.RoleSecurity, auth.LevelMall, w.other), w.group,
		brands.BrandFilter{Name: "ＳＴＡＲ"}, pageOf(10))
	if err != nil || len(res.Items) != 2 || res.Items[0].ID != starbucks.ID {
		t.Fatalf("prefix search: %v, %v", res.Items, err)
	}
	for name, c := range map[string]brands.Contact{
		"no name":    {Phone: "13800138000"},
		"no phone":   {Name: "王经理"},
		"bad phone":  {Name: "王经理", Phone: "12345"},
		"bad email":  {Name: "王经理", Email: "wang@"},
		"long role":  {Name: "王经理", Phone: "13800138000", Role: strings.Repeat("r", 51)},
		"bad email2": {Name: "王经理", Email: "Wang <wang@example.com>"},
	} {
		c.BrandID = starbucks.ID
		if _, err := w.svc.AddContact(w.leasing, c); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, c := range []brands.Contact{{Name: "王经理", Role: "拓展经理", Phone: "13800138000"},
		{Name: "Li", Phone: "021-62345678", Email: "li@example.com"}, {Name: "HK", Phone: "+85291234567"}} {
		c.BrandID = starbucks.ID
		if _, err := w.svc.AddContact(w.leasing, c); err != nil {
			t.Errorf("%v: %v", c, err)
		}
	}
	if cs, err := w.svc.Contacts(w.leasing, starbucks.ID); err != nil || len(cs) != 3 || cs[0].Role != "拓展经理" {
		t.Errorf("contacts: %v, %v", cs, err)
	}
	if _, err := w.svc.Brand(w.otherGroupCtx, starbucks.ID); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("another group reads a brand: %v", err)
	}
}

func TestAttachments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, b := w.leasing, w.brand(t, "Muji")
	if _, err := w.svc.RequestAttachmentUpload(ctx, b.ID, "text/html", 100); !errors.Is(err, brands.ErrAttachmentType) {
		t.Errorf("html: %v", err)
	}
	if _, err := w.svc.RequestAttachmentUpload(ctx, b.ID, "application/pdf", brands.MaxAttachmentBytes+1); !errors.Is(err, brands.ErrAttachmentTooLarge) {
		t.Errorf("too large: %v", err)
	}
	upload := func(body []byte) string {
		up, err := w.svc.RequestAttachmentUpload(ctx, b.ID, "application/pdf", 1000) // a client may lie about the size
		if err != nil || up.URL == "" {
			t.Fatalf("request: %v", err)
		}
		if body != nil {
			if err := w.objects.Put(context.Background(), up.Key, bytes.NewReader(body), int64(len(body)), "application/pdf"); err != nil {
				t.Fatal(err)
			}
		}
		return up.Key
	}
	pdf := []byte("%PDF-1.7\n" + strings.Repeat("x", 2000))
	a, err := w.svc.AttachFile(ctx, b.ID, upload(pdf), "deck.pdf")
	if err != nil || a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) {
		t.Fatalf("attach: %+v, %v", a, err)
	}
	if _, err := w.svc.AttachFile(ctx, b.ID, a.Key, "again.pdf"); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("attached twice: %v", err)
	}
	if _, err := w.svc.AttachFile(ctx, b.ID, upload(nil), "x.pdf"); !errors.Is(err, brands.ErrNotUploaded) {
		t.Errorf("not uploaded: %v", err)
	}
	if _, err := w.svc.AttachFile(ctx, b.ID, upload([]byte("<html>hi</html>")), "x.pdf"); !errors.Is(err, brands.ErrAttachmentType) {
		t.Errorf("sniffed html: %v", err)
	}
	big := upload(append([]byte("%PDF-1.7\n"), make([]byte, brands.MaxAttachmentBytes)...))
	if _, err := w.svc.AttachFile(ctx, b.ID, big, "big.pdf"); !errors.Is(err, brands.ErrAttachmentTooLarge) {
		t.Errorf("big: %v", err)
	}
	if _, err := w.objects.Get(context.Background(), big); !errors.Is(err, storage.ErrObjectNotFound) {
		t.Errorf("a refused upload is deleted: %v", err)
	}
	other := w.brand(t, "Other")
	if _, err := w.svc.AttachFile(ctx, other.ID, a.Key, "x.pdf"); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("another brand's key: %v", err)
	}
	if list, err := w.svc.Attachments(ctx, b.ID); err != nil || len(list) != 1 {
		t.Errorf("attachments: %v, %v", list, err)
	}
}

func TestPipeline(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, b := w.leasing, w.brand(t, "Heytea 喜茶")
	area := decimal.RequireFromString("120.5")
	if _, err := w.svc.CreateProspect(ctx, brands.ProspectInput{MallID: w.mall, BrandID: b.ID, OwnerID: w.leasingID}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("nothing wanted: %v", err)
	}
	if _, err := w.svc.CreateProspect(ctx, brands.ProspectInput{MallID: w.mall, BrandID: b.ID, WantedArea: &area,
		OwnerID: uuid.New()}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("unknown owner: %v", err)
	}
	p, err := w.svc.CreateProspect(ctx, brands.ProspectInput{MallID: w.mall, BrandID: b.ID, WantedArea: &area,
		WantedUnitIDs: []uuid.UUID{uuid.New()}, OwnerID: w.leasingID})
	if err != nil || p.Stage != brands.StageLead {
		t.Fatalf("create: %+v, %v", p, err)
	}
	move := func(stage brands.Stage, reason brands.LostReason, note string) error {
		*w.now = w.now.Add(72 * time.Hour)
		_, err := w.svc.MoveProspect(ctx, p.ID, stage, reason, note)
		return err
	}
	if err := move(brands.StageWon, "", ""); !errors.Is(err, brands.ErrIllegalMove) {
		t.Errorf("won from lead: %v", err)
	}
	for _, s := range []brands.Stage{brands.StageVisited, brands.StageNegotiating} {
		if err := move(s, "", ""); err != nil {
			t.Fatalf("move to %s: %v", s, err)
		}
	}
	next := w.now.AddDate(0, 0, 7)
	if _, err := w.svc.AddFollowUp(ctx, brands.FollowUp{ProspectID: p.ID, Kind: brands.FollowUpMeeting,
		Note: "租金报价", NextOn: &next}); err != nil {
		t.Fatal(err)
	}
	if err := move(brands.StageLost, "", ""); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("lost without reason: %v", err)
	}
	if err := move(brands.StageLost, brands.LostOther, " "); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("other without note: %v", err)
	}
	if err := move(brands.StageLost, brands.LostRent, "报价过高"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AddFollowUp(ctx, brands.FollowUp{ProspectID: p.ID, Kind: brands.FollowUpCall, Note: "x"}); !errors.Is(err, brands.ErrIllegalMove) {
		t.Errorf("follow-up of a lost prospect: %v", err)
	}
	h, err := w.svc.History(ctx, p.ID)
	if err != nil || len(h) != 4 || h[3].To != brands.StageLost || h[3].From != brands.StageNegotiating ||
		h[3].ActorID == nil || *h[3].ActorID != w.leasingID {
		t.Errorf("history: %+v, %v", h, err)
	}
	f, err := w.svc.Funnel(ctx, w.mall, w.now.AddDate(0, -1, 0), *w.now)
	if err != nil || f.Prospects != 1 || f.Lost != 1 || f.Steps[2].Reached != 1 || *f.Steps[1].MedianDays != 6 ||
		f.LostReasons[0].Reason != brands.LostRent {
		t.Errorf("funnel: %+v, %v", f, err)
	}
	// Another mall's leasing staff (same group) and an admin elsewhere see nothing of it.
	for name, c := range map[string]context.Context{"other mall": staffAt(auth.RoleLeasing, auth.LevelMall, w.other),
		"other group": w.otherGroupCtx, "tenant": staffAt(auth.RoleTenantAdmin, auth.LevelMerchant, uuid.New())} {
		if _, err := w.svc.Prospect(c, p.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("%s reads the prospect: %v", name, err)
		}
	}
	if ps, err := w.svc.ProspectsOfBrand(staffAt(auth.RoleLeasing, auth.LevelMall, w.other), b.ID); err != nil || len(ps) != 0 {
		t.Errorf("another mall's leasing sees the brand's prospects: %v, %v", ps, err)
	}
}

// TestConcurrentMoves: 10 concurrent moves of one lead to visited: one wins, the others
// find it visited already (ILLEGAL_STAGE_CHANGE); the history has one move.
func TestConcurrentMoves(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	area := decimal.NewFromInt(80)
	p, err := w.svc.CreateProspect(w.leasing, brands.ProspectInput{MallID: w.mall, BrandID: w.brand(t, "Luckin").ID,
		WantedArea: &area, OwnerID: w.leasingID})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { _, errs[i] = w.svc.MoveProspect(w.leasing, p.ID, brands.StageVisited, "", "") })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, brands.ErrIllegalMove) {
			t.Errorf("unexpected: %v", err)
		}
	}
	if h, _ := w.svc.History(w.leasing, p.ID); ok != 1 || len(h) != 2 {
		t.Errorf("%d moves won, history %d rows", ok, len(h))
	}
}

func pageOf(n int) page.Request { return page.Request{First: n} }
