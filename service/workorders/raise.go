package workorders

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// Categories of orders. Security categories are dispatched to SECURITY staff,
// customer-service ones (客服事件) to the SERVICE_DESK, the rest to MAINTENANCE; shoppers
// raise only complaints and suggestions.
var (
	Categories = []string{"electrical", "plumbing", "hvac", "cleaning", "elevator", "security", "complaint",
		"suggestion", "consultation", "praise", "device_offline", "meter_anomaly", "patrol_missed", "patrol_anomaly",
		"follow_up"}
	securityCategories = []string{"security", "patrol_missed", "patrol_anomaly"}
	// ServiceCategories are the customer-service tickets' categories.
	ServiceCategories = []string{"complaint", "suggestion", "consultation", "praise"}
	shopperCategories = []string{"complaint", "suggestion"}
)

// RaiseInput is a new order from a person.
type RaiseInput struct {
	MallID      uuid.UUID
	MerchantID  *uuid.UUID // a tenant raising for its merchant
	Category    string
	Priority    sla.Priority // empty: NORMAL
	UnitID      *uuid.UUID
	Zone        string
	Description string
	Photos      []string // object keys of uploaded photos
}

// Raise records an order from the caller: a shopper (complaint or suggestion), a
// tenant's people (TENANT_ADMIN or MERCHANT_STAFF of MerchantID), or staff of the mall
// (for a merchant of the mall when MerchantID is given: its people then follow it too).
// It is dispatched at once when a technician fits.
func (s *Service) Raise(ctx context.Context, in RaiseInput) (Order, error) {
	o, p, err := s.requester(ctx, in)
	if err != nil {
		return Order{}, err
	}
	if err := validRaise(in, o.Source); err != nil {
		return Order{}, err
	}
	if err := s.checkUnit(ctx, o, in.UnitID); err != nil {
		return Order{}, err
	}
	o.Category, o.Priority, o.UnitID, o.Zone, o.Description, o.Photos = in.Category, in.Priority, in.UnitID,
		strings.TrimSpace(in.Zone), strings.TrimSpace(in.Description), in.Photos
	err = s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		o, err = s.insert(ctx, tx, p, o, access.Actor(ctx))
		return err
	})
	return o, err
}

// checkUnit refuses a unit that is not in the order's mall, and a tenant's order on a
// unit its merchant does not hold today.
func (s *Service) checkUnit(ctx context.Context, o Order, unit *uuid.UUID) error {
	if unit == nil {
		return nil
	}
	mall, holder, err := s.units.UnitHolder(ctx, *unit, s.now())
	switch {
	case errors.Is(err, errs.ErrNotFound) || err == nil && mall != o.MallID:
		return errs.Invalid("unitId", "no such unit in this mall")
	case err != nil:
		return err
	case o.Source == FromTenant && holder != *o.RequesterMerchant:
		return errs.Invalid("unitId", "the unit is not the tenant's")
	}
	return nil
}

// requester decides the source and requester of a new order and checks the caller may
// raise it at the mall.
func (s *Service) requester(ctx context.Context, in RaiseInput) (Order, org.Place, error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return Order{}, org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, in.MallID)
	if err != nil {
		return Order{}, p, errs.ErrForbidden
	}
	o := Order{MallID: p.MallID, GroupID: p.GroupID}
	if v.IsShopper() {
		o.Source, o.Channel, o.RequesterMember = FromShopper, ViaMiniProgram, &v.ID
		return o, p, nil
	}
	o.Channel = ViaApp
	staff := v.Can(p.Ref(), staffRoles...)
	if in.MerchantID != nil {
		mp, err := s.org.MerchantPlace(ctx, nil, *in.MerchantID)
		if err != nil || mp.MallID != p.MallID || (!staff && !v.Can(mp.Ref(), tenantRoles...)) {
			return o, p, errs.ErrForbidden
		}
		o.Source, o.RequesterMerchant = FromTenant, in.MerchantID
	}
	if !staff && o.Source == "" {
		return o, p, errs.ErrForbidden
	}
	if staff {
		o.Source = FromStaff
	}
	o.RequesterStaff = &v.ID
	return o, p, nil
}

func validRaise(in RaiseInput, src Source) error {
	switch {
	case !slices.Contains(Categories, in.Category) || (src == FromShopper && !slices.Contains(shopperCategories, in.Category)):
		return errs.Invalid("category", "unknown category %q", in.Category)
	case in.Priority != "" && !validPriority(in.Priority):
		return errs.Invalid("priority", "unknown priority %q", in.Priority)
	case strings.TrimSpace(in.Description) == "" || len(in.Description) > 4000:
		return errs.Invalid("description", "a description of 1 to 4000 characters")
	case len(in.Photos) > 9:
		return errs.Invalid("photos", "at most 9 photos")
	}
	return nil
}

// insert numbers and stores a new order, records its raise, dispatches it and
// schedules its SLA job.
func (s *Service) insert(ctx context.Context, tx pgx.Tx, p org.Place, o Order, actor string) (Order, error) {
	if o.Priority == "" {
		o.Priority = sla.Normal
	}
	if err := s.ensureMall(ctx, tx, p); err != nil {
		return o, err
	}
	q := queries.New(tx)
	n, err := q.NextNumber(ctx, p.GroupID, p.MallID)
	if err != nil {
		return o, err
	}
	if o.Photos == nil {
		o.Photos = []string{}
	}
	if o.Channel == "" {
		o.Channel = ViaApp
	}
	row, err := q.InsertOrder(ctx, queries.InsertOrderParams{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID,
		Number: n, Category: o.Category, Priority: string(o.Priority), Source: string(o.Source),
		Channel: string(o.Channel), Contact: o.Contact,
		RequesterStaff: o.RequesterStaff, RequesterMerchant: o.RequesterMerchant, RequesterMember: o.RequesterMember,
		UnitID: o.UnitID, Zone: o.Zone, Description: o.Description, Photos: o.Photos, OpenedAt: s.now(),
		FollowUpOf: o.FollowUpOf})
	if err != nil {
		return o, err
	}
	return s.opened(ctx, tx, p, orderOf(row), actor, o.Category != "follow_up")
}

// opened records the raise of a stored order, dispatches it when asked and schedules
// its SLA job.
func (s *Service) opened(ctx context.Context, tx pgx.Tx, p org.Place, o Order, actor string, dispatch bool) (Order, error) {
	q := queries.New(tx)
	pr := string(o.Priority)
	if err := s.history(ctx, q, o, "raise", "", Open, &pr, "", actor, o.OpenedAt); err != nil {
		return o, err
	}
	if dispatch {
		var err error
		if o, err = s.autoAssign(ctx, tx, p, o, "system"); err != nil {
			return o, err
		}
	}
	return o, s.reschedule(ctx, tx, o, p)
}

// Alarm is an automatic order's cause: a device or checkpoint (Source) and what it
// reported (Kind).
type Alarm struct {
	MallID      uuid.UUID
	Source      string // device id, or checkpoint id
	Kind        string // offline, meter_backwards, patrol_missed
	Category    string
	Priority    sla.Priority
	Zone        string
	Description string
}

// AlarmResult says what an alarm did: opened an order, or counted on the open one.
type AlarmResult struct {
	Order  Order
	Opened bool
}

// RaiseAlarm opens the order of an alarm, or counts a repeat on the open order of the
// same source and kind (see the package notes). It runs without a viewer (jobs and the
// MQTT bridge call it).
func (s *Service) RaiseAlarm(ctx context.Context, a Alarm) (AlarmResult, error) {
	var r AlarmResult
	p, err := s.org.MallPlace(ctx, nil, a.MallID)
	if err != nil {
		return r, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		r, err = s.raiseAlarm(ctx, tx, p, a)
		return err
	})
	return r, err
}

// RaiseAlarmTx is RaiseAlarm inside the caller's transaction (the bridge's event
// transaction), so the order commits with the event that caused it.
func (s *Service) RaiseAlarmTx(ctx context.Context, tx pgx.Tx, a Alarm) (AlarmResult, error) {
	p, err := s.org.MallPlace(ctx, tx, a.MallID)
	if err != nil {
		return AlarmResult{}, err
	}
	return s.raiseAlarm(ctx, tx, p, a)
}

func (s *Service) raiseAlarm(ctx context.Context, tx pgx.Tx, p org.Place, a Alarm) (AlarmResult, error) {
	if err := s.ensureMall(ctx, tx, p); err != nil {
		return AlarmResult{}, err
	}
	q, now := queries.New(tx), s.now()
	key := queries.BumpAlarmParams{GroupID: p.GroupID, MallID: p.MallID, AlarmSource: &a.Source, AlarmKind: &a.Kind, At: now}
	if row, err := q.BumpAlarm(ctx, key); err == nil {
		return AlarmResult{Order: orderOf(row)}, nil
	} else if err != pgx.ErrNoRows {
		return AlarmResult{}, err
	}
	n, err := q.NextNumber(ctx, p.GroupID, p.MallID)
	if err != nil {
		return AlarmResult{}, err
	}
	if a.Priority == "" {
		a.Priority = sla.Normal
	}
	row, err := q.UpsertAlarmOrder(ctx, queries.UpsertAlarmOrderParams{ID: service.NewID(), GroupID: p.GroupID,
		MallID: p.MallID, Number: n, Category: a.Category, Priority: string(a.Priority), Zone: a.Zone,
		Description: a.Description, OpenedAt: now, AlarmSource: &a.Source, AlarmKind: &a.Kind})
	if err != nil {
		return AlarmResult{}, err
	}
	stored, err := q.Order(ctx, row.ID)
	if err != nil || !row.Inserted {
		return AlarmResult{Order: orderOf(stored)}, err
	}
	o, err := s.opened(ctx, tx, p, orderOf(stored), "system", true)
	return AlarmResult{Order: o, Opened: true}, err
}

// ClearAlarm notes on the open order of a source and kind that the alarm cleared (the
// device came back); the order stays for a technician to close. No open order: nothing.
func (s *Service) ClearAlarm(ctx context.Context, mallID uuid.UUID, source, kind string) error {
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error { return s.clearAlarm(ctx, tx, p, source, kind) })
}

// ClearAlarmTx is ClearAlarm inside the caller's transaction.
func (s *Service) ClearAlarmTx(ctx context.Context, tx pgx.Tx, mallID uuid.UUID, source, kind string) error {
	p, err := s.org.MallPlace(ctx, tx, mallID)
	if err != nil {
		return err
	}
	return s.clearAlarm(ctx, tx, p, source, kind)
}

func (s *Service) clearAlarm(ctx context.Context, tx pgx.Tx, p org.Place, source, kind string) error {
	q, now := queries.New(tx), s.now()
	row, err := q.ClearAlarm(ctx, queries.ClearAlarmParams{GroupID: p.GroupID, MallID: p.MallID, AlarmSource: &source,
		AlarmKind: &kind, At: &now})
	if err == pgx.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	o := orderOf(row)
	return s.history(ctx, q, o, "alarm_cleared", o.Status, o.Status, nil, kind+" cleared", "system", now)
}

// dispatchRole is who works a category.
func dispatchRole(category string) auth.Role {
	switch {
	case slices.Contains(securityCategories, category):
		return auth.RoleSecurity
	case slices.Contains(ServiceCategories, category):
		return auth.RoleServiceDesk
	}
	return auth.RoleMaintenance
}
