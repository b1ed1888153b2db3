package leasing

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
)

func TestDecide(t *testing.T) {
	small, big := decimal.NewFromInt(1_500_000), decimal.NewFromInt(2_500_000)
	limits := DefaultLimits()
	cases := []struct {
		name     string
		role     auth.Role
		amount   decimal.Decimal
		endorsed []auth.Role
		acted    bool
		want     Decision
		wantErr  error
	}{
		{"finance within its limit approves", auth.RoleFinance, small, nil, false, DecisionApproved, nil},
		{"finance exactly at its limit approves", auth.RoleFinance, decimal.NewFromInt(2_000_000), nil, false, DecisionApproved, nil},
		{"finance above its limit endorses for admin", auth.RoleFinance, big, nil, false, DecisionEndorsed, nil},
		{"a second finance above the limit is refused", auth.RoleFinance, big, []auth.Role{auth.RoleFinance}, false, "", ErrLimitExceeded},
		{"admin approves above the finance limit", auth.RoleAdmin, big, []auth.Role{auth.RoleFinance}, false, DecisionApproved, nil},
		{"admin approves without an endorsement", auth.RoleAdmin, big, nil, false, DecisionApproved, nil},
		{"admin approves a small amount", auth.RoleAdmin, small, nil, false, DecisionApproved, nil},
		{"nobody acts twice on one submission", auth.RoleAdmin, big, nil, true, "", ErrAlreadyApproved},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decide(tc.role, tc.amount, limits, tc.endorsed, tc.acted)
			if got != tc.want || !errors.Is(err, tc.wantErr) && (err != nil || tc.wantErr != nil) {
				t.Fatalf("Decide = %s, %v; want %s, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestRequired(t *testing.T) {
	custom := Limits{auth.RoleFinance: decimal.NewFromInt(100), auth.RoleAdmin: decimal.NewFromInt(1000)}
	cases := []struct {
		name   string
		limits Limits
		amount int64
		want   auth.Role
	}{
		{"default: small needs finance", DefaultLimits(), 10, auth.RoleFinance},
		{"default: large needs admin", DefaultLimits(), 3_000_000, auth.RoleAdmin},
		{"custom: within finance", custom, 100, auth.RoleFinance},
		{"custom: above finance", custom, 101, auth.RoleAdmin},
		{"custom: above every limit still admin", custom, 5000, auth.RoleAdmin},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.limits.Required(decimal.NewFromInt(tc.amount)); got != tc.want {
				t.Fatalf("Required = %s, want %s", got, tc.want)
			}
		})
	}
}
