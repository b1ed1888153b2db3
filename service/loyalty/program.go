package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
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
	return access.At(ctx, auth.OrgRef{GroupID: groupID}, auth.RoleAdmin, auth.RoleMemberOps)
}

// SetProgram stores a group's loyalty settings.
func (s *Service) SetProgram(ctx context.Context, p Program) error {
	if err := canConfigure(ctx, p.GroupID); err != nil {
		return err
	}
	if p.TierBasis != "spend" && p.TierBasis != "points" {
		return errs.Invalid("input.tierBasis", "tier basis must be spend or points")
	}
	err := queries.New(s.db.Pool).UpsertProgram(ctx, queries.UpsertProgramParams{GroupID: p.GroupID,
		TierBasis: p.TierBasis, TierWindowDays: int32(p.TierWindowDays), PointsExpiryDays: int32(p.PointsExpiryDays),
		ReturnWindowDays: int32(p.ReturnWindowDays), PointValue: p.PointValue, TransferMax: int32(p.TransferMax),
		TransferDailyMax: int32(p.TransferDailyMax), ReferralPoints: int32(p.ReferralPoints),
		ReferralMinAmount: p.ReferralMinAmount})
	if errors.Is(storage.MapError(err), storage.ErrCheck) {
		return errs.Invalid("input", "a setting is out of range")
	}
	return err
}

// program loads a group's settings (defaults when it has none).
func program(ctx context.Context, q queries.DBTX, groupID uuid.UUID) (Program, error) {
	r, err := queries.New(q).Program(ctx, groupID)
	if errors.Is(err, pgx.ErrNoRows) {
		return defaultProgram(groupID), nil
	}
	return Program{GroupID: groupID, TierBasis: r.TierBasis, TierWindowDays: int(r.TierWindowDays),
		PointsExpiryDays: int(r.PointsExpiryDays), ReturnWindowDays: int(r.ReturnWindowDays), PointValue: r.PointValue,
		TransferMax: int(r.TransferMax), TransferDailyMax: int(r.TransferDailyMax), ReferralPoints: int(r.ReferralPoints),
		ReferralMinAmount: r.ReferralMinAmount}, err
}

// defaultProgram is the settings of a group that has not set its own.
func defaultProgram(groupID uuid.UUID) Program {
	return Program{GroupID: groupID, TierBasis: "spend", TierWindowDays: 365, PointsExpiryDays: 365,
		PointValue: decimal.RequireFromString("0.01"), TransferMax: 1000, TransferDailyMax: 5000}
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
	err := queries.New(s.db.Pool).InsertTier(ctx, queries.InsertTierParams{ID: t.ID, GroupID: t.GroupID, Code: t.Code,
		Name: t.Name, Rank: int32(t.Rank), Threshold: t.Threshold, DiscountRate: t.DiscountRate,
		PointsMultiplier: t.PointsMultiplier})
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return t, errs.Invalid("input.rank", "the group already has a tier with that rank or code")
	}
	return t, storage.MapError(err)
}

// Tiers lists a group's tiers, lowest rank first.
func (s *Service) Tiers(ctx context.Context, groupID uuid.UUID) ([]Tier, error) {
	return tiers(ctx, s.db.Pool, groupID)
}

func tiers(ctx context.Context, q queries.DBTX, groupID uuid.UUID) ([]Tier, error) {
	rows, err := queries.New(q).TiersOf(ctx, groupID)
	if err != nil {
		return nil, err
	}
	out := make([]Tier, len(rows))
	for i, r := range rows {
		out[i] = tierOf(r)
	}
	return out, nil
}

// tierOf maps a tier row.
func tierOf(r queries.LoyaltyTier) Tier {
	return Tier{ID: r.ID, GroupID: r.GroupID, Code: r.Code, Name: r.Name, Rank: int(r.Rank), Threshold: r.Threshold,
		DiscountRate: r.DiscountRate, PointsMultiplier: r.PointsMultiplier}
}
