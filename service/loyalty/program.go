package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Program is a group's loyalty settings; a group without a row gets the defaults.
type Program struct {
	GroupID           uuid.UUID
	TierBasis         string // spend | points
	TierWindowDays    int
	PointsExpiryDays  int
	ReturnWindowDays  int
	PointValue        decimal.Decimal // yuan per point when points pay
	TransferMax       int
	TransferDailyMax  int
	ReferralPoints    int
	ReferralMinAmount decimal.Decimal
}

// Tier is a membership level with its threshold and benefits.
type Tier struct {
	ID               uuid.UUID
	GroupID          uuid.UUID
	Code             string
	Name             string
	Rank             int
	Threshold        decimal.Decimal
	DiscountRate     decimal.Decimal // 0.9500 = 5% off
	PointsMultiplier decimal.Decimal
}

// canConfigure lets admins and member operations staff of the group change settings.
func canConfigure(ctx context.Context, groupID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return errs.ErrUnauthenticated
	}
	if !v.Can(auth.OrgRef{GroupID: groupID}, auth.RoleAdmin, auth.RoleMemberOps) {
		return errs.ErrForbidden
	}
	return nil
}

// SetProgram stores a group's loyalty settings.
func (s *Service) SetProgram(ctx context.Context, p Program) error {
	if err := canConfigure(ctx, p.GroupID); err != nil {
		return err
	}
	if p.TierBasis != "spend" && p.TierBasis != "points" {
		return errs.Invalid("input.tierBasis", "tier basis must be spend or points")
	}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO loyalty_programs (group_id, tier_basis, tier_window_days,
			points_expiry_days, return_window_days, point_value, transfer_max, transfer_daily_max, referral_points,
			referral_min_amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (group_id) DO UPDATE SET tier_basis = $2, tier_window_days = $3, points_expiry_days = $4,
			return_window_days = $5, point_value = $6, transfer_max = $7, transfer_daily_max = $8,
			referral_points = $9, referral_min_amount = $10`,
		p.GroupID, p.TierBasis, p.TierWindowDays, p.PointsExpiryDays, p.ReturnWindowDays, p.PointValue,
		p.TransferMax, p.TransferDailyMax, p.ReferralPoints, p.ReferralMinAmount)
	if errors.Is(storage.MapError(err), storage.ErrCheck) {
		return errs.Invalid("input", "a setting is out of range")
	}
	return err
}

// program loads a group's settings (defaults when it has none).
func program(ctx context.Context, q storage.Querier, groupID uuid.UUID) (Program, error) {
	p := Program{GroupID: groupID, TierBasis: "spend", TierWindowDays: 365, PointsExpiryDays: 365,
		PointValue: decimal.RequireFromString("0.01"), TransferMax: 1000, TransferDailyMax: 5000}
	err := q.QueryRow(ctx, `SELECT tier_basis, tier_window_days, points_expiry_days, return_window_days, point_value,
			transfer_max, transfer_daily_max, referral_points, referral_min_amount
		FROM loyalty_programs WHERE group_id = $1`, groupID).Scan(&p.TierBasis, &p.TierWindowDays,
		&p.PointsExpiryDays, &p.ReturnWindowDays, &p.PointValue, &p.TransferMax, &p.TransferDailyMax,
		&p.ReferralPoints, &p.ReferralMinAmount)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, nil
	}
	return p, err
}

// AddTier adds a tier to a group.
func (s *Service) AddTier(ctx context.Context, t Tier) (Tier, error) {
	if err := canConfigure(ctx, t.GroupID); err != nil {
		return t, err
	}
	if err := money("input.threshold", t.Threshold, false); err != nil {
		return t, err
	}
	if !t.DiscountRate.IsPositive() || t.DiscountRate.GreaterThan(decimal.NewFromInt(1)) {
		return t, errs.Invalid("input.discountRate", "discount rate must be in (0, 1]")
	}
	t.ID = service.NewID()
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO loyalty_tiers (id, group_id, code, name, rank, threshold,
		discount_rate, points_multiplier) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.GroupID, t.Code, t.Name, t.Rank, t.Threshold, t.DiscountRate, t.PointsMultiplier)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return t, errs.Invalid("input.rank", "the group already has a tier with that rank or code")
	}
	return t, storage.MapError(err)
}

// Tiers lists a group's tiers, lowest rank first.
func (s *Service) Tiers(ctx context.Context, groupID uuid.UUID) ([]Tier, error) {
	return tiers(ctx, s.db.Pool, groupID)
}

func tiers(ctx context.Context, q storage.Querier, groupID uuid.UUID) ([]Tier, error) {
	rows, err := q.Query(ctx, `SELECT id, group_id, code, name, rank, threshold, discount_rate, points_multiplier
		FROM loyalty_tiers WHERE group_id = $1 ORDER BY rank`, groupID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Tier, error) {
		var t Tier
		return t, r.Scan(&t.ID, &t.GroupID, &t.Code, &t.Name, &t.Rank, &t.Threshold, &t.DiscountRate, &t.PointsMultiplier)
	})
}
