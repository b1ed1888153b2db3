package coupons

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
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
	var (
		mallID   uuid.UUID
		category string
		zone     string
	)
	err := tx.QueryRow(ctx, `SELECT m.mall_id, m.category, l.time_zone FROM merchants m JOIN malls l ON l.id = m.mall_id
		WHERE m.id = $1`, merchantID).Scan(&mallID, &category, &zone)
	if err != nil {
		return d, errs.ErrNotFound.Msgf("merchant not found")
	}
	coupons, err := s.lockHeld(ctx, tx, memberID, couponIDs)
	if err != nil {
		return d, err
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	now := s.now()
	for i, h := range coupons {
		if err := usable(h, mallID, merchantID, category, amount, now, now.In(loc), len(coupons)); err != nil {
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

// usable applies one coupon's rules to a purchase.
func usable(h held, mallID, merchantID uuid.UUID, category string, amount decimal.Decimal, now, local time.Time, n int) error {
	t := h.t
	switch {
	case h.Status != "issued":
		return ErrCouponNotUsable.Msgf("the coupon is %s", h.Status)
	case !now.Before(h.ValidUntil):
		return ErrCouponExpired
	case now.Before(h.ValidFrom):
		return ErrCouponNotUsable.Msgf("the coupon is not valid yet")
	case t.MallID != mallID || !appliesTo(t, merchantID, category):
		return ErrWrongMerchant
	case !inWindows(t.Windows, local):
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

func (s *Service) lockHeld(ctx context.Context, tx pgx.Tx, memberID uuid.UUID, ids []uuid.UUID) ([]held, error) {
	rows, err := tx.Query(ctx, `SELECT c.id, c.status, c.valid_from, c.valid_until, c.template_id
		FROM coupons c WHERE c.id = ANY($1) AND c.member_id = $2 ORDER BY c.id FOR UPDATE`, ids, memberID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (held, error) {
		var h held
		err := r.Scan(&h.ID, &h.Status, &h.ValidFrom, &h.ValidUntil, &h.TemplateID)
		return h, err
	})
	if err != nil {
		return nil, err
	}
	if len(out) != len(ids) {
		return nil, ErrCouponNotUsable.Msgf("coupon not found").At("input", "couponIds")
	}
	for i := range out {
		if out[i].t, err = scanTemplate(tx.QueryRow(ctx, `SELECT `+templateCols+` FROM coupon_templates
			WHERE id = $1`, out[i].TemplateID)); err != nil {
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
	tag, err := tx.Exec(ctx, `WITH l AS (SELECT * FROM unnest($1::uuid[], $5::numeric[], $6::text[]) AS l(id, amount, funder)),
		u AS (UPDATE coupons c SET status = 'used', used_at = $3, used_ref = $4, discount = l.amount, funder = l.funder
		FROM l WHERE c.id = l.id AND c.member_id = $2 AND c.status = 'issued' RETURNING c.id, c.template_id)
		UPDATE coupon_templates t SET redeemed_count = redeemed_count + x.n
		FROM (SELECT template_id, count(*) AS n FROM u GROUP BY template_id) x WHERE t.id = x.template_id`,
		couponIDs, memberID, s.now(), ref, amounts, funders)
	if err != nil {
		return err
	}
	var used int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM coupons WHERE id = ANY($1) AND used_ref = $2`,
		couponIDs, ref).Scan(&used); err != nil {
		return err
	}
	if used != len(couponIDs) || tag.RowsAffected() == 0 {
		return ErrCouponNotUsable
	}
	for _, id := range couponIDs {
		if err := s.codes.SetStatusTx(ctx, tx, redemption.KindCoupon, id, "redeemed"); err != nil {
			return err
		}
	}
	return nil
}

// RestoreTx gives back the coupons a purchase (ref) used, for a refund; coupons that
// have expired meanwhile stay used. It returns the restored coupon ids.
func (s *Service) RestoreTx(ctx context.Context, tx pgx.Tx, ref string) ([]uuid.UUID, error) {
	rows, err := tx.Query(ctx, `UPDATE coupons SET status = 'issued', used_at = NULL, used_ref = NULL,
		discount = NULL, funder = NULL WHERE used_ref = $1 AND status = 'used' AND valid_until > $2 RETURNING id, template_id`, ref, s.now())
	if err != nil {
		return nil, err
	}
	type pair struct{ id, tpl uuid.UUID }
	restored, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pair, error) {
		var p pair
		return p, r.Scan(&p.id, &p.tpl)
	})
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(restored))
	for _, p := range restored {
		if _, err := tx.Exec(ctx, `UPDATE coupon_templates SET redeemed_count = redeemed_count - 1 WHERE id = $1`,
			p.tpl); err != nil {
			return nil, err
		}
		if err := s.codes.SetStatusTx(ctx, tx, redemption.KindCoupon, p.id, "issued"); err != nil {
			return nil, err
		}
		ids = append(ids, p.id)
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
