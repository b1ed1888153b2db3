package sales

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/sales/internal/queries"
)

// Notice kinds raised by the sales alerts.
const (
	KindUnreported = "sales_unreported"
	KindGap        = "sales_gap"
)

// Leases says which merchants held a lease at a mall during a period: the leasing
// context (leasing.Service.TenantsIn), read without a viewer by the jobs and bases that
// authorized their caller already.
type Leases interface {
	TenantsIn(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]uuid.UUID, error)
}

// ReportingMerchants are the merchants of a mall due to report the sales of the month
// starting on first: those holding a lease in that month, and any other that has
// reported sales before (it shows in the month's bases, reported or not).
func (s *Service) ReportingMerchants(ctx context.Context, group, mall uuid.UUID, first time.Time) ([]uuid.UUID, error) {
	ids, err := queries.New(s.db.Pool).MerchantsWithSales(ctx, group, mall)
	if err != nil {
		return nil, fmt.Errorf("sales: merchants with sales: %w", err)
	}
	tenants, err := s.leases.TenantsIn(ctx, mall, first, first.AddDate(0, 1, -1))
	if err != nil {
		return nil, err
	}
	for _, id := range tenants {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// DueDate is the day (midnight UTC) by which the month starting on first must be
// reported: dueDay of the next month.
func DueDate(first time.Time, dueDay int) time.Time {
	return time.Date(first.Year(), first.Month()+1, dueDay, 0, 0, 0, 0, time.UTC)
}

// AlertMonth is the month (its 1st) the alerts of today check: the previous month,
// once its due day has come; ok is false before that.
func AlertMonth(today time.Time, dueDay int) (time.Time, bool) {
	prev := firstOfMonth(today).AddDate(0, -1, 0)
	return prev, !today.Before(DueDate(prev, dueDay))
}

// Alerts is the daily job of one mall (run without a viewer): once the previous
// month's due day has come, every reporting merchant that declared nothing for it, and
// every merchant whose declared and verified sales differ beyond the mall's threshold,
// becomes a notice for the mall's leasing staff. Each is notified once per merchant
// and month (a rerun, the next day's run included, adds nothing). It returns the
// number of notices raised now.
func (s *Service) Alerts(ctx context.Context, mallID uuid.UUID, now time.Time) (int, error) {
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return 0, err
	}
	st, err := s.settings(ctx, p.GroupID, mallID)
	if err != nil {
		return 0, err
	}
	month, due := AlertMonth(today(now, p.Loc), st.DueDay)
	if !due {
		return 0, nil
	}
	bases, err := s.bases(ctx, p, month, nil)
	if err != nil {
		return 0, err
	}
	return s.notifyBases(ctx, mallID, bases)
}

// notifyBases raises the notices of a month's bases.
func (s *Service) notifyBases(ctx context.Context, mallID uuid.UUID, bases []Base) (int, error) {
	raised := 0
	for _, b := range bases {
		for _, n := range alertsOf(mallID, b) {
			ok, err := s.notices.Notify(ctx, nil, n)
			if err != nil {
				return raised, err
			}
			if ok {
				raised++
			}
		}
	}
	return raised, nil
}

// alertsOf lists the notices one merchant's month calls for (pure).
func alertsOf(mallID uuid.UUID, b Base) []notices.Notice {
	month := b.Month.Format("2006-01")
	var out []notices.Notice
	if b.DeclaredBy == DeclaredByNone {
		out = append(out, notices.Notice{MallID: mallID, Audience: auth.RoleLeasing, Kind: KindUnreported,
			SubjectID: b.MerchantID, DedupeKey: "sales-unreported:" + b.MerchantID.String() + ":" + month,
			Text: fmt.Sprintf("%s (%s) has not reported its sales of %s", b.MerchantName, b.MerchantCode, month)})
	}
	if b.Gap.Flagged {
		out = append(out, notices.Notice{MallID: mallID, Audience: auth.RoleLeasing, Kind: KindGap,
			SubjectID: b.MerchantID, DedupeKey: "sales-gap:" + b.MerchantID.String() + ":" + month,
			Text: fmt.Sprintf("%s (%s), %s: declared %s, verified %s (gap %s%s)", b.MerchantName, b.MerchantCode,
				month, b.Declared.StringFixed(2), b.Verified.StringFixed(2), b.Gap.Amount.StringFixed(2), pctText(b.Gap))})
	}
	return out
}

func pctText(g Gap) string {
	if g.Percent == nil {
		return ""
	}
	return ", " + g.Percent.StringFixed(2) + " %"
}

// placeOf is a mall's place (for the jobs' fan-out, which runs per mall).
func (s *Service) placeOf(ctx context.Context, mallID uuid.UUID) (org.Place, error) {
	return s.org.MallPlace(ctx, nil, mallID)
}

// Malls lists every mall (the alerts job runs once per mall and day) with its local
// day at now (midnight UTC).
func (s *Service) Malls(ctx context.Context, now time.Time) (map[uuid.UUID]time.Time, error) {
	ids, err := s.org.MallIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]time.Time, len(ids))
	for _, id := range ids {
		p, err := s.placeOf(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = today(now, p.Loc)
	}
	return out, nil
}
