package leasing

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/org"
)

// VacantAlertDays is how long a unit stays vacant before leasing staff are told
// (issue 12, point 7: "a unit vacant for more than N days").
const VacantAlertDays = 90

// Notice kinds leasing raises for leasing staff.
const (
	KindContractExpiring = "lease_expiring"
	KindUnitVacant       = "unit_vacant"
)

// Alerts raises a mall's leasing notices on its current day: each contract ending
// within 90, 60 or 30 days without a renewal is notified once per band, each unit vacant
// for more than VacantAlertDays once per vacancy. The notices' dedupe keys make a rerun,
// or the same job on another replica, notify nothing twice. It runs as the group's
// system viewer (a job, not a request); it returns how many notices were new.
func (s *Service) Alerts(ctx context.Context, mallID uuid.UUID) (int, error) {
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return 0, err
	}
	ctx = auth.WithViewer(ctx, org.SystemViewer(org.Group{ID: p.GroupID}))
	today := s.today(p)
	expiring, err := s.ExpiringContracts(ctx, mallID, today)
	if err != nil {
		return 0, err
	}
	vacant, err := s.VacantUnits(ctx, mallID, today, VacantAlertDays)
	if err != nil {
		return 0, err
	}
	ns := AlertNotices(mallID, s.tenantNames(ctx, expiring), expiring, vacant)
	var raised int
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if raised, err = s.notify(ctx, tx, ns); err != nil {
			return err
		}
		return tenantExpiryTx(ctx, tx, p, expiring)
	})
	return raised, err
}

func (s *Service) notify(ctx context.Context, tx pgx.Tx, ns []notices.Notice) (int, error) {
	raised := 0
	for _, n := range ns {
		ok, err := s.notices.Notify(ctx, tx, n)
		if err != nil {
			return raised, err
		}
		if ok {
			raised++
		}
	}
	return raised, nil
}

// tenantExpiryTx tells each tenant of its contract's expiry, once per band (90, 60, 30
// days), through the notify outbox in the alerts' transaction (contract_expiring, a
// contract message: it cannot be turned off).
func tenantExpiryTx(ctx context.Context, tx pgx.Tx, p org.Place, expiring []ExpiryAlert) error {
	for _, a := range expiring {
		_, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: p.GroupID, MallID: p.MallID,
			Kind: notify.ContractExpiring, RecipientKind: notify.ToTenant, RecipientID: a.MerchantID,
			Payload:   map[string]string{"end": a.End.String(), "days": strconv.Itoa(a.DaysLeft)},
			DedupeKey: fmt.Sprintf("lease.expiring:%s:%d", a.ContractID, a.Band)})
		if err != nil {
			return err
		}
	}
	return nil
}

// tenantNames names the merchants of the alerts (a merchant that cannot be read keeps
// its id in the text).
func (s *Service) tenantNames(ctx context.Context, as []ExpiryAlert) map[uuid.UUID]string {
	names := map[uuid.UUID]string{}
	for _, a := range as {
		if p, err := s.org.MerchantPlace(ctx, nil, a.MerchantID); err == nil {
			names[a.MerchantID] = p.Name
		}
	}
	return names
}

// AlertNotices are the notices of a mall's alerts, for leasing staff, with the keys that
// make each one once: per contract and band, per unit and the day its vacancy began.
func AlertNotices(mallID uuid.UUID, tenants map[uuid.UUID]string, expiring []ExpiryAlert, vacant []LongVacantUnit) []notices.Notice {
	out := make([]notices.Notice, 0, len(expiring)+len(vacant))
	for _, a := range expiring {
		name := tenants[a.MerchantID]
		if name == "" {
			name = a.MerchantID.String()
		}
		out = append(out, notices.Notice{MallID: mallID, Audience: auth.RoleLeasing, Kind: KindContractExpiring,
			SubjectID: a.ContractID, DedupeKey: fmt.Sprintf("lease-expiring:%s:%d", a.ContractID, a.Band),
			Text: fmt.Sprintf("%s's contract ends on %s, in %d days, with no renewal", name, a.End, a.DaysLeft)})
	}
	for _, u := range vacant {
		out = append(out, notices.Notice{MallID: mallID, Audience: auth.RoleLeasing, Kind: KindUnitVacant,
			SubjectID: u.UnitID, DedupeKey: fmt.Sprintf("unit-vacant:%s:%s", u.UnitID, u.VacantSince),
			Text: fmt.Sprintf("unit %s has been vacant since %s (%d days)", u.Code, u.VacantSince, u.DaysVacant)})
	}
	return out
}
