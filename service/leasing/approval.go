package leasing

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
)

// Limits are the highest annual rent each approving role may approve at a mall; a role
// missing from the map has no limit.
type Limits map[auth.Role]decimal.Decimal

// DefaultLimits apply to a mall without its own: FINANCE up to ¥2,000,000 a year,
// ADMIN without limit.
func DefaultLimits() Limits {
	return Limits{auth.RoleFinance: decimal.NewFromInt(2_000_000)}
}

// approvalLadder is the order of approving roles, lowest first.
var approvalLadder = []auth.Role{auth.RoleFinance, auth.RoleAdmin}

// Required is the lowest role whose limit covers amount.
func (l Limits) Required(amount decimal.Decimal) auth.Role {
	for _, r := range approvalLadder {
		if max, ok := l[r]; !ok || !amount.GreaterThan(max) {
			return r
		}
	}
	return approvalLadder[len(approvalLadder)-1]
}

// Decision is what one approver's approval does to a submitted version.
type Decision string

// The decisions.
const (
	DecisionApproved Decision = "approved" // the version is approved
	DecisionEndorsed Decision = "endorsed" // recorded; the version now waits for a higher role
	DecisionRejected Decision = "rejected"
)

// Decide is the approval rule: an approver whose role reaches the role the amount
// requires approves; a lower one endorses it once for the next level (a second
// endorsement at that level is APPROVAL_LIMIT_EXCEEDED); nobody acts twice on one
// submission (ALREADY_APPROVED_BY_YOU).
func Decide(role auth.Role, amount decimal.Decimal, limits Limits, endorsedBy []auth.Role, actedBefore bool) (Decision, error) {
	if actedBefore {
		return "", ErrAlreadyApproved
	}
	need := limits.Required(amount)
	if rank(role) >= rank(need) {
		return DecisionApproved, nil
	}
	if slices.Contains(endorsedBy, role) {
		return "", ErrLimitExceeded.Msgf("annual rent %s is above the %s limit: it needs %s", amount.StringFixed(2), role, need)
	}
	return DecisionEndorsed, nil
}

func rank(r auth.Role) int { return slices.Index(approvalLadder, r) }

// approverRole is the highest approving role the viewer holds over ref, or FORBIDDEN.
func approverRole(v *auth.Viewer, ref auth.OrgRef) (auth.Role, error) {
	for i := len(approvalLadder) - 1; i >= 0; i-- {
		if v.Can(ref, approvalLadder[i]) {
			return approvalLadder[i], nil
		}
	}
	return "", errs.ErrForbidden
}

// limits reads a mall's approval limits over the defaults.
func (s *Service) limits(ctx context.Context, q *queries.Queries, group, mall uuid.UUID) (Limits, error) {
	rows, err := q.LimitsOfMall(ctx, group, mall)
	if err != nil {
		return nil, err
	}
	l := DefaultLimits()
	for _, r := range rows {
		if r.MaxAnnualRent == nil {
			delete(l, auth.Role(r.Role))
		} else {
			l[auth.Role(r.Role)] = *r.MaxAnnualRent
		}
	}
	return l, nil
}

// SetApprovalLimit sets the highest annual rent role (FINANCE or ADMIN) may approve at a
// mall (nil: no limit): ADMIN of the mall.
func (s *Service) SetApprovalLimit(ctx context.Context, mallID uuid.UUID, role auth.Role, max *decimal.Decimal) error {
	p, err := s.mallAt(ctx, mallID, auth.RoleAdmin)
	if err != nil {
		return err
	}
	if !slices.Contains(approvalLadder, role) {
		return errs.Invalid("input.role", "only FINANCE and ADMIN approve contracts")
	}
	if max != nil && max.IsNegative() {
		return errs.Invalid("input.maxAnnualRent", "a limit is not negative")
	}
	return queries.New(s.db.Pool).UpsertLimit(ctx, queries.UpsertLimitParams{GroupID: p.GroupID, MallID: mallID,
		Role: string(role), MaxAnnualRent: max})
}
