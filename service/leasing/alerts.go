package leasing

import (
	"time"

	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// ExpiryBands are the days before a contract's end at which leasing staff are alerted.
var ExpiryBands = []int{30, 60, 90}

// Ending is a running contract's end and whether a renewal is on the way (a renewal
// version in any status, or a successor contract on one of its units).
type Ending struct {
	ContractID uuid.UUID
	MerchantID uuid.UUID
	End        schedule.Date
	Renewed    bool
}

// ExpiryAlert is a contract ending within a band without a renewal.
type ExpiryAlert struct {
	ContractID uuid.UUID
	MerchantID uuid.UUID
	End        schedule.Date
	DaysLeft   int
	Band       int // 30, 60 or 90: the smallest band the days left fall in
}

// ExpiryAlerts is the expiry rule: a contract without a renewal whose end is at most 90
// days away (and not past) is alerted in the smallest of the 30/60/90-day bands its days
// left fall in, so a notifier can alert once per band.
func ExpiryAlerts(contracts []Ending, today schedule.Date) []ExpiryAlert {
	var out []ExpiryAlert
	for _, c := range contracts {
		left := c.End.Sub(today)
		if c.Renewed || left < 0 {
			continue
		}
		for _, band := range ExpiryBands {
			if left <= band {
				out = append(out, ExpiryAlert{ContractID: c.ContractID, MerchantID: c.MerchantID, End: c.End,
					DaysLeft: left, Band: band})
				break
			}
		}
	}
	return out
}

// VacancyOf is a unit's state and the first day of its vacancy.
type VacancyOf struct {
	UnitID      uuid.UUID
	Code        string
	Status      UnitState
	VacantSince schedule.Date
}

// LongVacantUnit is a unit vacant for more than the threshold.
type LongVacantUnit struct {
	VacancyOf
	DaysVacant int
}

// LongVacant is the vacancy rule: VACANT units (not off the market, not reserved) whose
// vacancy has lasted more than days.
func LongVacant(units []VacancyOf, today schedule.Date, days int) []LongVacantUnit {
	var out []LongVacantUnit
	for _, u := range units {
		if u.Status != UnitVacant {
			continue
		}
		if n := today.Sub(u.VacantSince); n > days {
			out = append(out, LongVacantUnit{VacancyOf: u, DaysVacant: n})
		}
	}
	return out
}

// ExpiringContracts returns the alerts of a mall's running contracts on a date: leasing
// staff of the mall (the notifications job runs as the group's system viewer).
func (s *Service) ExpiringContracts(ctx context.Context, mallID uuid.UUID, on schedule.Date) ([]ExpiryAlert, error) {
	p, err := s.mallAt(ctx, mallID, staffRoles...)
	if err != nil {
		return nil, err
	}
	last := ExpiryBands[len(ExpiryBands)-1]
	rows, err := queries.New(s.db.Pool).EndingOfMall(ctx, queries.EndingOfMallParams{GroupID: p.GroupID,
		MallID: mallID, FromOn: timeOf(on), ToOn: timeOf(on.AddDays(last))})
	if err != nil {
		return nil, err
	}
	endings := make([]Ending, len(rows))
	for i, r := range rows {
		endings[i] = Ending{ContractID: r.ID, MerchantID: r.MerchantID, End: dateOf(r.EndOn), Renewed: r.Renewed}
	}
	return ExpiryAlerts(endings, on), nil
}

// VacantUnits returns a mall's units vacant on a date for more than days: leasing staff.
func (s *Service) VacantUnits(ctx context.Context, mallID uuid.UUID, on schedule.Date, days int) ([]LongVacantUnit, error) {
	p, err := s.mallAt(ctx, mallID, staffRoles...)
	if err != nil {
		return nil, err
	}
	units, err := s.allUnits(ctx, p, "", on)
	if err != nil {
		return nil, err
	}
	vs := make([]VacancyOf, len(units))
	for i, u := range units {
		vs[i] = VacancyOf{UnitID: u.ID, Code: u.Code, Status: u.Status, VacantSince: u.VacantSince}
	}
	return LongVacant(vs, on, days), nil
}

// TenantsIn lists the merchants holding a lease at the mall on some day from from to to
// (civil dates at midnight UTC). It checks no viewer: it serves jobs and services that
// have authorized their caller (the sales alerts: tenants are due to report sales).
func (s *Service) TenantsIn(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]uuid.UUID, error) {
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return nil, err
	}
	return queries.New(s.db.Pool).TenantsHolding(ctx, queries.TenantsHoldingParams{GroupID: p.GroupID, MallID: mallID,
		FromOn: timeOf(dateOf(from)), ToOn: timeOf(dateOf(to))})
}
