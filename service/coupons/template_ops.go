package coupons

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// CreateTemplate creates a draft template.
func (s *Service) CreateTemplate(ctx context.Context, in TemplateInput) (Template, error) {
	if err := normalize(&in); err != nil {
		return Template{}, err
	}
	if err := s.canManage(ctx, in.MallID); err != nil {
		return Template{}, err
	}
	return s.insertTemplate(ctx, in)
}

func (s *Service) insertTemplate(ctx context.Context, in TemplateInput) (Template, error) {
	windows, err := jsonOf(in.Windows)
	if err != nil {
		return Template{}, err
	}
	row, err := queries.New(s.db.Pool).InsertTemplate(ctx, queries.InsertTemplateParams{
		ID: service.NewID(), MallID: in.MallID, Name: in.Name, Kind: string(in.Kind), FaceValue: in.FaceValue,
		PercentOff: in.PercentOff, ParkingHours: int32(in.ParkingHours), MinSpend: in.MinSpend,
		MerchantIds: orEmpty(in.MerchantIDs), Categories: orEmpty(in.Categories), ValidFrom: in.ValidFrom,
		ValidUntil: in.ValidUntil, ValidDays: int32(in.ValidDays), Windows: windows, TotalStock: int32(in.TotalStock),
		PerMember: int32(in.PerMember), BudgetCap: in.BudgetCap, Stacking: in.Stacking, Funder: in.Funder,
	})
	if err != nil {
		return Template{}, storage.MapError(err)
	}
	return templateOf(row, 0)
}

// Template returns one template (public: shoppers see what they can claim).
func (s *Service) Template(ctx context.Context, id uuid.UUID) (Template, error) {
	return s.template(ctx, s.db.Pool, id)
}

// template reads a template through q; a missing one is NOT_FOUND.
func (s *Service) template(ctx context.Context, q queries.DBTX, id uuid.UUID) (Template, error) {
	row, err := queries.New(q).TemplateByID(ctx, id)
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return Template{}, errs.ErrNotFound.Msgf("coupon template not found")
	} else if err != nil {
		return Template{}, err
	}
	return templateOf(row.CouponTemplate, row.Issued)
}

// SetStatus moves a template to active, paused or ended (the status's wire value), and
// rebuilds its claim gate.
func (s *Service) SetStatus(ctx context.Context, id uuid.UUID, status string) (Template, error) {
	t, err := s.Template(ctx, id)
	if err != nil {
		return t, err
	}
	if err := s.canManage(ctx, t.MallID); err != nil {
		return t, err
	}
	ev, ok := templateEventTo[TemplateStatus(status)]
	if !ok {
		return t, errs.Invalid("input.status", "status must be active, paused or ended")
	}
	if err := s.db.InTx(ctx, func(tx pgx.Tx) error { return moveTemplate(ctx, tx, t, ev) }); err != nil {
		return t, err
	}
	if err := s.rebuildGate(ctx, id, "", true); err != nil {
		return t, err
	}
	return s.Template(ctx, id)
}

// moveTemplate fires ev on t: the machine decides, the conditional UPDATE guards.
func moveTemplate(ctx context.Context, tx pgx.Tx, t Template, ev TemplateEvent) error {
	to, err := templateStates.Next(ev, t.Status)
	if err != nil {
		return err
	}
	n, err := queries.New(tx).SetTemplateStatus(ctx, queries.SetTemplateStatusParams{
		ID: t.ID, FromStatus: string(t.Status), ToStatus: string(to)})
	if err == nil && n == 0 {
		return ErrBadTransition.Msgf("the template's status changed meanwhile")
	}
	return err
}
