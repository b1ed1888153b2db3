// Package warehouse is the gift warehouse (礼品仓库, issue 15 point 5): the catalogue of
// a mall's items (with categories, a unit and an optional barcode), its warehouses and
// suppliers; purchase orders received into a warehouse with counted quantities;
// stock-out with a reason; transfers between two warehouses of a mall; stocktakes whose
// adjustments apply only once a second person approves them.
//
// Stock ledger. Every movement of an item in a warehouse is a row of wh_movements,
// never updated: its signed quantity and value, the running balance after it, a
// sequence number per item and warehouse, and an idempotency key unique in the
// warehouse. wh_stock holds the balance (quantity, value in fen, last sequence); it is
// only changed together with a movement, under the balance's row lock, so the running
// balances form a chain. Stock never goes negative: an outgoing movement locks the
// balance, checks it (valuation.Out), and the UPDATE's own WHERE and the table's CHECK
// constraints refuse anything below zero. Valuation is moving average cost
// (service/warehouse/valuation). Verify, run by `atrium ledger verify`, checks every
// balance against its movements.
//
// Stock value is not posted to service/ledger: the ledger holds members' points and
// stored value and tenants' receivables; gift stock is an inventory sub-ledger of its
// own, checked by Verify.
//
// The points exchange of gifts (service/campaigns) consumes stock here: a gift linked to
// an item and warehouse calls IssueTx in the exchange's transaction. Catalogue and
// documents are per mall; every operation checks the viewer holds ADMIN or MEMBER_OPS
// at the mall (FINANCE may read stock and valuation).
package warehouse

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/warehouse/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB  *storage.DB
	Org *org.Service // malls: scope checks
	Now func() time.Time
}

// Service is the warehouse context.
type Service struct {
	db  *storage.DB
	org *org.Service
	now func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("warehouse", d)
	return &Service{db: d.DB, org: d.Org, now: d.Now}
}

// Roles: manageRoles run the warehouse; stockRoles also read stock and its valuation.
var (
	manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}
	stockRoles  = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleFinance}
)

// Sentinel errors.
var (
	ErrOutOfStock       = errs.New(errs.KindUser, "OUT_OF_STOCK", "not enough stock in the warehouse")
	ErrPOTransition     = errs.New(errs.KindUser, "PURCHASE_ORDER_TRANSITION", "illegal purchase order transition")
	ErrStocktakeState   = errs.New(errs.KindUser, "STOCKTAKE_TRANSITION", "illegal stocktake transition")
	ErrSecondPerson     = errs.New(errs.KindUser, "SECOND_PERSON_REQUIRED", "a stocktake is approved by someone other than who submitted it")
	ErrWrongMall        = errs.New(errs.KindUser, "NOT_OF_THIS_MALL", "the item, supplier or warehouse belongs to another mall")
	ErrDuplicate        = errs.New(errs.KindUser, "ALREADY_EXISTS", "a record with that name, code or barcode exists")
	ErrNothingToReceive = errs.New(errs.KindUser, "NOT_ON_ORDER", "the item is not on the purchase order")
)

// mallFor reads a mall and checks the caller holds one of roles over it (an unknown
// mall is FORBIDDEN).
func (s *Service) mallFor(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// visible checks the caller holds one of roles at the mall of a record found by id;
// anyone else, like a missing record, gets NOT_FOUND (what).
func (s *Service) visible(ctx context.Context, mallID uuid.UUID, err error, what string, roles ...auth.Role) (org.Place, error) {
	if _, verr := access.Viewer(ctx); verr != nil {
		return org.Place{}, verr
	}
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return org.Place{}, errs.ErrNotFound.Msgf("%s not found", what)
	} else if err != nil {
		return org.Place{}, err
	}
	p, err := s.mallFor(ctx, mallID, roles...)
	if err != nil {
		return p, errs.ErrNotFound.Msgf("%s not found", what)
	}
	return p, nil
}

// text trims *v and checks it has between min and max characters.
func text(field string, v *string, min, max int) error {
	*v = strings.TrimSpace(*v)
	if n := utf8.RuneCountInString(*v); n < min || n > max {
		return errs.Invalid(field, "between %d and %d characters", min, max)
	}
	return nil
}

// conflict maps a unique violation to ErrDuplicate at field.
func conflict(err error, field string) error {
	err = storage.MapError(err)
	if errors.Is(err, storage.ErrConflict) {
		return ErrDuplicate.At(strings.Split(field, ".")...)
	}
	return err
}

// Category is an item category (物品类别), optionally under a parent.
type Category struct {
	ID, MallID uuid.UUID
	ParentID   *uuid.UUID
	Name       string
}

// Item is an item of the catalogue (物品档案).
type Item struct {
	ID, MallID, CategoryID uuid.UUID
	Name, Unit             string
	Barcode                *string
}

// Warehouse is a warehouse of a mall (仓库档案).
type Warehouse struct {
	ID, MallID uuid.UUID
	Code, Name string
}

// Supplier is a supplier of a mall (供应商档案).
type Supplier struct {
	ID, MallID           uuid.UUID
	Name, Contact, Phone string
}

// CreateCategory adds a category (ADMIN or MEMBER_OPS of the mall).
func (s *Service) CreateCategory(ctx context.Context, c Category) (Category, error) {
	p, err := s.mallFor(ctx, c.MallID, manageRoles...)
	if err != nil {
		return c, err
	}
	if err := text("input.name", &c.Name, 1, 100); err != nil {
		return c, err
	}
	q := queries.New(s.db.Pool)
	if c.ParentID != nil {
		parent, err := q.Category(ctx, *c.ParentID)
		if err != nil || parent.MallID != c.MallID {
			return c, ErrWrongMall.At("input", "parentId")
		}
	}
	c.ID = service.NewID()
	err = q.InsertCategory(ctx, queries.InsertCategoryParams{ID: c.ID, GroupID: p.GroupID, MallID: c.MallID,
		ParentID: c.ParentID, Name: c.Name})
	return c, conflict(err, "input.name")
}

// Categories lists a mall's categories by name.
func (s *Service) Categories(ctx context.Context, mallID uuid.UUID) ([]Category, error) {
	p, err := s.mallFor(ctx, mallID, manageRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).CategoriesOfMall(ctx, p.GroupID, mallID)
	out := make([]Category, len(rows))
	for i, r := range rows {
		out[i] = Category{ID: r.ID, MallID: r.MallID, ParentID: r.ParentID, Name: r.Name}
	}
	return out, err
}

// CreateItem adds an item in a category of the mall.
func (s *Service) CreateItem(ctx context.Context, it Item) (Item, error) {
	p, err := s.mallFor(ctx, it.MallID, manageRoles...)
	if err != nil {
		return it, err
	}
	if err := text("input.name", &it.Name, 1, 200); err != nil {
		return it, err
	}
	if err := text("input.unit", &it.Unit, 1, 20); err != nil {
		return it, err
	}
	if it.Barcode != nil {
		if err := text("input.barcode", it.Barcode, 0, 64); err != nil {
			return it, err
		}
		if *it.Barcode == "" {
			it.Barcode = nil
		}
	}
	q := queries.New(s.db.Pool)
	if c, err := q.Category(ctx, it.CategoryID); err != nil || c.MallID != it.MallID {
		return it, ErrWrongMall.At("input", "categoryId")
	}
	it.ID = service.NewID()
	err = q.InsertItem(ctx, queries.InsertItemParams{ID: it.ID, GroupID: p.GroupID, MallID: it.MallID,
		CategoryID: it.CategoryID, Name: it.Name, Unit: it.Unit, Barcode: it.Barcode})
	return it, conflict(err, "input.barcode")
}

// Items lists a mall's items by name.
func (s *Service) Items(ctx context.Context, mallID uuid.UUID) ([]Item, error) {
	p, err := s.mallFor(ctx, mallID, stockRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ItemsOfMall(ctx, p.GroupID, mallID)
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = itemOf(r)
	}
	return out, err
}

func itemOf(r queries.WhItem) Item {
	return Item{ID: r.ID, MallID: r.MallID, CategoryID: r.CategoryID, Name: r.Name, Unit: r.Unit, Barcode: r.Barcode}
}

// CreateWarehouse adds a warehouse to a mall.
func (s *Service) CreateWarehouse(ctx context.Context, w Warehouse) (Warehouse, error) {
	p, err := s.mallFor(ctx, w.MallID, manageRoles...)
	if err != nil {
		return w, err
	}
	if err := text("input.code", &w.Code, 1, 32); err != nil {
		return w, err
	}
	if err := text("input.name", &w.Name, 1, 100); err != nil {
		return w, err
	}
	w.ID = service.NewID()
	err = queries.New(s.db.Pool).InsertWarehouse(ctx, queries.InsertWarehouseParams{ID: w.ID, GroupID: p.GroupID,
		MallID: w.MallID, Code: w.Code, Name: w.Name})
	return w, conflict(err, "input.code")
}

// Warehouses lists a mall's warehouses by code.
func (s *Service) Warehouses(ctx context.Context, mallID uuid.UUID) ([]Warehouse, error) {
	p, err := s.mallFor(ctx, mallID, stockRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).WarehousesOfMall(ctx, p.GroupID, mallID)
	out := make([]Warehouse, len(rows))
	for i, r := range rows {
		out[i] = Warehouse{ID: r.ID, MallID: r.MallID, Code: r.Code, Name: r.Name}
	}
	return out, err
}

// CreateSupplier adds a supplier of a mall.
func (s *Service) CreateSupplier(ctx context.Context, sp Supplier) (Supplier, error) {
	p, err := s.mallFor(ctx, sp.MallID, manageRoles...)
	if err != nil {
		return sp, err
	}
	if err := text("input.name", &sp.Name, 1, 200); err != nil {
		return sp, err
	}
	if err := text("input.contact", &sp.Contact, 0, 100); err != nil {
		return sp, err
	}
	if err := text("input.phone", &sp.Phone, 0, 32); err != nil {
		return sp, err
	}
	sp.ID = service.NewID()
	err = queries.New(s.db.Pool).InsertSupplier(ctx, queries.InsertSupplierParams{ID: sp.ID, GroupID: p.GroupID,
		MallID: sp.MallID, Name: sp.Name, Contact: sp.Contact, Phone: sp.Phone})
	return sp, conflict(err, "input.name")
}

// Suppliers lists a mall's suppliers by name.
func (s *Service) Suppliers(ctx context.Context, mallID uuid.UUID) ([]Supplier, error) {
	p, err := s.mallFor(ctx, mallID, manageRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).SuppliersOfMall(ctx, p.GroupID, mallID)
	out := make([]Supplier, len(rows))
	for i, r := range rows {
		out[i] = Supplier{ID: r.ID, MallID: r.MallID, Name: r.Name, Contact: r.Contact, Phone: r.Phone}
	}
	return out, err
}

// warehouseOf reads a warehouse (nil q: the pool); NOT_FOUND when missing.
func warehouseOf(ctx context.Context, q queries.DBTX, id uuid.UUID) (queries.WhWarehouse, error) {
	w, err := queries.New(q).Warehouse(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return w, errs.ErrNotFound.Msgf("warehouse not found")
	}
	return w, err
}
