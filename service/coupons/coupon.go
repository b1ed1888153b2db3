package coupons

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
)

// Coupon is a coupon a member holds, with its redemption code.
type Coupon struct {
	ID         uuid.UUID
	TemplateID uuid.UUID
	MemberID   uuid.UUID
	Seq        int
	Source     string // claim | campaign | points | segment
	Status     string // issued | used | revoked
	ValidFrom  time.Time
	ValidUntil time.Time
	UsedAt     *time.Time
	CodeID     uuid.UUID
	Numeric    string // numeric redemption code
	Token      string // signed token for the QR code
}

const couponCols = `c.id, c.template_id, c.member_id, c.seq, c.source, c.status, c.valid_from, c.valid_until,
	c.used_at, r.id, r.numeric_code`

func scanCoupon(row pgx.Row) (Coupon, error) {
	var c Coupon
	err := row.Scan(&c.ID, &c.TemplateID, &c.MemberID, &c.Seq, &c.Source, &c.Status, &c.ValidFrom, &c.ValidUntil,
		&c.UsedAt, &c.CodeID, &c.Numeric)
	return c, storage.MapError(err)
}

// insertCoupon creates the member's coupon of t and its redemption code.
func (s *Service) insertCoupon(ctx context.Context, tx pgx.Tx, t Template, member uuid.UUID, seq int, source string, now time.Time) (Coupon, error) {
	c := Coupon{ID: service.NewID(), TemplateID: t.ID, MemberID: member, Seq: seq, Source: source, Status: "issued",
		ValidFrom: now.Truncate(time.Second)}
	if t.ValidFrom != nil && t.ValidFrom.After(c.ValidFrom) {
		c.ValidFrom = *t.ValidFrom
	}
	if t.ValidUntil != nil {
		c.ValidUntil = *t.ValidUntil
	} else {
		c.ValidUntil = c.ValidFrom.AddDate(0, 0, t.ValidDays)
	}
	c.ValidUntil = c.ValidUntil.Truncate(time.Second)
	_, err := tx.Exec(ctx, `INSERT INTO coupons (id, template_id, member_id, seq, source, valid_from, valid_until)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, t.ID, member, seq, source, c.ValidFrom, c.ValidUntil)
	if err != nil {
		return c, storage.MapError(err)
	}
	var merchants []uuid.UUID
	if len(t.Categories) > 0 {
		err = tx.QueryRow(ctx, `SELECT coalesce(array_agg(id), '{}') FROM merchants WHERE mall_id = $1
			AND (id = ANY($2) OR category = ANY($3))`, t.MallID, t.MerchantIDs, t.Categories).Scan(&merchants)
		if err != nil {
			return c, err
		}
	} else {
		merchants = t.MerchantIDs
	}
	code, err := s.codes.IssueTx(ctx, tx, redemption.IssueInput{Kind: redemption.KindCoupon, SubjectID: c.ID,
		MemberID: member, MallID: t.MallID, MerchantIDs: merchants, ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil})
	c.CodeID, c.Numeric, c.Token = code.ID, code.Numeric, code.Token
	return c, err
}

// Coupon returns one coupon with its code token; shoppers see only their own.
func (s *Service) Coupon(ctx context.Context, id uuid.UUID) (Coupon, error) {
	c, err := scanCoupon(s.db.Pool.QueryRow(ctx, `SELECT `+couponCols+` FROM coupons c
		JOIN redemption_codes r ON r.kind = 'coupon' AND r.subject_id = c.id WHERE c.id = $1`, id))
	if err == storage.ErrNotFound {
		return Coupon{}, errs.ErrNotFound.Msgf("coupon not found")
	}
	if err != nil {
		return c, err
	}
	if v := auth.ViewerFrom(ctx); !(v.IsShopper() && v.ID == c.MemberID) {
		if code, err := s.codes.CodeOf(ctx, redemption.KindCoupon, c.ID); err != nil ||
			s.codes.CanReadMall(ctx, code.MallID) != nil {
			return Coupon{}, errs.ErrNotFound.Msgf("coupon not found")
		}
	}
	code, err := s.codes.CodeOf(ctx, redemption.KindCoupon, c.ID)
	c.Token = code.Token
	return c, err
}

// MyCoupons lists the shopper viewer's coupons, newest first, with their code tokens.
func (s *Service) MyCoupons(ctx context.Context, p page.Request) (page.Result[Coupon], error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return page.Result[Coupon]{}, errs.ErrForbidden
	}
	after := p.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT `+couponCols+` FROM coupons c
		JOIN redemption_codes r ON r.kind = 'coupon' AND r.subject_id = c.id
		WHERE c.member_id = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3`, v.ID, after, p.Limit())
	if err != nil {
		return page.Result[Coupon]{}, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Coupon, error) { return scanCoupon(r) })
	if err != nil {
		return page.Result[Coupon]{}, err
	}
	res := page.Cut(p, list)
	ids := make([]uuid.UUID, len(res.Items))
	for i, c := range res.Items {
		ids[i] = c.ID
	}
	codes, err := s.codes.CodesOf(ctx, redemption.KindCoupon, ids)
	for i := range res.Items {
		res.Items[i].Token = codes[res.Items[i].ID].Token
	}
	return res, err
}
