package coupons

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
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
	Status     CouponStatus
	ValidFrom  time.Time
	ValidUntil time.Time
	UsedAt     *time.Time
	CodeID     uuid.UUID
	Numeric    string // numeric redemption code
	Token      string // signed token for the QR code; empty in lists (sign Code when shown)
	Code       redemption.Code
}

// couponOf maps a stored coupon (without its code).
func couponOf(r queries.Coupon) Coupon {
	return Coupon{ID: r.ID, TemplateID: r.TemplateID, MemberID: r.MemberID, Seq: int(r.Seq), Source: r.Source,
		Status: CouponStatus(r.Status), ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil, UsedAt: r.UsedAt}
}

// withCode sets the coupon's redemption code.
func (c Coupon) withCode(code redemption.Code) Coupon {
	c.CodeID, c.Numeric, c.Token, c.Code = code.ID, code.Numeric, code.Token, code
	return c
}

// newCoupon is the member's coupon of t issued at now: valid from now (or the
// template's later start) until the template's end or for its number of days.
func newCoupon(t Template, member uuid.UUID, seq int, source string, now time.Time) Coupon {
	c := Coupon{ID: service.NewID(), TemplateID: t.ID, MemberID: member, Seq: seq, Source: source, Status: CouponIssued,
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
	return c
}

// insertCoupon inserts coupon c of t in slot (errSlotTaken, having written nothing,
// when the template refuses the slot: taken, or the template not active) and issues
// its redemption code.
func (s *Service) insertCoupon(ctx context.Context, tx pgx.Tx, t Template, c Coupon, slot int, now time.Time) (Coupon, error) {
	n, err := queries.New(tx).InsertCoupon(ctx, queries.InsertCouponParams{ID: c.ID, TemplateID: t.ID,
		MemberID: c.MemberID, Seq: int32(c.Seq), Slot: int32(slot), Source: c.Source, ValidFrom: c.ValidFrom,
		ValidUntil: c.ValidUntil, Now: now})
	if err != nil {
		return c, storage.MapError(err)
	} else if n == 0 {
		return c, errSlotTaken
	}
	return s.issueCode(ctx, tx, t, c)
}

// issueCode issues the redemption code of coupon c of t.
func (s *Service) issueCode(ctx context.Context, tx pgx.Tx, t Template, c Coupon) (Coupon, error) {
	merchants, err := merchantsOf(ctx, queries.New(tx), t)
	if err != nil {
		return c, err
	}
	code, err := s.codes.IssueTx(ctx, tx, codeInput(t, c, merchants))
	if err != nil {
		return c, fmt.Errorf("issue code of coupon: %w", err)
	}
	return c.withCode(code), nil
}

// codeInput is the redemption code of coupon c of t, valid at merchants.
func codeInput(t Template, c Coupon, merchants []uuid.UUID) redemption.IssueInput {
	return redemption.IssueInput{Kind: redemption.KindCoupon, SubjectID: c.ID, MemberID: c.MemberID, MallID: t.MallID,
		MerchantIDs: merchants, ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil}
}

// merchantsOf is where t's coupons may be used, as their codes carry it: the merchants
// it names and, with categories, every merchant of the mall in one of them.
func merchantsOf(ctx context.Context, q *queries.Queries, t Template) ([]uuid.UUID, error) {
	if len(t.Categories) == 0 {
		return t.MerchantIDs, nil
	}
	ids, err := q.MerchantsForTemplate(ctx, queries.MerchantsForTemplateParams{MallID: t.MallID,
		MerchantIds: orEmpty(t.MerchantIDs), Categories: t.Categories})
	if err != nil {
		return nil, fmt.Errorf("merchants of template %s: %w", t.ID, err)
	}
	return ids, nil
}

// Coupon returns one coupon with its code token; shoppers see only their own, staff
// those of a mall whose redemption data they may read.
func (s *Service) Coupon(ctx context.Context, id uuid.UUID) (Coupon, error) {
	missing := errs.ErrNotFound.Msgf("coupon not found")
	row, err := queries.New(s.db.Pool).CouponByID(ctx, id)
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return Coupon{}, missing
	} else if err != nil {
		return Coupon{}, err
	}
	code, err := s.codes.CodeOf(ctx, redemption.KindCoupon, id)
	if errors.Is(err, storage.ErrNotFound) {
		return Coupon{}, missing
	} else if err != nil {
		return Coupon{}, fmt.Errorf("code of coupon: %w", err)
	}
	c := couponOf(row).withCode(code)
	if member, err := access.Shopper(ctx); (err != nil || member != c.MemberID) && s.codes.CanReadMall(ctx, code.MallID) != nil {
		return Coupon{}, missing
	}
	return c, nil
}

// MyCoupons lists the shopper viewer's coupons, newest first, with their codes unsigned
// (Coupon.Code: the caller signs the ones it shows, redemption.Service.Token).
func (s *Service) MyCoupons(ctx context.Context, p page.Request) (page.Result[Coupon], error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return page.Result[Coupon]{}, err
	}
	after := p.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := queries.New(s.db.Pool).CouponsOfMember(ctx, queries.CouponsOfMemberParams{
		MemberID: member, After: after, Lim: int32(p.Limit())})
	if err != nil {
		return page.Result[Coupon]{}, err
	}
	res := page.Cut(p, rows)
	ids := make([]uuid.UUID, len(res.Items))
	for i, c := range res.Items {
		ids[i] = c.ID
	}
	codes, err := s.codes.UnsignedCodesOf(ctx, redemption.KindCoupon, ids)
	if err != nil {
		return page.Result[Coupon]{}, fmt.Errorf("codes of coupons: %w", err)
	}
	out := page.Result[Coupon]{Items: make([]Coupon, len(res.Items)), HasNext: res.HasNext}
	for i, r := range res.Items {
		out.Items[i] = couponOf(r).withCode(codes[r.ID])
	}
	return out, nil
}
