package schedule

import (
	"errors"
	"testing"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		c    Contract
		path string
		code string
	}{
		{"a contract without versions", Contract{}, "versions", CodeRequired},
		{"end before start", contract(func(t *Terms) { t.End = D(2025, 12, 31) }), "versions[0].terms.end", CodeOrder},
		{"missing start", contract(func(t *Terms) { t.Start = Date{} }), "versions[0].terms.start", CodeRequired},
		{"a term over twenty years", contract(func(t *Terms) { t.End = D(2046, 1, 1) }), "versions[0].terms.end", CodeOutOfRange},
		{"no units", contract(func(t *Terms) { t.Units = nil }), "versions[0].terms.units", CodeRequired},
		{"a unit without area", contract(func(t *Terms) { t.Units[0].Area = dec("0") }), "versions[0].terms.units[0].area", CodeOutOfRange},
		{"the same unit twice", contract(func(t *Terms) { t.Units = append(t.Units, t.Units[0]) }), "versions[0].terms.units[1].code", CodeDuplicate},
		{"unknown rent basis", contract(func(t *Terms) { t.Rent.Basis = "WEEKLY" }), "versions[0].terms.rent.basis", CodeUnknown},
		{"negative rent", contract(func(t *Terms) { t.Rent.Amount = dec("-1") }), "versions[0].terms.rent.amount", CodeNegative},
		{"escalation with a date and an anniversary", contract(func(t *Terms) {
			t.Escalations = []Escalation{{Kind: StepPercent, Value: dec("3"), On: D(2026, 6, 1), Anniversary: 1}}
		}), "versions[0].terms.escalations[0].anniversary", CodeConflict},
		{"escalation with neither date nor anniversary", contract(func(t *Terms) {
			t.Escalations = []Escalation{{Kind: StepAmount, Value: dec("3")}}
		}), "versions[0].terms.escalations[0].on", CodeRequired},
		{"negative escalation", contract(func(t *Terms) {
			t.Escalations = []Escalation{{Kind: StepPercent, Value: dec("-3"), Anniversary: 1}}
		}), "versions[0].terms.escalations[0].value", CodeNegative},
		{"abating the deposit", contract(func(t *Terms) {
			t.Abatements = []Abatement{abate(AbateRentFree, CodeDeposit, D(2026, 1, 1), D(2026, 1, 31), "100")}
		}), "versions[0].terms.abatements[0].charge", CodeUnknown},
		{"abatement over 100 %", contract(func(t *Terms) {
			t.Abatements = []Abatement{abate(AbateRentFree, CodeRent, D(2026, 1, 1), D(2026, 1, 31), "101")}
		}), "versions[0].terms.abatements[0].percent", CodeOutOfRange},
		{"abatement ending before it starts", contract(func(t *Terms) {
			t.Abatements = []Abatement{abate(AbateRentFree, CodeRent, D(2026, 2, 1), D(2026, 1, 31), "100")}
		}), "versions[0].terms.abatements[0].to", CodeOrder},
		{"percentage rate above 1", contract(func(t *Terms) { t.PercentRent = pct("8", PctGuaranteedMinimum, "") }),
			"versions[0].terms.percentRent.rate", CodeOutOfRange},
		{"a breakpoint with a guaranteed minimum", contract(func(t *Terms) { t.PercentRent = pct("0.08", PctGuaranteedMinimum, "100") }),
			"versions[0].terms.percentRent.breakpoint", CodeConflict},
		{"negative management fee", contract(func(t *Terms) { t.ManagementFee = dec("-5") }), "versions[0].terms.managementFee", CodeNegative},
		{"negative deposit", contract(func(t *Terms) { t.Deposit = dec("-5") }), "versions[0].terms.deposit", CodeNegative},
		{"due day 0", contract(func(t *Terms) { t.Billing.DueDay = 0 }), "versions[0].terms.billing.dueDay", CodeOutOfRange},
		{"unknown frequency", contract(func(t *Terms) { t.Billing.Frequency = "YEARLY" }), "versions[0].terms.billing.frequency", CodeUnknown},
		{"negative grace days", contract(func(t *Terms) { t.LateFee.GraceDays = -1 }), "versions[0].terms.lateFee.graceDays", CodeNegative},
		{"the same version number twice", amended(contract(nil), D(2026, 6, 1), func(*Terms) {}).renumber(1, 1), "versions[1].number", CodeDuplicate},
		{"a version without an effective date", amended(contract(nil), Date{}, func(*Terms) {}), "versions[1].effectiveFrom", CodeRequired},
		{"termination before the term starts", func() Contract {
			c := contract(nil)
			c.TerminatedOn = D(2025, 12, 31)
			return c
		}(), "terminatedOn", CodeOrder},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("err %T is not Errors", err)
			}
			for _, e := range es {
				if e.Path == tc.path && e.Code == tc.code {
					return
				}
			}
			t.Fatalf("no %s at %s in %v", tc.code, tc.path, err)
		})
	}
	t.Run("valid terms pass", func(t *testing.T) {
		if err := contract(nil).Validate(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Lines refuses an invalid contract with the same error", func(t *testing.T) {
		ls, err := Lines(contract(func(t *Terms) { t.Units = nil }), nil, D(2026, 12, 31))
		if !errors.Is(err, ErrInvalid) || ls != nil {
			t.Fatalf("%v %v", ls, err)
		}
	})
}

func (c Contract) renumber(numbers ...int) Contract {
	for i, n := range numbers {
		c.Versions[i].Number = n
	}
	return c
}
