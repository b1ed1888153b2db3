// Package coupons is coupon templates (券模板) and the coupons members hold: creating
// and running templates, claiming (also in flash sales, behind a Redis gate), issuing
// by campaigns, and using coupons in purchases with one set of rules on every path.
package coupons

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
)

// Service is the coupons context.
type Service struct {
	db    *storage.DB
	redis storage.Redis
	org   *org.Service
	codes *redemption.Service
	now   func() time.Time
	jobs  JobInserter // optional: segment issue runs
}

// New returns the coupons service and registers coupons with the redemption service.
func New(db *storage.DB, redis storage.Redis, orgs *org.Service, codes *redemption.Service, now func() time.Time) *Service {
	s := &Service{db: db, redis: redis, org: orgs, codes: codes, now: now}
	codes.Handle(redemption.KindCoupon, subject{s})
	return s
}

// manageRoles may create and run templates of a mall they cover.
var manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

func (s *Service) canManage(ctx context.Context, mallID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	if !v.IsStaff() {
		return errs.ErrForbidden
	}
	ref, err := s.org.MallRef(ctx, mallID)
	if err != nil {
		return err
	}
	if !v.Can(ref, manageRoles...) {
		return errs.ErrForbidden
	}
	return nil
}

// CreateTemplate creates a draft template.
func (s *Service) CreateTemplate(ctx context.Context, in TemplateInput) (Template, error) {
	if err := normalize(&in); err != nil {
		return Template{}, err
	}
	if err := s.canManage(ctx, in.MallID); err != nil {
		return Template{}, err
	}
	return s.insertTemplate(ctx, s.db.Pool, in)
}

func (s *Service) insertTemplate(ctx context.Context, q storage.Querier, in TemplateInput) (Template, error) {
	windows, err := jsonOf(in.Windows)
	if err != nil {
		return Template{}, err
	}
	if in.MerchantIDs == nil {
		in.MerchantIDs = []uuid.UUID{}
	}
	if in.Categories == nil {
		in.Categories = []string{}
	}
	return scanTemplate(q.QueryRow(ctx, `INSERT INTO coupon_templates (id, mall_id, name, kind, face_value, percent_off,
		parking_hours, min_spend, merchant_ids, categories, valid_from, valid_until, valid_days, windows, total_stock,
		per_member, budget_cap, stacking, funder) VALUES ($1, $2, $3, $4, $5, nullif($6, 0), nullif($7, 0), $8, $9,
		$10, $11, $12, nullif($13, 0), $14, $15, $16, $17, $18, $19) RETURNING `+templateCols,
		service.NewID(), in.MallID, in.Name, in.Kind, in.FaceValue, in.PercentOff, in.ParkingHours, in.MinSpend,
		in.MerchantIDs, in.Categories, in.ValidFrom, in.ValidUntil, in.ValidDays, windows, in.TotalStock,
		in.PerMember, in.BudgetCap, in.Stacking, in.Funder))
}

// Template returns one template (public: shoppers see what they can claim).
func (s *Service) Template(ctx context.Context, id uuid.UUID) (Template, error) {
	t, err := scanTemplate(s.db.Pool.QueryRow(ctx, `SELECT `+templateCols+` FROM coupon_templates WHERE id = $1`, id))
	if err == storage.ErrNotFound {
		return t, errs.ErrNotFound.Msgf("coupon template not found")
	}
	return t, err
}

var transitions = map[string][]string{
	"active": {"draft", "paused"},
	"paused": {"active"},
	"ended":  {"draft", "active", "paused"},
}

// SetStatus moves a template to active, paused or ended, and rebuilds its claim gate.
func (s *Service) SetStatus(ctx context.Context, id uuid.UUID, status string) (Template, error) {
	t, err := s.Template(ctx, id)
	if err != nil {
		return t, err
	}
	if err := s.canManage(ctx, t.MallID); err != nil {
		return t, err
	}
	from, ok := transitions[status]
	if !ok {
		return t, errs.Invalid("input.status", "status must be active, paused or ended")
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE coupon_templates SET status = $2 WHERE id = $1 AND status = ANY($3)`,
			id, status, from)
		if err == nil && tag.RowsAffected() == 0 {
			err = ErrBadTransition
		}
		return err
	})
	if err != nil {
		return t, err
	}
	if err := s.rebuildGate(ctx, id, -1, true); err != nil {
		return t, err
	}
	return s.Template(ctx, id)
}
