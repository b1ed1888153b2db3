package coupons

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
)

// Discount is what coupons take off a purchase.
type Discount struct {
	Total decimal.Decimal
	Lines []DiscountLine
}

// DiscountLine is one coupon's part of a discount and who funds it.
type DiscountLine struct {
	CouponID uuid.UUID
	Amount   decimal.Decimal
	Funder   string // FunderMall | FunderMerchant
}

// Who funds a coupon's discount.
const (
	FunderMall     = "mall"     // the mall pays the merchant the discount (ledger: coupon_subsidy → merchant)
	FunderMerchant = "merchant" // the merchant gives the discount from its own takings
)

// held is a coupon joined with its template, as a purchase sees it.
type held struct {
	Coupon
	t Template
}

// ValidateForPurchaseTx checks that the member may use couponIDs on a purchase of
// amount at merchantID now, and returns the discount. It locks the coupons (FOR UPDATE)
// so that ConsumeTx in the same transaction uses exactly what was validated. Every path
// that uses coupons (recordPurchase, checkout) calls this one function.
func (s *Service) ValidateForPurchaseTx(ctx context.Context, tx pgx.Tx, memberID, merchantID uuid.UUID, amount decimal.Decimal, couponIDs []uuid.UUID) (Discount, error) {
	d := Discount{Total: decimal.Zero}
	if err := money("input.amount", amount); err != nil {
		return d, err
	}
	if len(couponIDs) == 0 {
		return d, nil
	}
	if hasDuplicates(couponIDs) {
		return d, errs.Invalid("input.couponIds", "a coupon is listed twice")
	}
	p, err := s.org.MerchantPlace(ctx, tx, merchantID)
	if err != nil {
		return d, err
	}
	coupons, err := s.lockHeld(ctx, tx, memberID, couponIDs)
	if err != nil {
		return d, err
	}
	now := s.now()
	for i, h := range coupons {
		if err := usable(h, p, amount, now, len(coupons)); err != nil {
			if e, ok := errs.As(err); ok {
				return d, e.At("input", "couponIds", strconv.Itoa(i))
			}
			return d, err
		}
		// Lines never add up to more than the amount: a later coupon gives only what is left,
		// and a coupon that would give nothing is refused rather than spent for nothing.
		line := DiscountLine{CouponID: h.ID, Amount: decimal.Min(valueOf(h.t, amount), amount.Sub(d.Total)),
			Funder: h.t.Funder}
		if !line.Amount.IsPositive() {
			return d, ErrCouponNotUsable.Msgf("nothing is left to discount").At("input", "couponIds", strconv.Itoa(i))
		}
		d.Lines = append(d.Lines, line)
		d.Total = d.Total.Add(line.Amount)
	}
	return d, nil
}

// MallFunded is the part of the discount the mall pays for (the rest is the merchants').
func (d Discount) MallFunded() decimal.Decimal {
	sum := decimal.Zero
	for _, l := range d.Lines {
		if l.Funder == FunderMall {
			sum = sum.Add(l.Amount)
		}
	}
	return sum
}

// usable applies one coupon's rules to a purchase at merchant p (of n coupons) at now.
func usable(h held, p org.Place, amount decimal.Decimal, now time.Time, n int) error {
	t := h.t
	if _, err := couponStates.Next(CouponUse, h.Status); err != nil {
		return err
	}
	switch {
	case !now.Before(h.ValidUntil):
		return ErrCouponExpired
	case now.Before(h.ValidFrom):
		return ErrCouponNotUsable.Msgf("the coupon is not valid yet")
	case t.MallID != p.MallID || !appliesTo(t, p.MerchantID, p.Category):
		return ErrWrongMerchant
	case !inWindows(t.Windows, now.In(p.Loc)):
		return ErrOutsideWindow
	case amount.LessThan(t.MinSpend):
		return ErrMinSpend
	case n > 1 && t.Stacking != "stackable":
		return ErrNotStackable
	case t.Kind == KindParking || t.Kind == KindGift:
		return ErrCouponNotUsable.Msgf("a %s coupon is redeemed by staff, not used on a purchase", t.Kind)
	}
	return nil
}

func appliesTo(t Template, merchantID uuid.UUID, category string) bool {
	if len(t.MerchantIDs) == 0 && len(t.Categories) == 0 {
		return true
	}
	return slices.Contains(t.MerchantIDs, merchantID) || slices.Contains(t.Categories, category)
}

// valueOf is a cash or percent coupon's discount on amount.
func valueOf(t Template, amount decimal.Decimal) decimal.Decimal {
	if t.Kind == KindCash {
		return decimal.Min(t.FaceValue, amount)
	}
	off := amount.Mul(t.PercentOff).Div(decimal.NewFromInt(100)).Round(2)
	if t.FaceValue.IsPositive() {
		off = decimal.Min(off, t.FaceValue)
	}
	return off
}

// lockHeld locks the member's coupons ids (FOR UPDATE) and reads their templates; a
// coupon not found or not the member's is COUPON_NOT_USABLE.
func (s *Service) lockHeld(ctx context.Context, tx pgx.Tx, memberID uuid.UUID, ids []uuid.UUID) ([]held, error) {
	q := queries.New(tx)
	rows, err := q.LockMemberCoupons(ctx, ids, memberID)
	if err != nil {
		return nil, err
	}
	if len(rows) != len(ids) {
		return nil, ErrCouponNotUsable.Msgf("coupon not found").At("input", "couponIds")
	}
	templates, err := s.templatesByID(ctx, q, rows)
	if err != nil {
		return nil, err
	}
	out := make([]held, len(rows))
	for i, r := range rows {
		out[i] = held{Coupon: couponOf(r), t: templates[r.TemplateID]}
	}
	return out, nil
}

// templatesByID reads the templates of coupons rows, by id.
func (s *Service) templatesByID(ctx context.Context, q *queries.Queries, rows []queries.Coupon) (map[uuid.UUID]Template, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.TemplateID
	}
	list, err := q.TemplatesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]Template, len(list))
	for _, r := range list {
		if out[r.CouponTemplate.ID], err = templateOf(r.CouponTemplate, r.Issued); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ConsumeTx marks the coupons of d used by a purchase (ref names it, e.g. the purchase
// id) in the caller's transaction, after ValidateForPurchaseTx returned d, and records on
// each coupon the discount it gave and who funds it.
func (s *Service) ConsumeTx(ctx context.Context, tx pgx.Tx, memberID uuid.UUID, d Discount, ref string) error {
	if len(d.Lines) == 0 {
		return nil
	}
	couponIDs := make([]uuid.UUID, len(d.Lines))
	amounts := make([]decimal.Decimal, len(d.Lines))
	funders := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		couponIDs[i], amounts[i], funders[i] = l.CouponID, l.Amount, l.Funder
	}
	from, to := couponEdge(CouponUse)
	q := queries.New(tx)
	n, err := q.UseCoupons(ctx, queries.UseCouponsParams{Ids: couponIDs, Amounts: amounts, Funders: funders,
		MemberID: memberID, UsedAt: s.now(), Ref: ref, FromStatus: string(from), ToStatus: string(to)})
	if err != nil {
		return err
	}
	used, err := q.CountUsedBy(ctx, couponIDs, ref)
	if err != nil {
		return err
	}
	if int(used) != len(couponIDs) || n == 0 {
		return ErrCouponNotUsable
	}
	for _, id := range couponIDs {
		if err := s.codes.SetStatusTx(ctx, tx, redemption.KindCoupon, id, "redeemed"); err != nil {
			return fmt.Errorf("redeem code of coupon %s: %w", id, err)
		}
	}
	return nil
}

// RestoreTx gives back the coupons a purchase (ref) used, for a refund; coupons that
// have expired meanwhile stay used. It returns the restored coupon ids.
func (s *Service) RestoreTx(ctx context.Context, tx pgx.Tx, ref string) ([]uuid.UUID, error) {
	from, to := couponEdge(CouponRestore)
	q := queries.New(tx)
	restored, err := q.RestoreCouponsOf(ctx, queries.RestoreCouponsOfParams{Ref: ref, Now: s.now(),
		FromStatus: string(from), ToStatus: string(to)})
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(restored))
	for _, r := range restored {
		if err := q.UncountRedeemed(ctx, r.TemplateID); err != nil {
			return nil, err
		}
		if err := s.codes.SetStatusTx(ctx, tx, redemption.KindCoupon, r.ID, "issued"); err != nil {
			return nil, fmt.Errorf("reissue code of coupon %s: %w", r.ID, err)
		}
		ids = append(ids, r.ID)
	}
	return ids, nil
}

func hasDuplicates(ids []uuid.UUID) bool {
	seen := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return true
		}
		seen[id] = true
	}
	return false
}
