package schedule

import "github.com/shopspring/decimal"

// Terms are one contract version's commercial terms. The leasing context stores them
// as JSONB on the version row exactly as this struct marshals; every field's meaning
// (and which rule of the package comment uses it) is documented here.
type Terms struct {
	// Start and End are the lease term, both days included. A renewal is a new
	// version with a later End.
	Start Date `json:"start"`
	End   Date `json:"end"`
	// Units are the let units with their lettable area (m²); per-m² rent and the
	// management fee use the sum of the areas.
	Units []Unit `json:"units"`
	// Rent is the base (fixed) rent, before escalations and abatements.
	Rent Rent `json:"rent"`
	// Escalations are stepped increases of the rent, applied in date order, each on
	// the rent in force (percentages compound).
	Escalations []Escalation `json:"escalations,omitempty"`
	// Abatements are dated rent-free / fit-out / discount periods per charge.
	Abatements []Abatement `json:"abatements,omitempty"`
	// ManagementFee is the property management fee per m² per month (zero: none).
	ManagementFee decimal.Decimal `json:"managementFee"`
	// PercentRent (扣点/抽成) is nil when the lease has none.
	PercentRent *PercentRent `json:"percentRent,omitempty"`
	// Deposit (保证金) is held, not earned: a liability in the ledger. It shows as
	// one DEPOSIT line when the term starts (and a top-up line if a version raises it).
	Deposit decimal.Decimal `json:"deposit"`
	// Billing says how rent and fees are grouped into bills and when they are due.
	Billing Billing `json:"billing"`
	// LateFee (滞纳金) is not used by Lines; billing accrues it on overdue bills
	// (service/billing/latefee.Accrue, the one late-fee rule).
	LateFee LateFee `json:"lateFee"`
}

// Unit is one let unit (铺位) of the contract.
type Unit struct {
	Code string          `json:"code"`
	Area decimal.Decimal `json:"area"` // lettable area, m², > 0
}

// RentBasis says what Rent.Amount is a price of.
type RentBasis string

// The rent bases.
const (
	// RentFixedMonthly: Amount per month for the whole contract.
	RentFixedMonthly RentBasis = "FIXED_MONTHLY"
	// RentPerM2Monthly: Amount per m² of lettable area per month.
	RentPerM2Monthly RentBasis = "PER_M2_MONTHLY"
	// RentPerM2Daily: Amount per m² of lettable area per day (日租金, common in China).
	RentPerM2Daily RentBasis = "PER_M2_DAILY"
)

// Rent is the base rent.
type Rent struct {
	Basis  RentBasis       `json:"basis"`
	Amount decimal.Decimal `json:"amount"` // ≥ 0, in the basis' unit, never rounded
}

// StepKind says how an escalation changes the rent.
type StepKind string

// The escalation kinds.
const (
	// StepPercent: the rent in force × (1 + Value/100). Value 5 means +5 %.
	StepPercent StepKind = "PERCENT"
	// StepAmount: the rent in force + Value, in the rent basis' unit (per month,
	// per m² per month or per m² per day).
	StepAmount StepKind = "AMOUNT"
)

// Escalation is one step of the rent. Exactly one of On and Anniversary is set:
// On is a date; Anniversary N means Terms.Start + N years (N ≥ 1). List one entry
// per step (a 3 % rise every year of a 5-year lease is anniversaries 1 to 4).
type Escalation struct {
	Kind        StepKind        `json:"kind"`
	Value       decimal.Decimal `json:"value"` // ≥ 0: decreases are amendments
	On          Date            `json:"on"`
	Anniversary int             `json:"anniversary,omitempty"`
}

// AbatementKind labels an abatement for people; the arithmetic ignores it.
type AbatementKind string

// The abatement kinds.
const (
	AbateRentFree AbatementKind = "RENT_FREE" // 免租期
	AbateFitOut   AbatementKind = "FIT_OUT"   // 装修期
	AbateDiscount AbatementKind = "DISCOUNT"  // any other agreed reduction
)

// Abatement waives Percent % of one charge on every day From through To. Where
// abatements of one charge overlap, the largest percentage applies (never above 100).
type Abatement struct {
	Kind    AbatementKind   `json:"kind"`
	Charge  Code            `json:"charge"` // RENT, MGMT_FEE or PCT_RENT
	From    Date            `json:"from"`
	To      Date            `json:"to"`
	Percent decimal.Decimal `json:"percent"` // 0 < Percent ≤ 100; 100 is full
}

// PercentMode says how percentage rent relates to base rent.
type PercentMode string

// The percentage rent modes.
const (
	// PctGuaranteedMinimum (保底+扣点): the tenant pays the greater of base rent and
	// Rate × sales; base rent is billed as RENT and the excess as percentage rent.
	PctGuaranteedMinimum PercentMode = "GUARANTEED_MINIMUM"
	// PctNaturalBreakpoint: Rate × (sales − base rent / Rate) above the natural
	// breakpoint base rent / Rate — arithmetically the same excess as above.
	PctNaturalBreakpoint PercentMode = "NATURAL_BREAKPOINT"
	// PctArtificialBreakpoint: Rate × (sales − Breakpoint), Breakpoint agreed.
	PctArtificialBreakpoint PercentMode = "ARTIFICIAL_BREAKPOINT"
)

// PercentRent is 扣点: a share of the tenant's sales.
type PercentRent struct {
	Rate decimal.Decimal `json:"rate"` // a fraction, 0 < Rate ≤ 1: 0.08 is 8 %
	Mode PercentMode     `json:"mode"`
	// Breakpoint is the sales of one full contract year above which percentage rent
	// is due, for ARTIFICIAL_BREAKPOINT only (zero otherwise); months and broken
	// years use it prorated by days.
	Breakpoint decimal.Decimal `json:"breakpoint,omitempty"`
}

// Frequency is how many months one bill covers.
type Frequency string

// The billing frequencies: calendar months or calendar quarters.
const (
	Monthly   Frequency = "MONTHLY"
	Quarterly Frequency = "QUARTERLY"
)

// Timing says whether a period is billed before it starts or after it ends.
type Timing string

// The billing timings.
const (
	InAdvance Timing = "ADVANCE"
	InArrears Timing = "ARREARS"
)

// Billing is how rent and fees become bills.
type Billing struct {
	Frequency Frequency `json:"frequency"`
	Timing    Timing    `json:"timing"`
	// DueDay is the day of the month a bill is due (1–31; a short month uses its
	// last day). See dueDate in the package comment for which month.
	DueDay int `json:"dueDay"`
}

// LateFee is the 滞纳金 rule of a lease: RatePerDay × the overdue amount a day, from the
// day after the due date once GraceDays have passed without payment, in total at most
// CapPercent % of the overdue amount (zero: no cap). service/billing/latefee applies it.
type LateFee struct {
	RatePerDay decimal.Decimal `json:"ratePerDay"` // a fraction: 0.0005 is 0.05 % a day
	GraceDays  int             `json:"graceDays"`
	CapPercent decimal.Decimal `json:"capPercent"`
}

// Version is one approved version of a contract's terms: the original (Number 1),
// an amendment or a renewal. A version governs every day from EffectiveFrom on
// until a higher-numbered version takes effect; the lowest-numbered version also
// governs days before its EffectiveFrom. A higher number always wins, so a later
// amendment effective earlier (retroactive) supersedes the earlier one.
type Version struct {
	Number        int   `json:"number"`
	EffectiveFrom Date  `json:"effectiveFrom"`
	Terms         Terms `json:"terms"`
}

// Contract is the input of Lines: the approved versions and, when the lease ended
// early, the last day the tenant is charged for (TerminatedOn, included).
type Contract struct {
	Versions     []Version `json:"versions"`
	TerminatedOn Date      `json:"terminatedOn"`
}

// Sales are a tenant's reported sales (营业额) per calendar month, for the days the
// lease covers that month. A month missing here has no percentage rent line yet.
type Sales map[Month]decimal.Decimal

// Code is a charge code.
type Code string

// The charge codes.
const (
	CodeRent         Code = "RENT"
	CodeMgmtFee      Code = "MGMT_FEE"
	CodePctRent      Code = "PCT_RENT" // only as an Abatement.Charge
	CodePctProvision Code = "PCT_RENT_PROVISIONAL"
	CodePctTrueUp    Code = "PCT_RENT_TRUEUP"
	CodeDeposit      Code = "DEPOSIT"
	CodeAdjustment   Code = "ADJUSTMENT"
)

// Line is one charge of the schedule: what billing bills, unchanged.
type Line struct {
	Code Code `json:"code"`
	// Of is the charge an ADJUSTMENT line corrects (empty on other lines).
	Of Code `json:"of,omitempty"`
	// Version is the contract version whose terms priced the line (0 on ADJUSTMENT).
	Version int `json:"version"`
	// Period is the days the amount is for (for an ADJUSTMENT: the bill period of the
	// lines it corrects).
	Period Period `json:"period"`
	// BillPeriod is the billing period the line is billed in: a calendar month or
	// quarter (unclipped by the term), a month for provisional percentage rent, a
	// contract year for the true-up, and the current period for an ADJUSTMENT.
	BillPeriod Period `json:"billPeriod"`
	DueDate    Date   `json:"dueDate"`
	// Amount is rounded once, to cents, half away from zero, from the exact sum of
	// the line's parts. Never negative except PCT_RENT_TRUEUP (a year that paid too
	// much provisional rent gets a credit) and ADJUSTMENT.
	Amount decimal.Decimal `json:"amount"`
	// Days is the number of days in Period the amount is charged for (0: one-off).
	Days int `json:"days"`
	// Basis is the computation in words and numbers, for people.
	Basis string `json:"basis"`
}
