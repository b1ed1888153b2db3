// Package coupons is coupon templates (券模板) and the coupons members hold: creating
// and running templates, claiming (also in flash sales, behind a Redis gate), issuing
// by campaigns, and using coupons in purchases with one set of rules on every path.
//
// Stock is slots: a template may issue `slots` coupons (its stock, or fewer when its
// budget allows fewer) and each coupon holds one slot, unique per template, so the
// database alone keeps a template from issuing more than it may. Claims get their slot
// from the Redis gate and never lock or update the template's row; issues outside the
// gate (campaigns, points, segments) take slots from the top down. The issued count is
// the sum of 16 shards (coupon_issue_counts), the budget used that count times the face
// value. gate.go has the design; rules.go the rules as plain functions.
//
// Its SQL lives in internal/queries (sqlc). Malls and merchants are read through
// org.Service's places; a coupon's redemption code through the redemption service.
// Claims and segment issues move stock through service/once, so an idempotency key is
// scoped per (caller, operation): "coupons.claim" per shopper, "coupons.segment" per
// staff account or job.
package coupons

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the coupons context is built from; all are required.
type Deps struct {
	DB    *storage.DB
	Redis storage.Redis       // the claim gate
	Org   *org.Service        // malls and merchants: places, time zones, scope
	Codes *redemption.Service // coupons' redemption codes; coupons register as its coupon subject
	Now   func() time.Time    // the clock (time.Now in production)
}

// Service is the coupons context.
type Service struct {
	db    *storage.DB
	redis storage.Redis
	org   *org.Service
	codes *redemption.Service
	now   func() time.Time
	jobs  JobInserter // set by SetJobs once the job client exists

	reserves batcher[string, reservation] // the claims' calls to the gate, by template

	termsMu sync.Mutex
	terms   map[uuid.UUID]*termsEntry // templates as first read, for their terms only (see claimTerms)
}

// New returns the coupons service and registers coupons with the redemption service.
func New(d Deps) *Service {
	service.MustDeps("coupons", d)
	if d.Redis.UniversalClient == nil {
		panic("coupons.New: Deps.Redis is required")
	}
	s := &Service{db: d.DB, redis: d.Redis, org: d.Org, codes: d.Codes, now: d.Now}
	s.reserves = batcher[string, reservation]{max: reserveBatchMax, run: s.reserveBatch}
	d.Codes.Handle(redemption.KindCoupon, subject{s})
	return s
}

// manageRoles may create and run templates of a mall they cover.
var manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// canManage checks that the caller is staff managing coupons at the mall.
func (s *Service) canManage(ctx context.Context, mallID uuid.UUID) error {
	if _, err := access.Staff(ctx); err != nil {
		return err
	}
	_, err := s.org.AtMall(ctx, mallID, manageRoles...)
	return err
}
