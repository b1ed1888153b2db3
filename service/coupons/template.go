package coupons

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
)

// Kind is the kind of a coupon.
type Kind string

// The coupon kinds.
const (
	KindCash    Kind = "cash"    // 代金券: face value off
	KindPercent Kind = "percent" // 折扣券: percent off, face value caps the discount (0: no cap)
	KindGift    Kind = "gift"    // 兑换券: exchanged for a gift; face value is its cost
	KindParking Kind = "parking" // free parking hours
)

// Window is a usable time window: on these ISO weekdays (1 = Monday; none = every
// day), from From to To ("HH:MM", mall time).
type Window struct {
	Weekdays []int  `json:"weekdays,omitempty"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// TemplateInput is what staff set on a coupon template.
type TemplateInput struct {
	MallID       uuid.UUID
	Name         string
	Kind         Kind
	FaceValue    decimal.Decimal
	PercentOff   decimal.Decimal // percent: 1..99.99 (e.g. 15 = 15% off)
	ParkingHours int
	MinSpend     decimal.Decimal
	MerchantIDs  []uuid.UUID
	Categories   []string
	ValidFrom    *time.Time // fixed validity: ValidFrom (optional) … ValidUntil
	ValidUntil   *time.Time
	ValidDays    int // or N days after claim
	Windows      []Window
	TotalStock   int
	PerMember    int
	BudgetCap    *decimal.Decimal
	Stacking     string // exclusive | stackable
	Funder       string // mall | merchant
}

// Template is a coupon template (券模板) with its counters.
type Template struct {
	ID uuid.UUID
	TemplateInput
	Status        TemplateStatus
	Slots         int // how many coupons it may ever issue: its stock, or fewer when its budget allows fewer
	ClaimedCount  int // coupons issued (claimed or issued by campaigns), the sum of its count's shards
	BudgetUsed    decimal.Decimal
	RedeemedCount int
	CreatedAt     time.Time
	outsideSlot   *int // where an issue outside the gate looks down from for a free slot (nil: Slots)
}

// cost is what one coupon of t counts against its budget.
func (t Template) cost() decimal.Decimal { return t.FaceValue }

// templateOf maps a stored template and its issued count. A template's budget used is
// its issued count times its face value (neither the face value nor a coupon's cost
// ever changes).
func templateOf(r queries.CouponTemplate, issued int32) (Template, error) {
	t := Template{ID: r.ID, TemplateInput: TemplateInput{MallID: r.MallID, Name: r.Name, Kind: Kind(r.Kind),
		FaceValue: r.FaceValue, PercentOff: orZero(r.PercentOff), ParkingHours: int(orZero(r.ParkingHours)),
		MinSpend: r.MinSpend, MerchantIDs: r.MerchantIds, Categories: r.Categories, ValidFrom: r.ValidFrom,
		ValidUntil: r.ValidUntil, ValidDays: int(orZero(r.ValidDays)), TotalStock: int(r.TotalStock),
		PerMember: int(r.PerMember), BudgetCap: r.BudgetCap, Stacking: r.Stacking, Funder: r.Funder},
		Status: TemplateStatus(r.Status), Slots: int(orZero(r.Slots)), ClaimedCount: int(issued),
		RedeemedCount: int(r.RedeemedCount), CreatedAt: r.CreatedAt}
	t.BudgetUsed = t.cost().Mul(decimal.NewFromInt32(issued))
	if r.OutsideSlot != nil {
		o := int(*r.OutsideSlot)
		t.outsideSlot = &o
	}
	if err := json.Unmarshal(r.Windows, &t.Windows); err != nil {
		return t, fmt.Errorf("coupons: decode windows of template %s: %w", r.ID, err)
	}
	return t, nil
}

// normalize fills defaults and checks a template's settings.
func normalize(in *TemplateInput) error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Stacking == "" {
		in.Stacking = "exclusive"
	}
	if in.Funder == "" {
		in.Funder = "mall"
	}
	if in.PerMember == 0 {
		in.PerMember = 1
	}
	checks := []func(*TemplateInput) error{checkBasics, checkKind, checkValidity, checkStock}
	for _, check := range checks {
		if err := check(in); err != nil {
			return err
		}
	}
	for i, w := range in.Windows {
		if _, _, err := w.minutes(); err != nil {
			return errs.Invalid(fmt.Sprintf("input.windows.%d", i), "%v", err)
		}
	}
	return nil
}

func checkBasics(in *TemplateInput) error {
	switch {
	case in.MallID == uuid.Nil:
		return errs.Invalid("input.mallId", "a mall is required")
	case in.Name == "" || len(in.Name) > 200:
		return errs.Invalid("input.name", "name must have 1 to 200 characters")
	case !slices.Contains([]string{"exclusive", "stackable"}, in.Stacking):
		return errs.Invalid("input.stacking", "stacking must be exclusive or stackable")
	case !slices.Contains([]string{"mall", "merchant"}, in.Funder):
		return errs.Invalid("input.funder", "funder must be mall or merchant")
	}
	if err := money("input.minSpend", in.MinSpend); err != nil {
		return err
	}
	return money("input.faceValue", in.FaceValue)
}

func checkKind(in *TemplateInput) error {
	switch in.Kind {
	case KindCash, KindGift:
		if !in.FaceValue.IsPositive() {
			return errs.Invalid("input.faceValue", "face value must be positive")
		}
	case KindPercent:
		if in.PercentOff.LessThanOrEqual(decimal.Zero) || in.PercentOff.GreaterThanOrEqual(decimal.NewFromInt(100)) ||
			!in.PercentOff.Equal(in.PercentOff.Round(2)) {
			return errs.Invalid("input.percentOff", "percent off must be between 0 and 100 with at most 2 decimals")
		}
	case KindParking:
		if in.ParkingHours <= 0 || in.ParkingHours > 24 {
			return errs.Invalid("input.parkingHours", "parking hours must be 1 to 24")
		}
	default:
		return errs.Invalid("input.kind", "unknown coupon kind %q", in.Kind)
	}
	return nil
}

func checkValidity(in *TemplateInput) error {
	switch {
	case (in.ValidDays > 0) == (in.ValidUntil != nil):
		return errs.Invalid("input.validUntil", "give either a fixed end date or a number of days after claim")
	case in.ValidDays < 0 || in.ValidDays > 3660:
		return errs.Invalid("input.validDays", "valid days must be 1 to 3660")
	case in.ValidFrom != nil && in.ValidUntil != nil && !in.ValidUntil.After(*in.ValidFrom):
		return errs.Invalid("input.validUntil", "the end must be after the start")
	}
	return nil
}

func checkStock(in *TemplateInput) error {
	switch {
	case in.TotalStock < 0:
		return errs.Invalid("input.totalStock", "stock cannot be negative")
	case in.PerMember < 1 || in.PerMember > 1000:
		return errs.Invalid("input.perMember", "per-member limit must be 1 to 1000")
	}
	if in.BudgetCap != nil {
		return money("input.budgetCap", *in.BudgetCap)
	}
	return nil
}

// money rejects negative amounts and amounts with more than 2 decimals.
func money(field string, d decimal.Decimal) error {
	if d.IsNegative() {
		return errs.Invalid(field, "amount cannot be negative")
	}
	if !d.Equal(d.Round(2)) {
		return errs.Invalid(field, "amount has more than 2 decimals")
	}
	return nil
}
