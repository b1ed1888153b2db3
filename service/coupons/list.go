package coupons

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
)

// Templates lists a mall's templates, newest first, for the staff who manage them;
// status ("" for all) filters.
func (s *Service) Templates(ctx context.Context, mallID uuid.UUID, status string, p page.Request) (page.Result[Template], error) {
	if status != "" && !validTemplateStatus(TemplateStatus(status)) {
		return page.Result[Template]{}, errs.Invalid("status", "status must be draft, active, paused or ended")
	}
	if err := s.canManage(ctx, mallID); err != nil {
		return page.Result[Template]{}, err
	}
	after := p.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := queries.New(s.db.Pool).TemplatesOfMall(ctx, queries.TemplatesOfMallParams{
		MallID: mallID, Status: status, After: after, Lim: int32(p.Limit())})
	if err != nil {
		return page.Result[Template]{}, err
	}
	list, err := mapAll(rows, func(r queries.TemplatesOfMallRow) (Template, error) {
		return templateOf(r.CouponTemplate, r.Issued)
	})
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
	member, err := access.Shopper(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ClaimableTemplates(ctx, queries.ClaimableTemplatesParams{
		MallID: mallID, MemberID: member, Now: s.now()})
	if err != nil {
		return nil, err
	}
	return mapAll(rows, func(r queries.ClaimableTemplatesRow) (Offer, error) {
		t, err := templateOf(r.CouponTemplate, r.Issued)
		return Offer{Template: t, MyClaims: int(r.MyClaims), Remaining: remaining(t)}, err
	})
}

// mapAll maps every row with fn, stopping at the first error.
func mapAll[R, T any](rows []R, fn func(R) (T, error)) ([]T, error) {
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		t, err := fn(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
