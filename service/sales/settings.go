package sales

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/sales/internal/queries"
)

// Settings are a mall's rules for tenant sales.
type Settings struct {
	// DueDay is the day of the next month by which a month's sales must be reported.
	DueDay int
	// GapThreshold is the share of declared sales by which verified sales may differ,
	// either way, before the month is flagged (0.20: 20 %).
	GapThreshold decimal.Decimal
}

// DefaultSettings are a mall's settings until it sets its own: due on the 5th, 20 %.
func DefaultSettings() Settings {
	return Settings{DueDay: 5, GapThreshold: decimal.RequireFromString("0.20")}
}

// settings reads a mall's settings (the defaults when it has none).
func (s *Service) settings(ctx context.Context, group, mall uuid.UUID) (Settings, error) {
	rows, err := queries.New(s.db.Pool).SalesSettings(ctx, group, mall)
	if err != nil {
		return Settings{}, fmt.Errorf("sales: settings: %w", err)
	}
	if len(rows) == 0 {
		return DefaultSettings(), nil
	}
	return Settings{DueDay: int(rows[0].DueDay), GapThreshold: rows[0].GapThreshold}, nil
}

// MallSettings returns a mall's sales settings: leasing, finance and admin staff.
func (s *Service) MallSettings(ctx context.Context, mallID uuid.UUID) (Settings, error) {
	p, err := s.atMall(ctx, mallID, mallRoles...)
	if err != nil {
		return Settings{}, err
	}
	return s.settings(ctx, p.GroupID, mallID)
}

// SetMallSettings changes a mall's sales settings: admin and finance staff of the mall.
func (s *Service) SetMallSettings(ctx context.Context, mallID uuid.UUID, st Settings) error {
	p, err := s.atMall(ctx, mallID, auth.RoleAdmin, auth.RoleFinance)
	if err != nil {
		return err
	}
	if st.DueDay < 1 || st.DueDay > 28 {
		return errs.Invalid("input.dueDay", "the due day must be between 1 and 28")
	}
	if !st.GapThreshold.IsPositive() || st.GapThreshold.GreaterThan(decimal.NewFromInt(9)) {
		return errs.Invalid("input.gapThreshold", "the threshold must be a share above 0")
	}
	return queries.New(s.db.Pool).UpsertSalesSettings(ctx, queries.UpsertSalesSettingsParams{GroupID: p.GroupID,
		MallID: mallID, DueDay: int32(st.DueDay), GapThreshold: st.GapThreshold.Round(4)})
}
