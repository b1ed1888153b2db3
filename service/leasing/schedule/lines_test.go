package schedule

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// baseTerms: 2026 (a common year), one 100 m² unit, 10000.00 a month fixed, billed
// monthly in advance on the 5th.
func baseTerms() Terms {
	return Terms{
		Start: D(2026, 1, 1), End: D(2026, 12, 31),
		Units:   []Unit{{Code: "L1-01", Area: dec("100")}},
		Rent:    Rent{Basis: RentFixedMonthly, Amount: dec("10000")},
		Billing: Billing{Frequency: Monthly, Timing: InAdvance, DueDay: 5},
	}
}

// contract builds a one-version contract from the base terms changed by edit.
func contract(edit func(*Terms)) Contract {
	t := baseTerms()
	if edit != nil {
		edit(&t)
	}
	return Contract{Versions: []Version{{Number: 1, EffectiveFrom: t.Start, Terms: t}}}
}

// amended adds version 2 (the base terms changed by edit) effective from.
func amended(c Contract, from Date, edit func(*Terms)) Contract {
	t := c.Versions[0].Terms
	t.Escalations = append([]Escalation(nil), t.Escalations...)
	edit(&t)
	c.Versions = append(append([]Version(nil), c.Versions...), Version{Number: len(c.Versions) + 1, EffectiveFrom: from, Terms: t})
	return c
}

func abate(kind AbatementKind, charge Code, from, to Date, pct string) Abatement {
	return Abatement{Kind: kind, Charge: charge, From: from, To: to, Percent: dec(pct)}
}

func pct(rate string, mode PercentMode, breakpoint string) *PercentRent {
	p := &PercentRent{Rate: dec(rate), Mode: mode}
	if breakpoint != "" {
		p.Breakpoint = dec(breakpoint)
	}
	return p
}

func salesOf(year int, amounts ...string) Sales {
	s := Sales{}
	for i, a := range amounts {
		if a != "" {
			s[MonthOf(D(year, 1, 1).AddYears(0).addMonths(i))] = dec(a)
		}
	}
	return s
}

func (d Date) addMonths(n int) Date { return Date{d.t.AddDate(0, n, 0)} }

// want is one expected line: code, period "start..end", amount, days, and (if set)
// version, bill period and due date.
type want struct {
	code    Code
	period  string
	amount  string
	days    int
	version int
	bill    string
	due     string
}

func TestLines(t *testing.T) {
	cases := []struct {
		name    string
		c       Contract
		sales   Sales
		through Date
		codes   []Code // the codes compared; others are ignored
		want    []want
	}{
		{
			name: "fixed monthly rent, whole months billed in advance on the due day",
			c:    contract(nil), through: D(2026, 3, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "10000.00", days: 31, due: "2026-01-05"},
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "10000.00", days: 28, due: "2026-02-05"},
				{code: CodeRent, period: "2026-03-01..2026-03-31", amount: "10000.00", days: 31, due: "2026-03-05"},
			},
		},
		{
			// 10000 × 17/31 = 5483.870967… → 5483.87; due on the first day, not Jan 5.
			name: "partial first month prorated by days of that month",
			c:    contract(func(t *Terms) { t.Start = D(2026, 1, 15) }), through: D(2026, 1, 31), codes: []Code{CodeRent},
			want: []want{{code: CodeRent, period: "2026-01-15..2026-01-31", amount: "5483.87", days: 17, bill: "2026-01-01..2026-01-31", due: "2026-01-15"}},
		},
		{
			// 10000 × 10/31 = 3225.806451… → 3225.81; no April line.
			name: "partial last month prorated by days of that month",
			c:    contract(func(t *Terms) { t.End = D(2026, 3, 10) }), through: D(2026, 12, 31), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "10000.00", days: 31},
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "10000.00", days: 28},
				{code: CodeRent, period: "2026-03-01..2026-03-10", amount: "3225.81", days: 10},
			},
		},
		{
			// 120 m² × 85/m²/month = 10200.
			name: "rent per m² per month times the lettable area of all units",
			c: contract(func(t *Terms) {
				t.Units = []Unit{{Code: "A", Area: dec("70")}, {Code: "B", Area: dec("50")}}
				t.Rent = Rent{Basis: RentPerM2Monthly, Amount: dec("85")}
			}),
			through: D(2026, 1, 1), codes: []Code{CodeRent},
			want: []want{{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "10200.00", days: 31}},
		},
		{
			// 100 m² × 8.5/m²/day = 850 a day: Jan 31 × 850 = 26350, Feb 28 × 850 = 23800.
			name:    "rent per m² per day charges the days of each month",
			c:       contract(func(t *Terms) { t.Rent = Rent{Basis: RentPerM2Daily, Amount: dec("8.5")} }),
			through: D(2026, 2, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "26350.00", days: 31},
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "23800.00", days: 28},
			},
		},
		{
			// 2028 is a leap year: 29 × 850 = 24650.
			name: "leap year: per-day rent charges February 29",
			c: contract(func(t *Terms) {
				t.Start, t.End = D(2028, 2, 1), D(2028, 12, 31)
				t.Rent = Rent{Basis: RentPerM2Daily, Amount: dec("8.5")}
			}),
			through: D(2028, 2, 1), codes: []Code{CodeRent},
			want: []want{{code: CodeRent, period: "2028-02-01..2028-02-29", amount: "24650.00", days: 29}},
		},
		{
			// Feb 15..29 is 15 of 29 days: 10000 × 15/29 = 5172.413793… → 5172.41;
			// March whole: 10000.
			name:    "leap year: a partial February is prorated over 29 days",
			c:       contract(func(t *Terms) { t.Start, t.End = D(2028, 2, 15), D(2028, 12, 31) }),
			through: D(2028, 3, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2028-02-15..2028-02-29", amount: "5172.41", days: 15},
				{code: CodeRent, period: "2028-03-01..2028-03-31", amount: "10000.00", days: 31},
			},
		},
		{
			// First month is Feb 29 alone: 10000 × 1/29 = 344.827586… → 344.83. The first
			// anniversary of 2024-02-29 is 2025-03-01: Feb 2025 still 10000, Mar 2025
			// 10000 × 1.05 = 10500.
			name: "leap year: a lease starting on Feb 29 steps up on Mar 1 of a common year",
			c: contract(func(t *Terms) {
				t.Start, t.End = D(2024, 2, 29), D(2026, 2, 28)
				t.Escalations = []Escalation{{Kind: StepPercent, Value: dec("5"), Anniversary: 1}}
			}),
			through: D(2025, 3, 1), codes: []Code{CodeRent},
			want: append([]want{{code: CodeRent, period: "2024-02-29..2024-02-29", amount: "344.83", days: 1}},
				append(fullMonths(D(2024, 3, 1), 12, "10000.00"),
					want{code: CodeRent, period: "2025-03-01..2025-03-31", amount: "10500.00", days: 31})...),
		},
		{
			// Jul 1..15 at 10000, Jul 16..31 at 10500: (10000×15 + 10500×16)/31 =
			// 318000/31 = 10258.064516… → 10258.06; August 10500.
			name: "escalation by percent on a date in mid-month splits the month by days",
			c: contract(func(t *Terms) {
				t.Escalations = []Escalation{{Kind: StepPercent, Value: dec("5"), On: D(2026, 7, 16)}}
			}),
			through: D(2026, 8, 1), codes: []Code{CodeRent},
			want: append(fullMonths(D(2026, 1, 1), 6, "10000.00"),
				want{code: CodeRent, period: "2026-07-01..2026-07-31", amount: "10258.06", days: 31},
				want{code: CodeRent, period: "2026-08-01..2026-08-31", amount: "10500.00", days: 31}),
		},
		{
			// 100 m² × 80 = 8000 in year one; +5/m² on the first anniversary: 100 × 85 = 8500.
			name: "escalation by amount per m² on the anniversary",
			c: contract(func(t *Terms) {
				t.End = D(2027, 12, 31)
				t.Rent = Rent{Basis: RentPerM2Monthly, Amount: dec("80")}
				t.Escalations = []Escalation{{Kind: StepAmount, Value: dec("5"), Anniversary: 1}}
			}),
			through: D(2027, 1, 1), codes: []Code{CodeRent},
			want: append(fullMonths(D(2026, 1, 1), 12, "8000.00"),
				want{code: CodeRent, period: "2027-01-01..2027-01-31", amount: "8500.00", days: 31}),
		},
		{
			// +10 % then +10 %: 10000 × 1.1 × 1.1 = 12100 (compounded), then +500 = 12600.
			name: "escalations compound in date order, percent then amount",
			c: contract(func(t *Terms) {
				t.End = D(2029, 12, 31)
				t.Escalations = []Escalation{
					{Kind: StepAmount, Value: dec("500"), Anniversary: 3},
					{Kind: StepPercent, Value: dec("10"), Anniversary: 1},
					{Kind: StepPercent, Value: dec("10"), Anniversary: 2},
				}
			}),
			through: D(2029, 1, 1), codes: []Code{CodeRent},
			want: pick(map[string]string{"2028-01-01..2028-01-31": "12100.00", "2029-01-01..2029-01-31": "12600.00", "2027-01-01..2027-01-31": "11000.00"}),
		},
		{
			// Rent-free Jan 1..15: 10000 × 16/31 = 5161.290322… → 5161.29.
			name: "rent-free inside one period",
			c: contract(func(t *Terms) {
				t.Abatements = []Abatement{abate(AbateRentFree, CodeRent, D(2026, 1, 1), D(2026, 1, 15), "100")}
			}),
			through: D(2026, 1, 1), codes: []Code{CodeRent},
			want: []want{{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "5161.29", days: 31}},
		},
		{
			// Free Jan 15..Mar 14: Jan 0.00, Feb 0.00, March 10000 × 17/31 = 5483.870967… → 5483.87.
			name: "rent-free across monthly periods shows zero lines and prorates its last month",
			c: contract(func(t *Terms) {
				t.Start = D(2026, 1, 15)
				t.Abatements = []Abatement{abate(AbateRentFree, CodeRent, D(2026, 1, 15), D(2026, 3, 14), "100")}
			}),
			through: D(2026, 4, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-15..2026-01-31", amount: "0.00", days: 17},
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "0.00", days: 28},
				{code: CodeRent, period: "2026-03-01..2026-03-31", amount: "5483.87", days: 31},
				{code: CodeRent, period: "2026-04-01..2026-04-30", amount: "10000.00", days: 30},
			},
		},
		{
			// Free Mar 1..Apr 30: Q1 = 10000 + 10000 + 0 = 20000; Q2 = 0 + 10000 + 10000 = 20000.
			name: "rent-free across a quarter boundary, billed quarterly",
			c: contract(func(t *Terms) {
				t.Billing.Frequency = Quarterly
				t.Abatements = []Abatement{abate(AbateRentFree, CodeRent, D(2026, 3, 1), D(2026, 4, 30), "100")}
			}),
			through: D(2026, 4, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-01..2026-03-31", amount: "20000.00", days: 90, due: "2026-01-05"},
				{code: CodeRent, period: "2026-04-01..2026-06-30", amount: "20000.00", days: 91, due: "2026-04-05"},
			},
		},
		{
			// Fit-out at 50 % for January: 10000 × 50 % = 5000.
			name: "partial abatement: fit-out period at half rent",
			c: contract(func(t *Terms) {
				t.Abatements = []Abatement{abate(AbateFitOut, CodeRent, D(2026, 1, 1), D(2026, 1, 31), "50")}
			}),
			through: D(2026, 1, 1), codes: []Code{CodeRent},
			want: []want{{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "5000.00", days: 31}},
		},
		{
			// 30 % all January, 50 % Jan 11..20: 10000 × (10×0.7 + 10×0.5 + 11×0.7)/31 =
			// 197000/31 = 6354.838709… → 6354.84.
			name: "overlapping abatements: the larger percentage applies",
			c: contract(func(t *Terms) {
				t.Abatements = []Abatement{
					abate(AbateDiscount, CodeRent, D(2026, 1, 1), D(2026, 1, 31), "30"),
					abate(AbateRentFree, CodeRent, D(2026, 1, 11), D(2026, 1, 20), "50"),
				}
			}),
			through: D(2026, 1, 1), codes: []Code{CodeRent},
			want: []want{{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "6354.84", days: 31}},
		},
		{
			// 100 m² × 20 = 2000 a month; from Jan 15: 2000 × 17/31 = 1096.774193… →
			// 1096.77; February abated: 0.00; rent untouched.
			name: "management fee per m² prorated, abated on its own",
			c: contract(func(t *Terms) {
				t.Start = D(2026, 1, 15)
				t.ManagementFee = dec("20")
				t.Abatements = []Abatement{abate(AbateRentFree, CodeMgmtFee, D(2026, 2, 1), D(2026, 2, 28), "100")}
			}),
			through: D(2026, 2, 1), codes: []Code{CodeRent, CodeMgmtFee},
			want: []want{
				{code: CodeRent, period: "2026-01-15..2026-01-31", amount: "5483.87", days: 17},
				{code: CodeMgmtFee, period: "2026-01-15..2026-01-31", amount: "1096.77", days: 17},
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "10000.00", days: 28},
				{code: CodeMgmtFee, period: "2026-02-01..2026-02-28", amount: "0.00", days: 28},
			},
		},
		{
			name: "no management fee agreed: no fee lines",
			c:    contract(nil), through: D(2026, 12, 31), codes: []Code{CodeMgmtFee},
			want: nil,
		},
		{
			// Start Feb 15: Q1 = 10000 × 14/28 + 10000 = 15000, due on the first day
			// (Jan 5 is before the lease); Q2 = 30000 due Apr 5.
			name: "quarterly in advance with a partial first quarter",
			c: contract(func(t *Terms) {
				t.Start = D(2026, 2, 15)
				t.Billing.Frequency = Quarterly
			}),
			through: D(2026, 4, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-02-15..2026-03-31", amount: "15000.00", days: 45, bill: "2026-01-01..2026-03-31", due: "2026-02-15"},
				{code: CodeRent, period: "2026-04-01..2026-06-30", amount: "30000.00", days: 91, bill: "2026-04-01..2026-06-30", due: "2026-04-05"},
			},
		},
		{
			name: "quarterly in arrears is due on the due day of the month after the quarter",
			c: contract(func(t *Terms) {
				t.Billing = Billing{Frequency: Quarterly, Timing: InArrears, DueDay: 10}
			}),
			through: D(2026, 1, 1), codes: []Code{CodeRent},
			want: []want{{code: CodeRent, period: "2026-01-01..2026-03-31", amount: "30000.00", days: 90, due: "2026-04-10"}},
		},
		{
			name: "due day 31 falls on the last day of February, also in a leap year",
			c: contract(func(t *Terms) {
				t.Start, t.End = D(2027, 12, 1), D(2028, 3, 31)
				t.Billing.DueDay = 31
			}),
			through: D(2028, 2, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2027-12-01..2027-12-31", amount: "10000.00", days: 31, due: "2027-12-31"},
				{code: CodeRent, period: "2028-01-01..2028-01-31", amount: "10000.00", days: 31, due: "2028-01-31"},
				{code: CodeRent, period: "2028-02-01..2028-02-29", amount: "10000.00", days: 29, due: "2028-02-29"},
			},
		},
		{
			// v2 from Mar 11 at 12000: v1 Mar 1..10 = 10000 × 10/31 = 3225.806451… →
			// 3225.81; v2 Mar 11..31 = 12000 × 21/31 = 8129.032258… → 8129.03; April 12000.
			name:    "amendment in mid-period splits the period by days between versions",
			c:       amended(contract(nil), D(2026, 3, 11), func(t *Terms) { t.Rent.Amount = dec("12000") }),
			through: D(2026, 4, 1), codes: []Code{CodeRent},
			want: append(fullMonths(D(2026, 1, 1), 2, "10000.00"),
				want{code: CodeRent, period: "2026-03-01..2026-03-10", amount: "3225.81", days: 10, version: 1, bill: "2026-03-01..2026-03-31", due: "2026-03-05"},
				want{code: CodeRent, period: "2026-03-11..2026-03-31", amount: "8129.03", days: 21, version: 2, bill: "2026-03-01..2026-03-31", due: "2026-03-05"},
				want{code: CodeRent, period: "2026-04-01..2026-04-30", amount: "12000.00", days: 30, version: 2}),
		},
		{
			// v2 (12000 from Mar 1) is superseded by v3 (11000 from Feb 1): the higher
			// number governs from its own date, so Feb and Mar are 11000 under v3.
			name: "a later version effective earlier supersedes the earlier amendment",
			c: amended(amended(contract(nil), D(2026, 3, 1), func(t *Terms) { t.Rent.Amount = dec("12000") }),
				D(2026, 2, 1), func(t *Terms) { t.Rent.Amount = dec("11000") }),
			through: D(2026, 3, 1), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "10000.00", days: 31, version: 1},
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "11000.00", days: 28, version: 3},
				{code: CodeRent, period: "2026-03-01..2026-03-31", amount: "11000.00", days: 31, version: 3},
			},
		},
		{
			// Terminated May 20: May = 10000 × 20/31 = 6451.612903… → 6451.61; nothing after.
			name: "early termination stops the lines and prorates the last month",
			c: func() Contract {
				c := contract(nil)
				c.TerminatedOn = D(2026, 5, 20)
				return c
			}(),
			through: D(2026, 12, 31), codes: []Code{CodeRent},
			want: append(fullMonths(D(2026, 1, 1), 4, "10000.00"),
				want{code: CodeRent, period: "2026-05-01..2026-05-20", amount: "6451.61", days: 20}),
		},
		{
			// Q2 = April 10000 + May 6451.612903… = 16451.612903… → 16451.61 over 50 days.
			name: "early termination inside a quarter billed in advance",
			c: func() Contract {
				c := contract(func(t *Terms) { t.Billing.Frequency = Quarterly })
				c.TerminatedOn = D(2026, 5, 20)
				return c
			}(),
			through: D(2026, 12, 31), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-01..2026-03-31", amount: "30000.00", days: 90},
				{code: CodeRent, period: "2026-04-01..2026-05-20", amount: "16451.61", days: 50},
			},
		},
		{
			name: "renewal: a version extending the end date keeps billing past the old end",
			c: amended(contract(func(t *Terms) { t.End = D(2026, 1, 31) }), D(2026, 2, 1), func(t *Terms) {
				t.End = D(2026, 2, 28)
				t.Rent.Amount = dec("10500")
			}),
			through: D(2026, 12, 31), codes: []Code{CodeRent},
			want: []want{
				{code: CodeRent, period: "2026-01-01..2026-01-31", amount: "10000.00", days: 31, version: 1},
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "10500.00", days: 28, version: 2},
			},
		},
		{
			// v2 from Mar 1 ends the term on Apr 15: April = 10000 × 15/30 = 5000; no May.
			name:    "an amendment shortening the term ends the lines at the new end",
			c:       amended(contract(nil), D(2026, 3, 1), func(t *Terms) { t.End = D(2026, 4, 15) }),
			through: D(2026, 12, 31), codes: []Code{CodeRent},
			want: append(fullMonths(D(2026, 1, 1), 3, "10000.00"),
				want{code: CodeRent, period: "2026-04-01..2026-04-15", amount: "5000.00", days: 15, version: 2}),
		},
		{
			name:    "deposit is one line on the first day, due that day",
			c:       contract(func(t *Terms) { t.Start, t.Deposit = D(2026, 1, 10), dec("30000") }),
			through: D(2026, 12, 31), codes: []Code{CodeDeposit},
			want: []want{{code: CodeDeposit, period: "2026-01-10..2026-01-10", amount: "30000.00", days: 0, due: "2026-01-10"}},
		},
		{
			// 36000 − 30000 = 6000 on the amendment's date.
			name: "deposit raised by an amendment is a top-up line",
			c: amended(contract(func(t *Terms) { t.Deposit = dec("30000") }), D(2026, 6, 1),
				func(t *Terms) { t.Deposit = dec("36000") }),
			through: D(2026, 12, 31), codes: []Code{CodeDeposit},
			want: []want{
				{code: CodeDeposit, period: "2026-01-01..2026-01-01", amount: "30000.00", version: 1},
				{code: CodeDeposit, period: "2026-06-01..2026-06-01", amount: "6000.00", version: 2, due: "2026-06-01"},
			},
		},
		{
			// 8 % × 100000 = 8000 ≤ minimum 10000 → 0.00; 8 % × 150000 = 12000 − 10000 = 2000.
			name:  "guaranteed minimum: the excess of rate × sales over base rent",
			c:     contract(func(t *Terms) { t.PercentRent = pct("0.08", PctGuaranteedMinimum, "") }),
			sales: salesOf(2026, "100000", "150000"), through: D(2026, 12, 31), codes: []Code{CodePctProvision},
			want: []want{
				{code: CodePctProvision, period: "2026-01-01..2026-01-31", amount: "0.00", days: 31, due: "2026-02-05"},
				{code: CodePctProvision, period: "2026-02-01..2026-02-28", amount: "2000.00", days: 28, due: "2026-03-05"},
			},
		},
		{
			// Natural breakpoint 10000 / 0.10 = 100000; 0.10 × (130000 − 100000) = 3000.
			name:  "natural breakpoint: rate × sales above base rent / rate",
			c:     contract(func(t *Terms) { t.PercentRent = pct("0.10", PctNaturalBreakpoint, "") }),
			sales: salesOf(2026, "130000"), through: D(2026, 12, 31), codes: []Code{CodePctProvision},
			want: []want{{code: CodePctProvision, period: "2026-01-01..2026-01-31", amount: "3000.00", days: 31}},
		},
		{
			// Breakpoint 1200000 a year; January's share 1200000 × 31/365 =
			// 101917.808219…; 0.05 × (200000 − 101917.808219…) = 4904.109589… → 4904.11.
			name:  "artificial breakpoint prorated to the month by days of the contract year",
			c:     contract(func(t *Terms) { t.PercentRent = pct("0.05", PctArtificialBreakpoint, "1200000") }),
			sales: salesOf(2026, "200000"), through: D(2026, 12, 31), codes: []Code{CodePctProvision},
			want: []want{{code: CodePctProvision, period: "2026-01-01..2026-01-31", amount: "4904.11", days: 31}},
		},
		{
			// Rent charged in January is 0, so the whole 8 % × 100000 = 8000 is due.
			name: "guaranteed minimum in a rent-free month: the threshold is the rent charged",
			c: contract(func(t *Terms) {
				t.PercentRent = pct("0.08", PctGuaranteedMinimum, "")
				t.Abatements = []Abatement{abate(AbateRentFree, CodeRent, D(2026, 1, 1), D(2026, 1, 31), "100")}
			}),
			sales: salesOf(2026, "100000"), through: D(2026, 12, 31), codes: []Code{CodePctProvision},
			want: []want{{code: CodePctProvision, period: "2026-01-01..2026-01-31", amount: "8000.00", days: 31}},
		},
		{
			name:  "no percentage rent line for a month without sales",
			c:     contract(func(t *Terms) { t.PercentRent = pct("0.08", PctGuaranteedMinimum, "") }),
			sales: salesOf(2026, "", "150000"), through: D(2026, 12, 31), codes: []Code{CodePctProvision, CodePctTrueUp},
			want: []want{{code: CodePctProvision, period: "2026-02-01..2026-02-28", amount: "2000.00", days: 28}},
		},
		{
			// Jan 0.10 × 150000 − 10000 = +5000 (billed 5000); Feb 0.10 × 50000 − 10000 =
			// −5000 (billed 0); Mar..Dec 0.10 × 100000 − 10000 = 0. The year: max(0,
			// 5000 − 5000) = 0, less 5000 billed → a credit of −5000.00, due 2027-01-05.
			name: "year-end true-up credits provisional rent paid in months above the minimum",
			c:    contract(func(t *Terms) { t.PercentRent = pct("0.10", PctGuaranteedMinimum, "") }),
			sales: salesOf(2026, "150000", "50000", "100000", "100000", "100000", "100000", "100000",
				"100000", "100000", "100000", "100000", "100000"),
			through: D(2027, 1, 31), codes: []Code{CodePctTrueUp},
			want: []want{{code: CodePctTrueUp, period: "2026-01-01..2026-12-31", amount: "-5000.00", days: 365,
				bill: "2026-01-01..2026-12-31", due: "2027-01-05"}},
		},
		{
			// Every month 0.10 × 120000 − 10000 = 2000: provisional 12 × 2000 = 24000 and
			// the year max(0, 24000) = 24000: nothing more.
			name: "year-end true-up is zero when every month was above the minimum",
			c:    contract(func(t *Terms) { t.PercentRent = pct("0.10", PctGuaranteedMinimum, "") }),
			sales: salesOf(2026, "120000", "120000", "120000", "120000", "120000", "120000", "120000",
				"120000", "120000", "120000", "120000", "120000"),
			through: D(2026, 12, 31), codes: []Code{CodePctTrueUp},
			want: []want{{code: CodePctTrueUp, period: "2026-01-01..2026-12-31", amount: "0.00", days: 365}},
		},
		{
			name:    "no true-up while a month of the year has no sales",
			c:       contract(func(t *Terms) { t.PercentRent = pct("0.10", PctGuaranteedMinimum, "") }),
			sales:   salesOf(2026, "1", "1", "", "1", "1", "1", "1", "1", "1", "1", "1", "1"),
			through: D(2027, 12, 31), codes: []Code{CodePctTrueUp},
			want: nil,
		},
		{
			// A 90-day lease: the broken year's breakpoint is 365000 × 90/365 = 90000.
			// Jan 0.1 × 41000 − 0.1 × 365000 × 31/365 = 4100 − 3100 = +1000; Feb 1800 −
			// 2800 = −1000 (billed 0); Mar 3100 − 3100 = 0. Year max(0, 0) = 0 less 1000
			// billed = −1000.00, due after the lease's last month.
			name: "broken final year: true-up with the breakpoint prorated by days",
			c: contract(func(t *Terms) {
				t.End = D(2026, 3, 31)
				t.PercentRent = pct("0.10", PctArtificialBreakpoint, "365000")
			}),
			sales: salesOf(2026, "41000", "18000", "31000"), through: D(2026, 12, 31), codes: []Code{CodePctProvision, CodePctTrueUp},
			want: []want{
				{code: CodePctProvision, period: "2026-01-01..2026-01-31", amount: "1000.00", days: 31},
				{code: CodePctProvision, period: "2026-02-01..2026-02-28", amount: "0.00", days: 28},
				{code: CodePctProvision, period: "2026-03-01..2026-03-31", amount: "0.00", days: 31},
				{code: CodePctTrueUp, period: "2026-01-01..2026-03-31", amount: "-1000.00", days: 90, bill: "2026-01-01..2026-12-31", due: "2026-04-05"},
			},
		},
		{
			// Contract years from Jul 1: year one ends 2027-06-30, so the provisional of
			// July 2026 and the true-up belong to that year; sales 10000 × 0.1 − 10000 < 0.
			name: "contract years run from the lease start, not the calendar year",
			c: contract(func(t *Terms) {
				t.Start, t.End = D(2026, 7, 1), D(2028, 6, 30)
				t.PercentRent = pct("0.10", PctGuaranteedMinimum, "")
			}),
			sales: salesOf2(D(2026, 7, 1), 12, "10000"), through: D(2027, 7, 31), codes: []Code{CodePctTrueUp},
			want: []want{{code: CodePctTrueUp, period: "2026-07-01..2027-06-30", amount: "0.00", days: 365, bill: "2026-07-01..2027-06-30", due: "2027-07-05"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Lines(tc.c, tc.sales, tc.through)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, only(got, tc.codes), tc.want)
		})
	}
}

// fullMonths expects n whole months of RENT at amount from first.
func fullMonths(first Date, n int, amount string) []want {
	var out []want
	for i := 0; i < n; i++ {
		m := MonthOf(first.addMonths(i)).Period()
		out = append(out, want{code: CodeRent, period: m.String(), amount: amount, days: m.Days()})
	}
	return out
}

// pick marks cases that check only some periods: compare looks them up by period.
func pick(m map[string]string) []want {
	var out []want
	for p, a := range m {
		out = append(out, want{code: "pick", period: p, amount: a})
	}
	return out
}

func salesOf2(first Date, n int, amount string) Sales {
	s := Sales{}
	for i := 0; i < n; i++ {
		s[MonthOf(first.addMonths(i))] = dec(amount)
	}
	return s
}

func only(ls []Line, codes []Code) []Line {
	var out []Line
	for _, l := range ls {
		for _, c := range codes {
			if l.Code == c {
				out = append(out, l)
			}
		}
	}
	return out
}

func compare(t *testing.T, got []Line, want []want) {
	t.Helper()
	if len(want) > 0 && want[0].code == "pick" {
		comparePicked(t, got, want)
		return
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), dump(got))
	}
	for i, w := range want {
		if msg := w.mismatch(got[i]); msg != "" {
			t.Errorf("line %d: %s\n%s", i, msg, dump(got))
		}
	}
}

func comparePicked(t *testing.T, got []Line, want []want) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, l := range got {
			if l.Period.String() == w.period {
				found = true
				if !l.Amount.Equal(dec(w.amount)) {
					t.Errorf("%s: amount %s, want %s", w.period, l.Amount, w.amount)
				}
			}
		}
		if !found {
			t.Errorf("no line for %s:\n%s", w.period, dump(got))
		}
	}
}

func (w want) mismatch(l Line) string {
	var bad []string
	check := func(ok bool, what string, got, want any) {
		if !ok {
			bad = append(bad, fmt.Sprintf("%s %v, want %v", what, got, want))
		}
	}
	check(l.Code == w.code, "code", l.Code, w.code)
	check(l.Period.String() == w.period, "period", l.Period, w.period)
	check(l.Amount.Equal(dec(w.amount)) && l.Amount.Exponent() >= -2, "amount", l.Amount, w.amount)
	check(l.Days == w.days, "days", l.Days, w.days)
	check(w.version == 0 || l.Version == w.version, "version", l.Version, w.version)
	check(w.bill == "" || l.BillPeriod.String() == w.bill, "bill period", l.BillPeriod, w.bill)
	check(w.due == "" || l.DueDate.String() == w.due, "due", l.DueDate, w.due)
	return strings.Join(bad, "; ")
}

func dump(ls []Line) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "  %s v%d %s bill %s due %s %s days %d | %s\n",
			l.Code, l.Version, l.Period, l.BillPeriod, l.DueDate, l.Amount.StringFixed(2), l.Days, l.Basis)
	}
	return b.String()
}
