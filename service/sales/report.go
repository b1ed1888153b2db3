package sales

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/sales/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// ReportInput is one report: a day's sales (Period day, Day the day) or a month's
// declaration (Period month, Day any day of the month).
type ReportInput struct {
	MerchantID uuid.UUID
	Period     Period
	Day        time.Time // a calendar day, midnight UTC
	Amount     decimal.Decimal
}

// Report records a day's sales or a month's declaration for a merchant, replacing an
// earlier report of the same day or month. The merchant's tenant or leasing, finance
// or admin staff of its mall; not for a day or month to come, nor on or before the
// day the merchant's sales are closed through.
func (s *Service) Report(ctx context.Context, in ReportInput) (Sale, error) {
	p, src, err := s.atMerchant(ctx, in.MerchantID)
	if err != nil {
		return Sale{}, err
	}
	if e := CheckAmount(in.Amount); e != nil {
		return Sale{}, e.At("input", "amount")
	}
	start, err := reportStart(in, today(s.now(), p.Loc))
	if err != nil {
		return Sale{}, err
	}
	var out Sale
	err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		if err := s.checkOpen(ctx, tx, p, start); err != nil {
			return err
		}
		row, err := queries.New(tx).UpsertSale(ctx, queries.UpsertSaleParams{ID: service.NewID(), GroupID: p.GroupID,
			MallID: p.MallID, MerchantID: p.MerchantID, Period: string(in.Period), Day: start, Amount: in.Amount,
			Source: string(src), ReportedBy: viewerID(ctx), ReportedAt: s.now()})
		out = saleOf(row)
		return err
	})
	return out, err
}

// reportStart is the first day of what in reports, checked against today.
func reportStart(in ReportInput, today time.Time) (time.Time, error) {
	switch in.Period {
	case PeriodDay:
		if e := CheckDay(in.Day, today); e != nil {
			return time.Time{}, e.At("input", "day")
		}
		return in.Day, nil
	case PeriodMonth:
		first := firstOfMonth(in.Day)
		if e := CheckDay(first, today); e != nil {
			return time.Time{}, ErrFutureDay.Msgf("the month has not begun").At("input", "month")
		}
		return first, nil
	}
	return time.Time{}, errs.Invalid("input.period", "give a day or a month")
}

// checkOpen refuses a report dated on or before the merchant's closing.
func (s *Service) checkOpen(ctx context.Context, q storage.Querier, p org.Place, day time.Time) error {
	closed, err := s.closings(ctx, q, p.GroupID, p.MallID, []uuid.UUID{p.MerchantID})
	if err != nil {
		return err
	}
	if c, ok := closed[p.MerchantID]; ok && !day.After(c) {
		return ErrPeriodClosed.Msgf("sales are closed through %s", c.Format(time.DateOnly))
	}
	return nil
}

// closings returns the closing day of each of merchants that has one.
func (s *Service) closings(ctx context.Context, q storage.Querier, group, mall uuid.UUID, merchants []uuid.UUID) (map[uuid.UUID]time.Time, error) {
	rows, err := queries.New(q).ClosedThrough(ctx, queries.ClosedThroughParams{GroupID: group, MallID: mall,
		MerchantIds: merchants})
	if err != nil {
		return nil, fmt.Errorf("sales: closings: %w", err)
	}
	out := make(map[uuid.UUID]time.Time, len(rows))
	for _, r := range rows {
		out[r.MerchantID] = r.ClosedThrough
	}
	return out, nil
}

// CloseThrough closes a merchant's sales through day (inclusive): the hook billing's
// rent run calls when it bills a month's percentage rent. A closing never moves back;
// it returns the merchant's closing after the call. Finance and admin staff of the mall.
func (s *Service) CloseThrough(ctx context.Context, merchantID uuid.UUID, day time.Time) (time.Time, error) {
	p, err := s.org.MerchantPlace(ctx, nil, merchantID)
	if err != nil {
		return time.Time{}, err
	}
	if err := access.At(ctx, p.Ref(), closeRoles...); err != nil {
		return time.Time{}, err
	}
	return queries.New(s.db.Pool).CloseThrough(ctx, queries.CloseThroughParams{GroupID: p.GroupID, MallID: p.MallID,
		MerchantID: merchantID, ClosedThrough: day, ClosedBy: viewerID(ctx), ClosedAt: s.now()})
}

// maxRangeDays bounds a listing's range.
const maxRangeDays = 400

// OfMerchant lists a merchant's reports with a start day in [from, to] (at most 400
// days), in day order: its tenant, or leasing, finance and admin staff of its mall.
func (s *Service) OfMerchant(ctx context.Context, merchantID uuid.UUID, from, to time.Time) ([]Sale, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	p, _, err := s.atMerchant(ctx, merchantID)
	if err != nil {
		return nil, err
	}
	return s.ofMerchant(ctx, p, from, to)
}

func (s *Service) ofMerchant(ctx context.Context, p org.Place, from, to time.Time) ([]Sale, error) {
	rows, err := queries.New(s.db.Pool).SalesOfMerchant(ctx, queries.SalesOfMerchantParams{GroupID: p.GroupID,
		MallID: p.MallID, MerchantID: p.MerchantID, FromDay: from, ToDay: to})
	if err != nil {
		return nil, fmt.Errorf("sales: list: %w", err)
	}
	out := make([]Sale, len(rows))
	for i, r := range rows {
		out[i] = saleOf(r)
	}
	return out, nil
}

// checkRange refuses an empty, reversed or too long range.
func checkRange(from, to time.Time) error {
	if to.Before(from) || to.Sub(from) > maxRangeDays*24*time.Hour {
		return errs.Invalid("to", "the range must run forward over at most %d days", maxRangeDays)
	}
	return nil
}

// Mine lists the reports in [from, to] of the merchants the calling tenant belongs to
// (tenant admin or merchant staff grants); FORBIDDEN for anyone else.
func (s *Service) Mine(ctx context.Context, from, to time.Time) ([]Sale, error) {
	v, err := access.Staff(ctx, tenantRoles...)
	if err != nil {
		return nil, err
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	var out []Sale
	for _, id := range tenantMerchants(v) {
		p, err := s.org.MerchantPlace(ctx, nil, id)
		if err != nil {
			continue // a grant over a merchant that is gone covers nothing
		}
		rows, err := s.ofMerchant(ctx, p, from, to)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// tenantMerchants lists the merchants v holds a tenant role over, once each.
func tenantMerchants(v *auth.Viewer) []uuid.UUID {
	var out []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for _, g := range v.Grants {
		if g.Level == auth.LevelMerchant && g.Role.MerchantScoped() && !seen[g.ScopeID] {
			out, seen[g.ScopeID] = append(out, g.ScopeID), true
		}
	}
	return out
}

func saleOf(r queries.TenantSale) Sale {
	return Sale{ID: r.ID, MallID: r.MallID, MerchantID: r.MerchantID, Period: Period(r.Period), Day: r.Day,
		Amount: r.Amount, Source: Source(r.Source), ReportedBy: r.ReportedBy, ReportedAt: r.ReportedAt}
}

// today is the calendar day of now in loc, as midnight UTC.
func today(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// firstOfMonth is the 1st of day's month, midnight UTC.
func firstOfMonth(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
}
