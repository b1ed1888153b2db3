package resolvers

import (
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/redemption"
)

// subjectType is the global ID type of what a code redeems.
func subjectType(k redemption.Kind) string {
	if k == redemption.KindBooking {
		return "Booking"
	}
	return "Coupon"
}

// couponOut maps a coupon; its qrToken and qrPng are resolved on demand (Coupon.qrToken,
// Coupon.qrPng), so a list signs tokens and renders PNGs only when they are selected.
func couponOut(c coupons.Coupon) model.Coupon {
	code := c.Code
	if code.ID == uuid.Nil {
		code.ID = c.CodeID
	}
	return model.Coupon{ID: relay.ID("Coupon", c.ID), TemplateID: relay.ID("CouponTemplate", c.TemplateID),
		Status: string(c.Status), Source: c.Source, ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil, UsedAt: c.UsedAt,
		NumericCode: c.Numeric, QRToken: c.Token, Code: code}
}

func redemptionOut(r redemption.Redemption) *model.Redemption {
	out := &model.Redemption{ID: relay.ID("Redemption", r.ID), Kind: string(r.Kind),
		SubjectID: relay.ID(subjectType(r.Kind), r.SubjectID), RedeemedAt: r.RedeemedAt, Offline: r.Offline,
		VoidedAt: r.VoidedAt}
	if r.MerchantID != uuid.Nil {
		id := relay.ID("Merchant", r.MerchantID)
		out.MerchantID = &id
	}
	if r.VoidReason != "" {
		out.VoidReason = &r.VoidReason
	}
	return out
}

// bookingOut maps a booking; its slot and qrPng are resolved on demand (Booking.slot,
// Booking.qrPng), so lists render PNGs only when asked.
func bookingOut(b bookings.Booking) *model.Booking {
	return &model.Booking{ID: relay.ID("Booking", b.ID), SlotID: relay.ID("BookingSlot", b.SlotID), Status: string(b.Status),
		LateCancel: b.LateCancel, PaidWith: paymentOut(b.PaidWith), PricePoints: b.PricePoints,
		PriceAmount: b.PriceAmount, NumericCode: b.Numeric, QRToken: b.Token, CreatedAt: b.CreatedAt}
}

func scanOutcomes(in []redemption.ScanOutcome) []model.OfflineScanOutcome {
	out := make([]model.OfflineScanOutcome, len(in))
	for i, o := range in {
		out[i] = model.OfflineScanOutcome{ScanNonce: o.ScanNonce, Code: o.Code}
		if o.CodeID != uuid.Nil {
			id := relay.ID("RedemptionCode", o.CodeID)
			out[i].CodeID = &id
		}
	}
	return out
}

func eventOut(e redemption.Event) model.RedemptionEvent {
	return model.RedemptionEvent{Type: e.Type, Kind: string(e.Kind), SubjectID: relay.ID(subjectType(e.Kind), e.SubjectID),
		RedemptionID: relay.ID("Redemption", e.RedemptionID), At: e.At.In(time.UTC)}
}

func templateOut(t coupons.Template) *model.CouponTemplate {
	out := &model.CouponTemplate{ID: relay.ID("CouponTemplate", t.ID), MallID: relay.ID("Mall", t.MallID), Name: t.Name,
		Kind: string(t.Kind), FaceValue: t.FaceValue, MinSpend: t.MinSpend, TotalStock: t.TotalStock,
		PerMember: t.PerMember, Status: string(t.Status), ClaimedCount: t.ClaimedCount, RedeemedCount: t.RedeemedCount}
	if t.Kind == coupons.KindPercent {
		out.PercentOff = &t.PercentOff
	}
	return out
}

func templateIn(in model.CreateCouponTemplateInput) (coupons.TemplateInput, error) {
	mall, err := globalID("Mall", in.MallID)
	if err != nil {
		return coupons.TemplateInput{}, err
	}
	out := coupons.TemplateInput{MallID: mall, Name: in.Name, Kind: coupons.Kind(in.Kind), FaceValue: in.FaceValue,
		PercentOff: deref(in.PercentOff), ParkingHours: deref(in.ParkingHours), MinSpend: deref(in.MinSpend),
		Categories: in.Categories, ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil, ValidDays: deref(in.ValidDays),
		TotalStock: in.TotalStock, PerMember: deref(in.PerMember), BudgetCap: in.BudgetCap,
		Stacking: deref(in.Stacking), Funder: deref(in.Funder)}
	for _, id := range in.MerchantIds {
		m, err := globalID("Merchant", id)
		if err != nil {
			return out, err
		}
		out.MerchantIDs = append(out.MerchantIDs, m)
	}
	return out, nil
}

// optID is the global ID of an optional id.
func optID(typeName string, id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	g := relay.ID(typeName, *id)
	return &g
}
