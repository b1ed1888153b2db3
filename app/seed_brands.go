package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/page"
)

// demoBrand is a brand of the demo library with its contact.
type demoBrand struct {
	name     string
	category brands.Category
	grade    brands.Grade
	contact  brands.Contact
}

var demoBrands = []demoBrand{
	{"喜茶 HEYTEA", brands.CategoryDining, brands.GradeA, brands.Contact{Name: "陈思", Role: "华东拓展经理", Phone: "13800138001"}},
	{"优衣库 UNIQLO", brands.CategoryApparel, brands.GradeA, brands.Contact{Name: "Tanaka", Role: "开发部", Email: "dev@example.com"}},
	{"海底捞 Haidilao", brands.CategoryDining, brands.GradeA, brands.Contact{Name: "李强", Role: "拓展总监", Phone: "021-62345678"}},
	{"泡泡玛特 POP MART", brands.CategoryRetail, brands.GradeB, brands.Contact{Name: "王悦", Phone: "13800138004"}},
	{"星巴克 Starbucks", brands.CategoryDining, brands.GradeA, brands.Contact{Name: "Emily Wu", Role: "Real estate", Email: "re@example.com"}},
	{"无印良品 MUJI", brands.CategoryRetail, brands.GradeB, brands.Contact{Name: "赵敏", Phone: "13800138006"}},
	{"瑞幸咖啡 luckin coffee", brands.CategoryDining, brands.GradeB, brands.Contact{Name: "孙磊", Phone: "13800138007"}},
	{"丝芙兰 SEPHORA", brands.CategoryRetail, brands.GradeA, brands.Contact{Name: "周琳", Email: "store.dev@example.com"}},
	{"万达影城 Wanda Cinema", brands.CategoryEntertainment, brands.GradeA, brands.Contact{Name: "吴昊", Phone: "13800138009"}},
	{"乐高 LEGO", brands.CategoryKids, brands.GradeB, brands.Contact{Name: "Anna", Phone: "+85291234567"}},
}

// demoMove is a stage a demo prospect entered, days before today.
type demoMove struct {
	stage   brands.Stage
	daysAgo int
}

// demoProspect is a demo prospect: a brand (index in demoBrands), what it wants, and its
// moves after its creation (the first move's day), with a follow-up at each.
type demoProspect struct {
	brand  int
	area   int64
	moves  []demoMove
	reason brands.LostReason
}

var demoPipeline = []demoProspect{
	{0, 80, []demoMove{{brands.StageLead, 60}, {brands.StageVisited, 55}, {brands.StageNegotiating, 45},
		{brands.StageLOI, 30}, {brands.StageContract, 20}, {brands.StageWon, 10}}, ""},
	{1, 1200, []demoMove{{brands.StageLead, 50}, {brands.StageVisited, 44}, {brands.StageNegotiating, 35},
		{brands.StageLOI, 20}}, ""},
	{2, 600, []demoMove{{brands.StageLead, 40}, {brands.StageVisited, 36}, {brands.StageNegotiating, 25}}, ""},
	{3, 120, []demoMove{{brands.StageLead, 30}, {brands.StageVisited, 25}}, ""},
	{4, 200, []demoMove{{brands.StageLead, 20}}, ""},
	{5, 450, []demoMove{{brands.StageLead, 45}, {brands.StageVisited, 40}, {brands.StageLost, 30}}, brands.LostRent},
	{6, 60, []demoMove{{brands.StageLead, 35}, {brands.StageNegotiating, 28}, {brands.StageLost, 15}}, brands.LostCompetitor},
	{7, 300, []demoMove{{brands.StageLead, 25}, {brands.StageVisited, 20}, {brands.StageNegotiating, 12},
		{brands.StageLOI, 5}, {brands.StageContract, 2}}, ""},
	{8, 3000, []demoMove{{brands.StageLead, 15}, {brands.StageVisited, 8}}, ""},
}

// seedBrands fills the demo group's brand library (10 brands with a contact each) and,
// when the demo mall has no prospects yet, a pipeline of prospects in every stage with
// follow-ups. Moves are made on a clock set back to their day, so the funnel shows
// real conversion times.
func (a *App) seedBrands(ctx context.Context, group, mall uuid.UUID) error {
	ids := make([]uuid.UUID, len(demoBrands))
	for i, d := range demoBrands {
		id, err := a.seedBrand(ctx, group, d)
		if err != nil {
			return fmt.Errorf("demo brand %s: %w", d.name, err)
		}
		ids[i] = id
	}
	existing, err := a.Services.Brands.Prospects(ctx, mall, brands.ProspectFilter{}, page.Request{First: 1})
	if err != nil || len(existing.Items) > 0 {
		return err
	}
	owner, err := a.demoLeasingOwner(ctx)
	if err != nil {
		return err
	}
	today := time.Now()
	for _, p := range demoPipeline {
		if err := a.seedProspect(ctx, mall, ids[p.brand], owner, today, p); err != nil {
			return fmt.Errorf("demo prospect %s: %w", demoBrands[p.brand].name, err)
		}
	}
	return nil
}

// seedBrand creates a demo brand with its contact, or finds it when it exists.
func (a *App) seedBrand(ctx context.Context, group uuid.UUID, d demoBrand) (uuid.UUID, error) {
	b, err := a.Services.Brands.CreateBrand(ctx, brands.BrandInput{GroupID: group, Name: d.name, Category: d.category,
		Grade: d.grade, Notes: "演示品牌"})
	if errors.Is(err, brands.ErrDuplicateBrand) {
		res, err := a.Services.Brands.Brands(ctx, group, brands.BrandFilter{Name: d.name}, page.Request{First: 1})
		if err != nil || len(res.Items) == 0 {
			return uuid.Nil, fmt.Errorf("find: %w", err)
		}
		return res.Items[0].ID, nil
	}
	if err != nil {
		return uuid.Nil, err
	}
	d.contact.BrandID = b.ID
	_, err = a.Services.Brands.AddContact(ctx, d.contact)
	return b.ID, err
}

// demoLeasingOwner is the staff member owning the demo prospects: the demo leasing
// account when there is one, else the demo admin.
func (a *App) demoLeasingOwner(ctx context.Context) (uuid.UUID, error) {
	for _, username := range []string{"leasing", "admin"} {
		if c, err := a.Services.Org.Credentials(ctx, username); err == nil {
			return c.ID, nil
		}
	}
	return uuid.Nil, errors.New("no demo leasing or admin account (run SeedDemo first)")
}

// seedProspect creates one demo prospect and replays its moves, each on its day.
func (a *App) seedProspect(ctx context.Context, mall, brand, owner uuid.UUID, today time.Time, d demoProspect) error {
	at := today
	svc := brands.New(brands.Deps{DB: a.DB, Org: a.Services.Org, Objects: a.Objects, Now: func() time.Time { return at }})
	day := func(daysAgo int) time.Time { return today.AddDate(0, 0, -daysAgo) }
	area := decimal.NewFromInt(d.area)
	at = day(d.moves[0].daysAgo)
	p, err := svc.CreateProspect(ctx, brands.ProspectInput{MallID: mall, BrandID: brand, WantedArea: &area, OwnerID: owner})
	if err != nil {
		return err
	}
	for i, m := range d.moves {
		at = day(m.daysAgo)
		if i > 0 {
			reason, note := brands.LostReason(""), ""
			if m.stage == brands.StageLost {
				reason, note = d.reason, "演示：未达成一致"
			}
			if _, err := svc.MoveProspect(ctx, p.ID, m.stage, reason, note); err != nil {
				return err
			}
		}
		if m.stage != brands.StageWon && m.stage != brands.StageLost {
			next := day(m.daysAgo - 5)
			if _, err := svc.AddFollowUp(ctx, brands.FollowUp{ProspectID: p.ID, Kind: followUpKinds[i%len(followUpKinds)],
				Note: "演示跟进：" + string(m.stage), NextOn: &next}); err != nil {
				return err
			}
		}
	}
	return nil
}

var followUpKinds = []brands.FollowUpKind{brands.FollowUpCall, brands.FollowUpVisit, brands.FollowUpMeeting, brands.FollowUpEmail}
