package coupons

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

type fixture struct {
	ctx   context.Context
	db    *storage.DB
	redis storage.Redis
	svc   *Service
	codes *redemption.Service
	clock *redemptiontest.Clock
	world redemptiontest.World
}

// setup builds the test's fixture; a test (not a benchmark) runs in parallel.
func setup(t testing.TB) fixture {
	t.Helper()
	if tt, ok := t.(*testing.T); ok {
		tt.Parallel()
	}
	b := servicetest.New(t, time.Date(2026, 5, 6, 4, 0, 0, 0, time.UTC)) // Wednesday 12:00 in Shanghai
	return fixture{ctx: context.Background(), db: b.DB, redis: b.Redis, codes: b.Codes, clock: b.Clock,
		world: redemptiontest.NewWorld(t, b.DB), svc: New(Deps{DB: b.DB, Redis: b.Redis, Org: b.Org, Codes: b.Codes, Now: b.Clock.Now})}
}

// cashInput is a valid active-able cash coupon template; tests change what they need.
func (f fixture) cashInput() TemplateInput {
	return TemplateInput{MallID: f.world.MallID, Name: "50 off", Kind: KindCash, FaceValue: decimal.NewFromInt(50),
		MinSpend: decimal.NewFromInt(200), ValidDays: 30, TotalStock: 100, PerMember: 1}
}

// cashTemplate creates and activates a template of cashInput changed by edit.
func (f fixture) cashTemplate(t testing.TB, edit func(in *TemplateInput)) Template {
	t.Helper()
	in := f.cashInput()
	edit(&in)
	return f.template(t, in)
}

// template creates and activates a template.
func (f fixture) template(t testing.TB, in TemplateInput) Template {
	t.Helper()
	staff := f.world.MallStaffAs(f.ctx, "member_ops")
	tpl, err := f.svc.CreateTemplate(staff, in)
	if err != nil {
		t.Fatalf("create template: %v", err)
	}
	if tpl, err = f.svc.SetStatus(staff, tpl.ID, "active"); err != nil {
		t.Fatalf("activate: %v", err)
	}
	return tpl
}

// claim claims one coupon for member.
func (f fixture) claim(t testing.TB, tpl Template, member uuid.UUID) Coupon {
	t.Helper()
	c, err := f.svc.Claim(redemptiontest.Shopper(f.ctx, member), tpl.ID, uuid.NewString())
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return c
}

func (f fixture) inTx(t testing.TB, fn func(tx pgx.Tx) error) error {
	t.Helper()
	return f.db.InTx(f.ctx, fn)
}
