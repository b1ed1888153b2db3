package leasing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// UnitKind is what a unit is.
type UnitKind string

// The unit kinds.
const (
	KindShop     UnitKind = "shop"
	KindKiosk    UnitKind = "kiosk"
	KindAdSpace  UnitKind = "ad_space"
	KindParking  UnitKind = "parking"
	KindStorage  UnitKind = "storage"
	maxAreaDigit          = 10
)

var unitKinds = []UnitKind{KindShop, KindKiosk, KindAdSpace, KindParking, KindStorage}

// UnitInput is a new unit or a unit's new fields (the code never changes).
type UnitInput struct {
	MallID       uuid.UUID
	Code         string
	Kind         UnitKind
	Floor        string
	Zone         string
	GrossArea    decimal.Decimal
	LettableArea decimal.Decimal
	OffMarket    bool
}

// Unit is a unit with its status on the mall's today.
type Unit struct {
	UnitInput
	ID         uuid.UUID
	GroupID    uuid.UUID
	Status     UnitState
	ContractID uuid.UUID // the contract holding it today (uuid.Nil: none)
	CreatedOn  schedule.Date
	// VacantSince is the first day of the current vacancy (zero unless VACANT or OFF_MARKET).
	VacantSince schedule.Date
	DaysVacant  int // days from VacantSince to the date the status is for
}

// CreateUnit adds a unit to a mall: LEASING or ADMIN of the mall.
func (s *Service) CreateUnit(ctx context.Context, in UnitInput) (Unit, error) {
	p, err := s.mallAt(ctx, in.MallID, prepareRoles...)
	if err != nil {
		return Unit{}, err
	}
	if err := validUnit(&in, true); err != nil {
		return Unit{}, err
	}
	id := service.NewID()
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		err := queries.New(tx).InsertUnit(ctx, queries.InsertUnitParams{GroupID: p.GroupID, MallID: p.MallID, ID: id,
			Code: in.Code, Kind: string(in.Kind), Floor: in.Floor, Zone: in.Zone, GrossArea: in.GrossArea,
			LettableArea: in.LettableArea, OffMarket: in.OffMarket, CreatedAt: s.now()})
		if errors.Is(storage.MapError(err), storage.ErrConflict) {
			return ErrUnitCodeTaken.At("input", "code")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "leasing.unit_create", Entity: "leasing_unit", EntityID: id,
			MallID: p.MallID, Details: map[string]any{"code": in.Code}})
	})
	if err != nil {
		return Unit{}, err
	}
	return s.Unit(ctx, id)
}

// UpdateUnit changes a unit's kind, floor, zone, areas and off-market flag.
func (s *Service) UpdateUnit(ctx context.Context, id uuid.UUID, in UnitInput) (Unit, error) {
	u, err := s.unitRow(ctx, id)
	if err != nil {
		return Unit{}, err
	}
	p, err := s.mallAt(ctx, u.MallID, prepareRoles...)
	if err != nil {
		return Unit{}, err
	}
	in.MallID, in.Code = u.MallID, u.Code
	if err := validUnit(&in, false); err != nil {
		return Unit{}, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		err := queries.New(tx).UpdateUnit(ctx, queries.UpdateUnitParams{ID: id, Kind: string(in.Kind), Floor: in.Floor,
			Zone: in.Zone, GrossArea: in.GrossArea, LettableArea: in.LettableArea, OffMarket: in.OffMarket})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "leasing.unit_update", Entity: "leasing_unit", EntityID: id,
			MallID: p.MallID, Details: map[string]any{"offMarket": in.OffMarket}})
	})
	if err != nil {
		return Unit{}, err
	}
	return s.Unit(ctx, id)
}

// validUnit checks a unit's fields, normalising its code, floor and zone.
func validUnit(in *UnitInput, isNew bool) error {
	in.Code, in.Floor, in.Zone = strings.ToUpper(strings.TrimSpace(in.Code)), strings.TrimSpace(in.Floor), strings.TrimSpace(in.Zone)
	switch {
	case isNew && !validCode(in.Code):
		return errs.Invalid("input.code", "a unit code is 1–32 letters, digits, '.', '_' or '-'")
	case !slices.Contains(unitKinds, in.Kind):
		return errs.Invalid("input.kind", "unknown unit kind %q", in.Kind)
	case in.Floor == "" || len(in.Floor) > 16:
		return errs.Invalid("input.floor", "a floor is 1–16 characters")
	case len(in.Zone) > 64:
		return errs.Invalid("input.zone", "a zone is at most 64 characters")
	case !in.GrossArea.IsPositive() || in.GrossArea.Exponent() < -2 || len(in.GrossArea.Truncate(0).String()) > maxAreaDigit:
		return errs.Invalid("input.grossArea", "the gross area is a positive number of m² with at most 2 decimals")
	case !in.LettableArea.IsPositive() || in.LettableArea.Exponent() < -2:
		return errs.Invalid("input.lettableArea", "the lettable area is a positive number of m² with at most 2 decimals")
	case in.LettableArea.GreaterThan(in.GrossArea):
		return errs.Invalid("input.lettableArea", "the lettable area is at most the gross area")
	}
	return nil
}

func validCode(c string) bool {
	if c == "" || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (s *Service) unitRow(ctx context.Context, id uuid.UUID) (queries.LeasingUnit, error) {
	u, err := queries.New(s.db.Pool).UnitByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return u, errs.ErrNotFound.Msgf("unit not found")
	}
	return u, err
}

// Unit returns a unit: leasing staff of its mall, or a tenant one of whose contracts
// lets it.
func (s *Service) Unit(ctx context.Context, id uuid.UUID) (Unit, error) {
	u, err := s.unitRow(ctx, id)
	if err != nil {
		return Unit{}, err
	}
	p, err := s.canReadUnit(ctx, u)
	if err != nil {
		return Unit{}, err
	}
	holds, err := s.holds(ctx, p)
	if err != nil {
		return Unit{}, err
	}
	return unitOf(u, holds[u.ID], s.today(p), p.Loc), nil
}

// canReadUnit lets leasing staff of the mall through, and a tenant whose merchant has a
// contract on the unit.
func (s *Service) canReadUnit(ctx context.Context, u queries.LeasingUnit) (org.Place, error) {
	p, err := s.mallAt(ctx, u.MallID, staffRoles...)
	if !errors.Is(err, errs.ErrForbidden) {
		return p, err
	}
	v := auth.ViewerFrom(ctx)
	for _, g := range v.Grants {
		if g.Level != auth.LevelMerchant || !slices.Contains(tenantRoles, g.Role) {
			continue
		}
		if ok, qerr := queries.New(s.db.Pool).UnitHeldByMerchant(ctx, u.ID, g.ScopeID); qerr == nil && ok {
			return p, nil
		}
	}
	return p, err
}

// Units lists a page of a mall's units (optionally of one floor): leasing staff.
func (s *Service) Units(ctx context.Context, mallID uuid.UUID, floor string, pr page.Request) (page.Result[Unit], error) {
	p, err := s.mallAt(ctx, mallID, staffRoles...)
	if err != nil {
		return page.Result[Unit]{}, err
	}
	rows, err := queries.New(s.db.Pool).UnitsOfMall(ctx, queries.UnitsOfMallParams{GroupID: p.GroupID, MallID: mallID,
		Floor: orNil(floor), After: pr.After, Max: int32(pr.Limit())})
	if err != nil {
		return page.Result[Unit]{}, err
	}
	holds, err := s.holds(ctx, p)
	if err != nil {
		return page.Result[Unit]{}, err
	}
	today := s.today(p)
	out := make([]Unit, len(rows))
	for i, r := range rows {
		out[i] = unitOf(r, holds[r.ID], today, p.Loc)
	}
	return page.Cut(pr, out), nil
}

func orNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// unitOf derives a stored unit's status on a date.
func unitOf(r queries.LeasingUnit, holds []Hold, on schedule.Date, loc *time.Location) Unit {
	u := Unit{ID: r.ID, GroupID: r.GroupID, CreatedOn: schedule.DateOf(r.CreatedAt.In(loc)), UnitInput: UnitInput{
		MallID: r.MallID, Code: r.Code, Kind: UnitKind(r.Kind), Floor: r.Floor, Zone: r.Zone, GrossArea: r.GrossArea,
		LettableArea: r.LettableArea, OffMarket: r.OffMarket}}
	st, h := UnitStatus(r.OffMarket, holds, on)
	u.Status = st
	if h != nil {
		u.ContractID = h.ContractID
	}
	if st == UnitVacant || st == UnitOffMarket {
		u.VacantSince = VacantSince(holds, on, u.CreatedOn)
		u.DaysVacant = on.Sub(u.VacantSince)
	}
	return u
}

// holds reads every hold on the mall's units, by unit.
func (s *Service) holds(ctx context.Context, p org.Place) (map[uuid.UUID][]Hold, error) {
	rows, err := queries.New(s.db.Pool).HoldsOfMall(ctx, p.GroupID, p.MallID)
	if err != nil {
		return nil, fmt.Errorf("leasing: holds: %w", err)
	}
	out := map[uuid.UUID][]Hold{}
	for _, r := range rows {
		h := Hold{UnitID: r.UnitID, ContractID: r.ContractID, MerchantID: r.MerchantID, From: dateOf(r.HeldFrom),
			To: dateOf(r.HeldTo)}
		var t schedule.Terms
		if len(r.Terms) > 0 && json.Unmarshal(r.Terms, &t) == nil {
			h.FitOut = fitOutOf(t)
		}
		out[r.UnitID] = append(out[r.UnitID], h)
	}
	return out, nil
}

// FloorVacancy is the vacancy of one floor on a date.
type FloorVacancy struct {
	Floor        string
	Units        []Unit
	VacantCount  int
	VacantArea   decimal.Decimal // lettable m² of the VACANT units
	LettableArea decimal.Decimal
}

// Vacancy is the vacancy view of a mall (optionally of one floor) on the mall's today:
// leasing staff.
func (s *Service) Vacancy(ctx context.Context, mallID uuid.UUID, floor string) ([]FloorVacancy, error) {
	p, err := s.mallAt(ctx, mallID, staffRoles...)
	if err != nil {
		return nil, err
	}
	units, err := s.allUnits(ctx, p, floor, s.today(p))
	if err != nil {
		return nil, err
	}
	return byFloor(units), nil
}

func (s *Service) allUnits(ctx context.Context, p org.Place, floor string, on schedule.Date) ([]Unit, error) {
	rows, err := queries.New(s.db.Pool).AllUnitsOfMall(ctx, queries.AllUnitsOfMallParams{GroupID: p.GroupID,
		MallID: p.MallID, Floor: orNil(floor)})
	if err != nil {
		return nil, err
	}
	holds, err := s.holds(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]Unit, len(rows))
	for i, r := range rows {
		out[i] = unitOf(r, holds[r.ID], on, p.Loc)
	}
	return out, nil
}

// byFloor groups units (sorted by floor) into floors with their vacancy.
func byFloor(units []Unit) []FloorVacancy {
	var out []FloorVacancy
	for _, u := range units {
		if len(out) == 0 || out[len(out)-1].Floor != u.Floor {
			out = append(out, FloorVacancy{Floor: u.Floor})
		}
		f := &out[len(out)-1]
		f.Units = append(f.Units, u)
		f.LettableArea = f.LettableArea.Add(u.LettableArea)
		if u.Status == UnitVacant {
			f.VacantCount++
			f.VacantArea = f.VacantArea.Add(u.LettableArea)
		}
	}
	return out
}

// UnitHistory is the occupancy history of a unit: the contracts that let it, by start.
func (s *Service) UnitHistory(ctx context.Context, id uuid.UUID) ([]Contract, error) {
	u, err := s.unitRow(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.canReadUnit(ctx, u); err != nil {
		return nil, err
	}
	ids, err := queries.New(s.db.Pool).ContractIDsOfUnit(ctx, u.GroupID, id)
	if err != nil {
		return nil, err
	}
	return s.visible(ctx, ids)
}

// UnitHolder is a unit's mall and the merchant holding it on day (uuid.Nil when none).
// It checks no viewer: it serves contexts that have authorized their caller and need
// to know where a unit is and whose it is (a tenant's work order on its shop).
func (s *Service) UnitHolder(ctx context.Context, unitID uuid.UUID, day time.Time) (mallID, holder uuid.UUID, err error) {
	row, err := queries.New(s.db.Pool).UnitHolder(ctx, timeOf(dateOf(day)), unitID)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return uuid.Nil, uuid.Nil, errs.ErrNotFound.Msgf("unit not found")
	}
	return row.MallID, row.Holder, err
}
