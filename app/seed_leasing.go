package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
)

// seedLeasing gives the demo mall a leasing floor (issue 12): thirty units on L2 and six
// contracts in different states, dated from today — COFFEE on 保底+扣点 (active), BOOKS
// with a two-month rent-free period on two units (active), FASHION expiring in 45 days,
// a draft, a submitted contract above FINANCE's limit, and a terminated one. Contracts
// are prepared by a leasing clerk and approved by a finance officer (never the same
// person), as staff would. It runs once: a mall that has units is left alone.
func (a *App) seedLeasing(ctx context.Context, _, mall uuid.UUID) error {
	lease := a.Services.Leasing
	clerk := auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleLeasing, Level: auth.LevelMall, ScopeID: mall}}})
	existing, err := lease.Units(clerk, mall, "", page.Request{First: 1})
	if err != nil || len(existing.Items) > 0 {
		return err
	}
	units, err := a.seedUnits(clerk, mall)
	if err != nil {
		return err
	}
	s := leaseSeeder{a: a, mall: mall, clerk: clerk, units: units,
		today: schedule.DateOf(time.Now().In(a.Services.Org.Zones().Of("Asia/Shanghai"))),
		finance: auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
			Grants: []auth.Grant{{Role: auth.RoleFinance, Level: auth.LevelMall, ScopeID: mall}}})}
	if err := s.contracts(); err != nil {
		return fmt.Errorf("demo leasing: %w", err)
	}
	return nil
}

// seedUnits creates L2-01..L2-30: shops, then kiosks, an ad space, storage and parking.
func (a *App) seedUnits(ctx context.Context, mall uuid.UUID) ([]leasing.Unit, error) {
	var out []leasing.Unit
	for i := 1; i <= 30; i++ {
		kind, area := leasing.KindShop, decimal.NewFromInt(int64(60+i*7%90))
		switch {
		case i > 26:
			kind, area = leasing.KindParking, decimal.NewFromInt(12)
		case i > 24:
			kind, area = leasing.KindStorage, decimal.NewFromInt(20)
		case i == 24:
			kind, area = leasing.KindAdSpace, decimal.NewFromInt(8)
		case i > 20:
			kind, area = leasing.KindKiosk, decimal.NewFromInt(6)
		}
		u, err := a.Services.Leasing.CreateUnit(ctx, leasing.UnitInput{MallID: mall, Code: fmt.Sprintf("L2-%02d", i),
			Kind: kind, Floor: "L2", Zone: string(rune('A' + (i-1)/10)), GrossArea: area.Mul(decimal.RequireFromString("1.15")).Round(2),
			LettableArea: area, OffMarket: i == 30})
		if err != nil {
			return nil, fmt.Errorf("demo unit %d: %w", i, err)
		}
		out = append(out, u)
	}
	return out, nil
}

type leaseSeeder struct {
	a              *App
	mall           uuid.UUID
	clerk, finance context.Context
	units          []leasing.Unit
	today          schedule.Date
}

// monthly is terms from start for years at rent per m² per month, a management fee and
// three months' deposit, billed monthly in advance on the 5th.
func monthly(start schedule.Date, years int, perM2 string) schedule.Terms {
	return schedule.Terms{Start: start, End: start.AddYears(years).AddDays(-1),
		Rent:          schedule.Rent{Basis: schedule.RentPerM2Monthly, Amount: decimal.RequireFromString(perM2)},
		ManagementFee: decimal.RequireFromString("25"), Deposit: decimal.RequireFromString("30000"),
		Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5},
		LateFee: schedule.LateFee{RatePerDay: decimal.RequireFromString("0.0005"), GraceDays: 5, CapPercent: decimal.NewFromInt(20)}}
}

func firstOfMonth(d schedule.Date, months int) schedule.Date {
	return schedule.D(d.Year(), d.Month()+time.Month(months), 1)
}

func (s leaseSeeder) contracts() error {
	coffee := monthly(firstOfMonth(s.today, -6), 3, "320")
	coffee.PercentRent = &schedule.PercentRent{Rate: decimal.RequireFromString("0.08"), Mode: schedule.PctGuaranteedMinimum}
	books := monthly(firstOfMonth(s.today, -1), 5, "180")
	books.Abatements = []schedule.Abatement{{Kind: schedule.AbateRentFree, Charge: schedule.CodeRent,
		From: books.Start, To: firstOfMonth(books.Start, 2).AddDays(-1), Percent: decimal.NewFromInt(100)}}
	fashion := monthly(s.today.AddDays(45).AddYears(-2).AddDays(1), 2, "260")
	big := monthly(firstOfMonth(s.today, 2), 10, "900")
	closed := monthly(firstOfMonth(s.today, -12), 3, "210")
	steps := []struct {
		tenant string
		units  []int
		terms  schedule.Terms
		upTo   leasing.Status
	}{
		{"COFFEE", []int{0}, coffee, leasing.StatusSigned},
		{"BOOKS", []int{1, 2}, books, leasing.StatusSigned},
		{"FASHION", []int{3}, fashion, leasing.StatusSigned},
		{"NOODLES", []int{4}, monthly(firstOfMonth(s.today, 3), 3, "240"), leasing.StatusDraft},
		{"SPORTS", []int{5, 6, 7}, big, leasing.StatusSubmitted},
		{"TOYS", []int{8}, closed, leasing.StatusTerminated},
	}
	for _, st := range steps {
		if err := s.contract(st.tenant, st.units, st.terms, st.upTo); err != nil {
			return fmt.Errorf("%s: %w", st.tenant, err)
		}
	}
	return nil
}

// contract creates a contract (with its tenant when the mall has no such merchant) and
// takes it through the workflow up to status.
func (s leaseSeeder) contract(tenant string, units []int, t schedule.Terms, upTo leasing.Status) error {
	in := leasing.ContractInput{MallID: s.mall, Terms: t}
	for _, i := range units {
		in.UnitIDs = append(in.UnitIDs, s.units[i].ID)
	}
	m, err := s.a.Services.Org.MerchantByCode(s.clerk, s.mall, tenant)
	switch {
	case err == nil:
		in.MerchantID = m.ID
	case errors.Is(err, errs.ErrNotFound):
		in.NewMerchant = &org.CreateMerchantInput{Code: tenant, Name: tenant[:1] + strings.ToLower(tenant[1:]), Category: "retail"}
	default:
		return err
	}
	c, err := s.a.Services.Leasing.CreateContract(s.clerk, in)
	if err != nil || upTo == leasing.StatusDraft {
		return err
	}
	if _, err := s.a.Services.Leasing.Submit(s.clerk, c.ID); err != nil || upTo == leasing.StatusSubmitted {
		return err
	}
	if _, _, err := s.a.Services.Leasing.Approve(s.finance, c.ID, "demo"); err != nil {
		return err
	}
	if err := s.sign(c.ID); err != nil {
		return err
	}
	if upTo == leasing.StatusTerminated {
		_, _, err = s.a.Services.Leasing.Terminate(s.clerk, c.ID, s.today.AddDays(-20), "tenant moved out (demo)")
	}
	return err
}

// sign uploads a stand-in PDF and records it.
func (s leaseSeeder) sign(id uuid.UUID) error {
	up, err := s.a.Services.Leasing.RequestSignedUpload(s.clerk, id)
	if err != nil {
		return err
	}
	pdf := []byte("%PDF-1.4\n% demo signed contract\n")
	if err := s.a.Objects.Put(s.clerk, up.Key, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf"); err != nil {
		return err
	}
	_, err = s.a.Services.Leasing.Sign(s.clerk, id, up.Key)
	return err
}
