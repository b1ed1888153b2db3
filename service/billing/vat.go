package billing

import (
	"context"
	"fmt"
	"regexp"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/storage"
)

// Charge codes billing adds to the schedule's (schedule.Code*).
const (
	CodeEnergy = "ENERGY" // energy lines (the energy source)
	CodeOther  = "OTHER"  // a one-off charge of no other code
	// CodeLateFee is a late fee (滞纳金) accrued on an overdue bill (latefees.go).
	CodeLateFee = "LATE_FEE"
)

// DefaultRates are the VAT rates of the charge codes at a mall that set none
// (billing_vat_rates overrides them per mall): leasing of real estate 9 %, property
// management (a service) 6 %, electricity and water resold 13 %, a late fee as rent 9 %,
// a deposit (held, not earned) none. Percentage rent is rent. A code outside this table and the mall's
// is unknown: one-off charges must use a known code.
func DefaultRates() map[string]decimal.Decimal {
	return map[string]decimal.Decimal{
		string(schedule.CodeRent):         decimal.RequireFromString("0.09"),
		string(schedule.CodePctProvision): decimal.RequireFromString("0.09"),
		string(schedule.CodePctTrueUp):    decimal.RequireFromString("0.09"),
		string(schedule.CodeMgmtFee):      decimal.RequireFromString("0.06"),
		string(schedule.CodeDeposit):      decimal.Zero,
		CodeEnergy:                        decimal.RequireFromString("0.13"),
		CodeOther:                         decimal.RequireFromString("0.06"),
		// A late fee is a charge beyond the price (价外费用) of the rent it is late on.
		CodeLateFee: decimal.RequireFromString("0.09"),
	}
}

// Split divides a tax-inclusive (gross) amount at a VAT rate, the rule named "VAT out
// of gross, half away from zero to the fen" (价税分离, 四舍五入): VAT = gross × rate /
// (1 + rate) rounded half away from zero to 0.01, net = gross − VAT, so net + VAT is
// the gross exactly. A negative gross (a credit) splits symmetrically.
func Split(gross, rate decimal.Decimal) (net, vat decimal.Decimal) {
	if rate.IsZero() {
		return gross, decimal.Zero
	}
	vat = gross.Mul(rate).Div(decimal.NewFromInt(1).Add(rate)).Round(2)
	return gross.Sub(vat), vat
}

// Rates are a mall's VAT rates by charge code.
type Rates map[string]decimal.Decimal

// Of is the rate of a line's code: an ADJUSTMENT is taxed as the charge it corrects.
func (r Rates) Of(code, of string) (decimal.Decimal, bool) {
	if code == string(schedule.CodeAdjustment) && of != "" {
		code = of
	}
	rate, ok := r[code]
	return rate, ok
}

var codePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,31}$`)

// rates reads a mall's rates: the defaults with its own on top.
func rates(ctx context.Context, db storage.Querier, group, mall uuid.UUID) (Rates, error) {
	rows, err := queries.New(db).VatRates(ctx, group, mall)
	if err != nil {
		return nil, fmt.Errorf("billing: vat rates: %w", err)
	}
	out := Rates(DefaultRates())
	for _, r := range rows {
		out[r.Code] = r.Rate
	}
	return out, nil
}

// VatRates lists a mall's VAT rates by code: FINANCE or ADMIN of the mall.
func (s *Service) VatRates(ctx context.Context, mallID uuid.UUID) (Rates, error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return nil, err
	}
	return rates(ctx, s.db.Pool, p.GroupID, p.MallID)
}

// SetVatRate sets the VAT rate of a charge code at a mall (0 ≤ rate < 1, four places at
// most; 0 for a code that is not taxable): FINANCE or ADMIN of the mall. Lines already
// billed keep the rate they were billed at.
func (s *Service) SetVatRate(ctx context.Context, mallID uuid.UUID, code string, rate decimal.Decimal) (Rates, error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return nil, err
	}
	if !codePattern.MatchString(code) || code == string(schedule.CodeAdjustment) {
		return nil, errs.Invalid("code", "a charge code is 1-32 capital letters, digits or _ (not ADJUSTMENT)")
	}
	if rate.IsNegative() || !rate.LessThan(decimal.NewFromInt(1)) || !rate.Equal(rate.Round(4)) {
		return nil, errs.Invalid("rate", "a VAT rate is a fraction 0 ≤ rate < 1 with at most four places (0.09 is 9 %%)")
	}
	if err := queries.New(s.db.Pool).UpsertVatRate(ctx, queries.UpsertVatRateParams{GroupID: p.GroupID,
		MallID: p.MallID, Code: code, Rate: rate}); err != nil {
		return nil, err
	}
	return rates(ctx, s.db.Pool, p.GroupID, p.MallID)
}
