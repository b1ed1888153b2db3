package billing

import (
	"cmp"
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// Source says where a bill line comes from.
type Source string

// The line sources.
const (
	SourceSchedule Source = "schedule" // a frozen line of the contract's charge schedule (leasing)
	SourceOneOff   Source = "one_off"  // a one-off charge entered by finance
	SourceEnergy   Source = "energy"   // an energy line (EnergySource)
)

// Charge is one thing to bill, tax-inclusive, before it is split and grouped.
// (ContractID, Source, SourceKey) is its identity: a line is billed once.
type Charge struct {
	ContractID, MerchantID uuid.UUID
	Source                 Source
	SourceKey              string
	Code, Of               string // Of: the charge an ADJUSTMENT corrects
	Period                 schedule.Period
	Due                    schedule.Date
	Gross                  decimal.Decimal
	Basis                  string
}

// DraftLine is a charge split at its code's VAT rate.
type DraftLine struct {
	Charge
	Rate, Net, VAT decimal.Decimal
}

// Draft is what one run bills one merchant: its lines and their totals.
type Draft struct {
	MerchantID      uuid.UUID
	Lines           []DraftLine
	Net, VAT, Gross decimal.Decimal
	Due             schedule.Date // the earliest line's
}

// ErrUnknownCode is a charge whose code has no VAT rate at the mall.
var ErrUnknownCode = errs.New(errs.KindUser, "UNKNOWN_CHARGE_CODE", "the charge code has no VAT rate at this mall")

// Group is the grouping rule of a run: one bill per merchant (tenant) whatever the
// number of its contracts; each charge becomes a line split at its code's rate
// (Split); bills come in merchant id order, lines in due date, code and period order.
// A charge whose code has no rate fails the whole group (ErrUnknownCode).
func Group(charges []Charge, r Rates) ([]Draft, error) {
	at := map[uuid.UUID]int{}
	var out []Draft
	for _, c := range charges {
		rate, ok := r.Of(c.Code, c.Of)
		if !ok {
			return nil, ErrUnknownCode.Msgf("charge code %s has no VAT rate at this mall", c.Code)
		}
		i, ok := at[c.MerchantID]
		if !ok {
			i = len(out)
			at[c.MerchantID] = i
			out = append(out, Draft{MerchantID: c.MerchantID, Due: c.Due})
		}
		net, vat := Split(c.Gross, rate)
		d := &out[i]
		d.Lines = append(d.Lines, DraftLine{Charge: c, Rate: rate, Net: net, VAT: vat})
		d.Net, d.VAT, d.Gross = d.Net.Add(net), d.VAT.Add(vat), d.Gross.Add(c.Gross)
		if c.Due.Before(d.Due) {
			d.Due = c.Due
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i].Lines, func(a, b DraftLine) int {
			if c := a.Due.Sub(b.Due); c != 0 {
				return c
			}
			if c := cmp.Compare(a.Code, b.Code); c != 0 {
				return c
			}
			return a.Period.Start.Sub(b.Period.Start)
		})
	}
	slices.SortFunc(out, func(a, b Draft) int { return slices.Compare(a.MerchantID[:], b.MerchantID[:]) })
	return out, nil
}

// scheduleCharge is a frozen schedule line of a contract as a charge.
func scheduleCharge(c leasing.BillableContract, l leasing.FrozenLine) Charge {
	return Charge{ContractID: c.ID, MerchantID: c.MerchantID, Source: SourceSchedule, SourceKey: l.Key(),
		Code: string(l.Code), Of: string(l.Of), Period: l.Period, Due: l.DueDate, Gross: l.Amount, Basis: l.Basis}
}

// EnergySource is the seam of energy billing: the step of a run that turns the
// consumption of the units of a batch's contracts in the period into energy charges
// (code ENERGY, one per unit and meter or tariff band, each with a SourceKey unique in
// its contract and period, e.g. "ENERGY|<unit>|<period>|<band>"), read in the batch's
// transaction. Metered (energy.go) is the implementation: the units' meters × the
// mall's tariffs, by the pure energy package.
type EnergySource interface {
	EnergyCharges(ctx context.Context, tx pgx.Tx, mallID uuid.UUID, period schedule.Period,
		contracts []leasing.BillableContract) ([]Charge, error)
}
