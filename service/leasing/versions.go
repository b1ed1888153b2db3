package leasing

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// VersionKind says what a version is.
type VersionKind string

// The version kinds.
const (
	KindOriginal  VersionKind = "original"
	KindAmendment VersionKind = "amendment"
	KindRenewal   VersionKind = "renewal"
)

// Version is one version of a contract's terms.
type Version struct {
	Number        int
	Kind          VersionKind
	Status        VersionStatus
	EffectiveFrom schedule.Date
	Terms         schedule.Terms
	AnnualRent    decimal.Decimal
	Round         int // submissions so far
	CreatedBy     uuid.UUID
	SubmittedBy   *uuid.UUID
	ApprovedAt    *time.Time
	// PendingRole is, for a submitted version, the role its amount needs.
	PendingRole auth.Role
}

// Approval is one approver's decision on one submission of a version.
type Approval struct {
	Version, Round int
	Decision       Decision
	Role           auth.Role
	StaffID        uuid.UUID
	Amount         decimal.Decimal
	Note           string
	At             time.Time
}

func versionOf(r queries.LeasingContractVersion) (Version, error) {
	v := Version{Number: int(r.Number), Kind: VersionKind(r.Kind), Status: VersionStatus(r.Status),
		EffectiveFrom: dateOf(r.EffectiveFrom), AnnualRent: r.AnnualRent, Round: int(r.Round), CreatedBy: r.CreatedBy,
		SubmittedBy: r.SubmittedBy, ApprovedAt: r.ApprovedAt}
	if err := json.Unmarshal(r.Terms, &v.Terms); err != nil {
		return v, fmt.Errorf("leasing: terms of version %d: %w", r.Number, err)
	}
	return v, nil
}

// Versions lists a readable contract's versions, oldest first.
func (s *Service) Versions(ctx context.Context, c Contract) ([]Version, error) {
	if err := access.At(ctx, c.ref, readRoles...); err != nil {
		return nil, err
	}
	q := queries.New(s.db.Pool)
	rows, err := q.VersionsOfContract(ctx, c.GroupID, c.ID)
	if err != nil {
		return nil, err
	}
	limits, err := s.limits(ctx, q, c.GroupID, c.MallID)
	if err != nil {
		return nil, err
	}
	out := make([]Version, len(rows))
	for i, r := range rows {
		if out[i], err = versionOf(r); err != nil {
			return nil, err
		}
		if out[i].Status == VersionSubmitted {
			out[i].PendingRole = limits.Required(out[i].AnnualRent)
		}
	}
	return out, nil
}

// Approvals lists a readable contract's approval decisions, oldest first.
func (s *Service) Approvals(ctx context.Context, c Contract) ([]Approval, error) {
	if err := access.At(ctx, c.ref, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ApprovalsOfContract(ctx, c.GroupID, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Approval, len(rows))
	for i, r := range rows {
		out[i] = Approval{Version: int(r.Version), Round: int(r.Round), Decision: Decision(r.Decision),
			Role: auth.Role(r.Role), StaffID: r.StaffID, Amount: r.Amount, Note: r.Note, At: r.At}
	}
	return out, nil
}

// AmendmentInput is a proposed amendment or renewal: the whole terms as they will be
// from EffectiveFrom on (Terms.Units are the contract's units).
type AmendmentInput struct {
	Kind          VersionKind // amendment or renewal
	EffectiveFrom schedule.Date
	Terms         schedule.Terms
}

// ProposeAmendment adds a draft version to an approved, signed or active contract; it
// is submitted and approved like the original and governs from its effective date once
// approved. LEASING or ADMIN of the mall.
func (s *Service) ProposeAmendment(ctx context.Context, id uuid.UUID, in AmendmentInput) (Contract, error) {
	c, err := s.Contract(ctx, id)
	if err != nil {
		return Contract{}, err
	}
	if err := access.At(ctx, c.ref, prepareRoles...); err != nil {
		return Contract{}, err
	}
	units, err := queries.New(s.db.Pool).UnitsOfContract(ctx, id)
	if err != nil {
		return Contract{}, err
	}
	terms := withUnits(in.Terms, units)
	rent, err := checkAmendment(c, in, terms)
	if err != nil {
		return Contract{}, err
	}
	body, _ := json.Marshal(terms)
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		return s.insertAmendment(ctx, tx, c, in, body, rent)
	})
	if err != nil {
		return Contract{}, err
	}
	return s.Contract(ctx, id)
}

// checkAmendment validates a proposed version against its contract.
func checkAmendment(c Contract, in AmendmentInput, terms schedule.Terms) (decimal.Decimal, error) {
	switch {
	case c.StoredStatus != StatusApproved && c.StoredStatus != StatusSigned && c.StoredStatus != StatusActive:
		return decimal.Zero, ErrBadTransition.Msgf("only an approved, signed or active contract is amended")
	case in.Kind != KindAmendment && in.Kind != KindRenewal:
		return decimal.Zero, errs.Invalid("input.kind", "an amendment or a renewal")
	case in.EffectiveFrom.IsZero() || in.EffectiveFrom.Before(c.Start):
		return decimal.Zero, errs.Invalid("input.effectiveFrom", "an amendment takes effect within the lease")
	case in.Kind == KindRenewal && !terms.End.After(c.End):
		return decimal.Zero, errs.Invalid("input.terms.end", "a renewal ends after the current term")
	}
	if err := terms.Validate(); err != nil {
		return decimal.Zero, termsError(err)
	}
	rent, err := AnnualRent(terms)
	if err != nil {
		return decimal.Zero, termsError(err)
	}
	return rent, nil
}

func (s *Service) insertAmendment(ctx context.Context, tx pgx.Tx, c Contract, in AmendmentInput, body []byte, rent decimal.Decimal) error {
	q := queries.New(tx)
	if _, err := q.LockContract(ctx, c.ID); err != nil {
		return err
	}
	if _, err := q.OpenVersion(ctx, c.GroupID, c.ID); err == nil {
		return ErrAmendmentOpen
	}
	n, err := q.LastVersionNumber(ctx, c.GroupID, c.ID)
	if err != nil {
		return err
	}
	err = q.InsertVersion(ctx, queries.InsertVersionParams{GroupID: c.GroupID, MallID: c.MallID, ContractID: c.ID,
		Number: n + 1, Kind: string(in.Kind), EffectiveFrom: timeOf(in.EffectiveFrom), Terms: body, AnnualRent: rent,
		CreatedBy: viewerID(ctx), Now: s.now()})
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, c.MallID, c.ID, "leasing.amendment_propose", "", map[string]any{"version": n + 1,
		"kind": string(in.Kind), "effectiveFrom": in.EffectiveFrom.String()})
}
