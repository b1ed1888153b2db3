package coupons

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
)

// Statuses of templates.
var templateStatuses = []string{"draft", "active", "paused", "ended"}

// Templates lists a mall's templates, newest first, for the staff who manage them;
// status ("" for all) filters.
func (s *Service) Templates(ctx context.Context, mallID uuid.UUID, status string, p page.Request) (page.Result[Template], error) {
	if status != "" && !slices.Contains(templateStatuses, status) {
		return page.Result[Template]{}, errs.Invalid("status", "status must be draft, active, paused or ended")
	}
	if err := s.canManage(ctx, mallID); err != nil {
		return page.Result[Template]{}, err
	}
	after := p.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT `+templateCols+` FROM coupon_templates
		WHERE mall_id = $1 AND ($2 = '' OR status = $2) AND id < $3 ORDER BY id DESC LIMIT $4`,
		mallID, status, after, p.Limit())
	if err != nil {
		return page.Result[Template]{}, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Template, error) { return scanTemplate(r) })
	return page.Cut(p, list), err
}

// Offer is a template as the coupon centre (领券中心) shows it to a shopper.
type Offer struct {
	Template
	Remaining int // coupons left to claim, by stock and budget
	MyClaims  int // how many the shopper has claimed
}

// CanClaim reports whether the shopper may still claim one.
func (o Offer) CanClaim() bool { return o.Remaining > 0 && o.MyClaims < o.PerMember }

// CouponCentre lists the templates of a mall a shopper can claim now: active, not past
// their fixed validity, newest first, with the stock left and the shopper's own claims.
// Sold-out templates stay listed (CanClaim false), as mini-programs show them greyed.
func (s *Service) CouponCentre(ctx context.Context, mallID uuid.UUID) ([]Offer, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return nil, errs.ErrForbidden
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT `+templateCols+`, coalesce((SELECT claimed FROM coupon_member_claims
			WHERE template_id = t.id AND member_id = $2), 0)
		FROM coupon_templates t WHERE mall_id = $1 AND status = 'active' AND (valid_until IS NULL OR valid_until > $3)
		ORDER BY id DESC LIMIT 200`, mallID, v.ID, s.now())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Offer, error) {
		var o Offer
		var mine int
		t, err := scanTemplate(extraCol{r, &mine})
		o.Template, o.MyClaims, o.Remaining = t, mine, remaining(t)
		return o, err
	})
}

// extraCol scans a template row followed by one more column.
type extraCol struct {
	row   pgx.Row
	extra any
}

func (e extraCol) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra)...) }
