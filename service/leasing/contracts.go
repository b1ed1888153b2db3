package leasing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Contract is a lease contract as a viewer sees it.
type Contract struct {
	ID, GroupID, MallID, MerchantID uuid.UUID
	BrandID                         *uuid.UUID
	Status                          Status // on the mall's today (Effective)
	StoredStatus                    Status
	Start, End                      schedule.Date // the term of the latest approved version (of the draft before)
	TerminatedOn                    schedule.Date
	TerminationReason               string
	SignedKey                       string
	CreatedBy                       uuid.UUID
	CreatedAt, UpdatedAt            time.Time
	ref                             auth.OrgRef
}

// Ref places the contract in the organisation (at its tenant).
func (c Contract) Ref() auth.OrgRef { return c.ref }

// ContractInput is a new contract or a draft's new content.
type ContractInput struct {
	MallID uuid.UUID
	// MerchantID is the tenant, a merchant of the mall; or NewMerchant, created with the
	// contract (org.CreateMerchant) when the tenant is new.
	MerchantID  uuid.UUID
	NewMerchant *org.CreateMerchantInput
	BrandID     *uuid.UUID
	UnitIDs     []uuid.UUID
	Terms       schedule.Terms // Terms.Units are filled from the units
}

// CreateContract prepares a contract (a draft, version 1): LEASING or ADMIN of the mall.
func (s *Service) CreateContract(ctx context.Context, in ContractInput) (Contract, error) {
	p, err := s.mallAt(ctx, in.MallID, prepareRoles...)
	if err != nil {
		return Contract{}, err
	}
	units, terms, rent, err := s.checkContract(ctx, p, &in)
	if err != nil {
		return Contract{}, err
	}
	id, now := service.NewID(), s.now()
	body, _ := json.Marshal(terms)
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if in.NewMerchant != nil {
			var err error
			if in.MerchantID, err = s.newTenant(ctx, tx, p, *in.NewMerchant); err != nil {
				return err
			}
		}
		q := queries.New(tx)
		err := q.InsertContract(ctx, queries.InsertContractParams{GroupID: p.GroupID, MallID: p.MallID, ID: id,
			MerchantID: in.MerchantID, BrandID: in.BrandID, StartOn: timeOf(terms.Start), EndOn: timeOf(terms.End),
			CreatedBy: viewerID(ctx), At: now})
		if err != nil {
			return err
		}
		if err := insertUnits(ctx, q, p, id, units); err != nil {
			return err
		}
		err = q.InsertVersion(ctx, queries.InsertVersionParams{GroupID: p.GroupID, MallID: p.MallID, ContractID: id,
			Number: 1, Kind: "original", EffectiveFrom: timeOf(terms.Start), Terms: body, AnnualRent: rent,
			CreatedBy: viewerID(ctx), Now: now})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, p.MallID, id, "leasing.contract_create", "", map[string]any{"annualRent": rent.String()})
	})
	if err != nil {
		return Contract{}, err
	}
	return s.Contract(ctx, id)
}

// UpdateDraftContract replaces a draft contract's tenant, brand, units and terms.
func (s *Service) UpdateDraftContract(ctx context.Context, id uuid.UUID, in ContractInput) (Contract, error) {
	c, err := s.contractRow(ctx, id)
	if err != nil {
		return Contract{}, err
	}
	in.MallID = c.MallID
	p, err := s.mallAt(ctx, c.MallID, prepareRoles...)
	if err != nil {
		return Contract{}, err
	}
	if Status(c.Status) != StatusDraft {
		return Contract{}, ErrBadTransition.Msgf("only a draft contract can be edited; propose an amendment")
	}
	units, terms, rent, err := s.checkContract(ctx, p, &in)
	if err != nil {
		return Contract{}, err
	}
	body, _ := json.Marshal(terms)
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if err := q.UpdateDraftContract(ctx, queries.UpdateDraftContractParams{ID: id, MerchantID: in.MerchantID,
			BrandID: in.BrandID, StartOn: timeOf(terms.Start), EndOn: timeOf(terms.End), At: s.now()}); err != nil {
			return err
		}
		if err := q.DeleteContractUnits(ctx, id); err != nil {
			return err
		}
		if err := insertUnits(ctx, q, p, id, units); err != nil {
			return err
		}
		if err := q.UpdateDraftVersion(ctx, queries.UpdateDraftVersionParams{GroupID: p.GroupID, ContractID: id,
			Number: 1, EffectiveFrom: timeOf(terms.Start), Terms: body, AnnualRent: rent}); err != nil {
			return err
		}
		return s.audit(ctx, tx, p.MallID, id, "leasing.contract_update", "", nil)
	})
	if err != nil {
		return Contract{}, err
	}
	return s.Contract(ctx, id)
}

// checkContract resolves the tenant (creating it when new), the units and the terms.
func (s *Service) checkContract(ctx context.Context, p org.Place, in *ContractInput) ([]queries.LeasingUnit, schedule.Terms, decimal.Decimal, error) {
	units, err := s.unitsOfMall(ctx, p, in.UnitIDs)
	if err != nil {
		return nil, schedule.Terms{}, decimal.Zero, err
	}
	terms := withUnits(in.Terms, units)
	if err := terms.Validate(); err != nil {
		return nil, terms, decimal.Zero, termsError(err)
	}
	rent, err := AnnualRent(terms)
	if err != nil {
		return nil, terms, decimal.Zero, termsError(err)
	}
	if err := s.tenant(ctx, p, in); err != nil {
		return nil, terms, decimal.Zero, err
	}
	return units, terms, rent, nil
}

// tenant checks the contract's merchant is one of the mall's; a new tenant is created
// with the contract, in its transaction (newTenant).
func (s *Service) tenant(ctx context.Context, p org.Place, in *ContractInput) error {
	if in.NewMerchant != nil {
		return nil
	}
	m, err := s.org.MerchantPlace(ctx, nil, in.MerchantID)
	if err != nil || m.MallID != p.MallID {
		return errs.Invalid("input.merchantId", "the tenant is not a merchant of this mall")
	}
	return nil
}

// newTenant creates the contract's new tenant in the contract's transaction, so a
// contract that fails leaves no merchant behind.
func (s *Service) newTenant(ctx context.Context, tx pgx.Tx, p org.Place, nm org.CreateMerchantInput) (uuid.UUID, error) {
	nm.MallID = p.MallID
	m, err := s.org.CreateMerchantTx(ctx, tx, nm)
	if e, ok := errs.As(err); ok && e.Kind == errs.KindUser {
		return uuid.Nil, e.At(append([]string{"input", "newMerchant"}, tail(e.Field)...)...)
	}
	return m.ID, err
}

// tail drops the "input" head of a field path.
func tail(f []string) []string {
	if len(f) > 0 && f[0] == "input" {
		return f[1:]
	}
	return f
}

// unitsOfMall reads the units a contract lets: at least one, all of the mall.
func (s *Service) unitsOfMall(ctx context.Context, p org.Place, ids []uuid.UUID) ([]queries.LeasingUnit, error) {
	if len(ids) == 0 {
		return nil, errs.Invalid("input.unitIds", "a contract lets at least one unit")
	}
	seen := map[uuid.UUID]bool{}
	var out []queries.LeasingUnit
	for _, id := range ids {
		u, err := queries.New(s.db.Pool).UnitByID(ctx, id)
		if err != nil || u.MallID != p.MallID || seen[id] {
			return nil, errs.Invalid("input.unitIds", "every unit is a distinct unit of this mall")
		}
		seen[id] = true
		out = append(out, u)
	}
	return out, nil
}

func insertUnits(ctx context.Context, q *queries.Queries, p org.Place, id uuid.UUID, units []queries.LeasingUnit) error {
	for _, u := range units {
		if err := q.InsertContractUnit(ctx, queries.InsertContractUnitParams{GroupID: p.GroupID, MallID: p.MallID,
			ContractID: id, UnitID: u.ID}); err != nil {
			return err
		}
	}
	return nil
}

// audit records one action on a contract.
func (s *Service) audit(ctx context.Context, tx pgx.Tx, mall, id uuid.UUID, action, reason string, details map[string]any) error {
	return audit.Record(ctx, tx, audit.Entry{At: s.now(), Action: action, Entity: "leasing_contract", EntityID: id,
		MallID: mall, Reason: reason, Details: details})
}

func (s *Service) contractRow(ctx context.Context, id uuid.UUID) (queries.LeasingContract, error) {
	c, err := queries.New(s.db.Pool).ContractByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return c, errs.ErrNotFound.Msgf("contract not found")
	}
	return c, err
}

// Contract returns a contract: leasing staff of its mall, or its tenant.
func (s *Service) Contract(ctx context.Context, id uuid.UUID) (Contract, error) {
	r, err := s.contractRow(ctx, id)
	if err != nil {
		return Contract{}, err
	}
	c, err := s.contractOf(ctx, nil, r)
	if err != nil {
		return Contract{}, err
	}
	return c, access.At(ctx, c.ref, readRoles...)
}

// contractOf places a stored contract and derives its status on the mall's today.
func (s *Service) contractOf(ctx context.Context, q storage.Querier, r queries.LeasingContract) (Contract, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Contract{}, err
	}
	p, err := s.org.MallPlace(ctx, q, r.MallID)
	if err != nil {
		return Contract{}, fmt.Errorf("leasing: mall of contract: %w", err)
	}
	ref := p.Ref()
	ref.MerchantID = r.MerchantID
	c := Contract{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, MerchantID: r.MerchantID, BrandID: r.BrandID,
		StoredStatus: Status(r.Status), Start: dateOf(r.StartOn), End: dateOf(r.EndOn),
		TerminationReason: r.TerminationReason, SignedKey: r.SignedKey, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ref: ref}
	if r.TerminatedOn != nil {
		c.TerminatedOn = dateOf(*r.TerminatedOn)
	}
	c.Status = Effective(c.StoredStatus, c.Start, c.End, s.today(p))
	return c, nil
}

// ContractFilter narrows a mall's contract list.
type ContractFilter struct {
	Status     Status
	UnitID     uuid.UUID
	MerchantID uuid.UUID
}

// Contracts lists a page of a mall's contracts: leasing staff of the mall. The status
// filter is on the stored status.
func (s *Service) Contracts(ctx context.Context, mallID uuid.UUID, f ContractFilter, pr page.Request) (page.Result[Contract], error) {
	p, err := s.mallAt(ctx, mallID, staffRoles...)
	if err != nil {
		return page.Result[Contract]{}, err
	}
	arg := queries.ContractsOfMallParams{GroupID: p.GroupID, MallID: mallID, After: pr.After, Max: int32(pr.Limit())}
	if f.Status != "" {
		st := string(f.Status)
		arg.Status = &st
	}
	if f.UnitID != uuid.Nil {
		arg.UnitID = &f.UnitID
	}
	if f.MerchantID != uuid.Nil {
		arg.MerchantID = &f.MerchantID
	}
	rows, err := queries.New(s.db.Pool).ContractsOfMall(ctx, arg)
	if err != nil {
		return page.Result[Contract]{}, err
	}
	return s.pageOf(ctx, pr, rows)
}

func (s *Service) pageOf(ctx context.Context, pr page.Request, rows []queries.LeasingContract) (page.Result[Contract], error) {
	out := make([]Contract, len(rows))
	for i, r := range rows {
		c, err := s.contractOf(ctx, nil, r)
		if err != nil {
			return page.Result[Contract]{}, err
		}
		out[i] = c
	}
	return page.Cut(pr, out), nil
}

// MyTenantContracts lists the contracts of the merchant the calling tenant (TENANT_ADMIN
// or MERCHANT_STAFF) works for.
func (s *Service) MyTenantContracts(ctx context.Context, pr page.Request) (page.Result[Contract], error) {
	merchant, err := tenantMerchant(ctx)
	if err != nil {
		return page.Result[Contract]{}, err
	}
	rows, err := queries.New(s.db.Pool).ContractsOfMerchant(ctx, queries.ContractsOfMerchantParams{MerchantID: merchant,
		After: pr.After, Max: int32(pr.Limit())})
	if err != nil {
		return page.Result[Contract]{}, err
	}
	return s.pageOf(ctx, pr, rows)
}

// tenantMerchant is the merchant of the caller's tenant grant; FORBIDDEN for others.
func tenantMerchant(ctx context.Context) (uuid.UUID, error) {
	v, err := access.Staff(ctx, tenantRoles...)
	if err != nil {
		return uuid.Nil, err
	}
	for _, g := range v.Grants {
		if g.Level == auth.LevelMerchant && g.Role.MerchantScoped() {
			return g.ScopeID, nil
		}
	}
	return uuid.Nil, errs.ErrForbidden
}

// visible returns the contracts of ids the viewer may read, skipping the others.
func (s *Service) visible(ctx context.Context, ids []uuid.UUID) ([]Contract, error) {
	rows, err := queries.New(s.db.Pool).ContractsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	return s.readable(ctx, rows)
}

func (s *Service) readable(ctx context.Context, rows []queries.LeasingContract) ([]Contract, error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	out := []Contract{}
	for _, r := range rows {
		c, err := s.contractOf(ctx, nil, r)
		if err != nil {
			return nil, err
		}
		if v.Can(c.ref, readRoles...) {
			out = append(out, c)
		}
	}
	return out, nil
}

// ContractsOfBrand lists the contracts of a brand the viewer may read (for the brands
// context's brand page): leasing staff see their malls', a tenant its own.
func (s *Service) ContractsOfBrand(ctx context.Context, brandID uuid.UUID) ([]Contract, error) {
	rows, err := queries.New(s.db.Pool).ContractsOfBrand(ctx, &brandID)
	if err != nil {
		return nil, err
	}
	return s.readable(ctx, rows)
}

// ContractUnits returns the units a readable contract lets (statuses on today).
func (s *Service) ContractUnits(ctx context.Context, c Contract) ([]Unit, error) {
	if err := access.At(ctx, c.ref, readRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).UnitsOfContract(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	p, err := s.org.MallPlace(ctx, nil, c.MallID)
	if err != nil {
		return nil, err
	}
	holds, err := s.holds(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]Unit, len(rows))
	for i, r := range rows {
		out[i] = unitOf(r, holds[r.ID], s.today(p), p.Loc)
	}
	return out, nil
}
