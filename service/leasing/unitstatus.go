package leasing

import (
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// UnitState is a unit's status on a date, derived from the contracts that hold it.
type UnitState string

// The unit states.
const (
	UnitVacant    UnitState = "vacant"
	UnitReserved  UnitState = "reserved" // an approved or signed contract holds it from a later day
	UnitFitOut    UnitState = "fit_out"  // held, inside a fit-out abatement of the contract
	UnitLeased    UnitState = "leased"
	UnitOffMarket UnitState = "off_market"
)

// Hold is one contract holding a unit From..To (both included).
type Hold struct {
	UnitID     uuid.UUID
	ContractID uuid.UUID
	MerchantID uuid.UUID
	From, To   schedule.Date
	FitOut     []schedule.Period // the fit-out abatements of the contract's terms
}

// UnitStatus derives a unit's status on a date: a hold covering the day makes it LEASED
// (FIT_OUT inside a fit-out period); else a hold starting later makes it RESERVED; else
// it is OFF_MARKET when taken off the market, VACANT otherwise. It also returns the
// current hold, if any.
func UnitStatus(offMarket bool, holds []Hold, on schedule.Date) (UnitState, *Hold) {
	reserved := false
	for i, h := range holds {
		if (schedule.Period{Start: h.From, End: h.To}).Contains(on) {
			return fitOutOr(h, on), &holds[i]
		}
		reserved = reserved || h.From.After(on)
	}
	switch {
	case reserved:
		return UnitReserved, nil
	case offMarket:
		return UnitOffMarket, nil
	}
	return UnitVacant, nil
}

func fitOutOr(h Hold, on schedule.Date) UnitState {
	for _, p := range h.FitOut {
		if p.Contains(on) {
			return UnitFitOut
		}
	}
	return UnitLeased
}

// VacantSince is the first day of the vacancy a unit is in on a date: the day after the
// last hold that ended before it, or since when none did (the unit's creation).
func VacantSince(holds []Hold, on, since schedule.Date) schedule.Date {
	for _, h := range holds {
		if h.To.Before(on) && !h.To.Before(since) {
			since = h.To.AddDays(1)
		}
	}
	return since
}

// fitOutOf lists the fit-out abatements of terms.
func fitOutOf(t schedule.Terms) []schedule.Period {
	var out []schedule.Period
	for _, a := range t.Abatements {
		if a.Kind == schedule.AbateFitOut {
			out = append(out, schedule.Period{Start: a.From, End: a.To})
		}
	}
	return out
}
