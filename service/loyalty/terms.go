package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/org"
)

// terms is what a purchase reads of its group's settings and of the paying member, in
// one statement once the card is locked (PurchaseTerms): the programme (program), the
// earn rule for the merchant (earnRule), the member's tier (memberTier, nil: none) and
// the group's tiers, lowest rank first (tiers, for the upgrade).
type terms struct {
	prog  Program
	rule  EarnRule
	tier  *Tier
	tiers []Tier
}

// purchaseTerms reads the terms of a purchase by member at pl.
func purchaseTerms(ctx context.Context, tx pgx.Tx, pl org.Place, member uuid.UUID) (terms, error) {
	rows, err := queries.New(tx).PurchaseTerms(ctx, queries.PurchaseTermsParams{GroupID: pl.GroupID, MemberID: member,
		MerchantID: pl.MerchantID, Category: pl.Category})
	if err != nil {
		return terms{}, err
	}
	if len(rows) == 0 {
		return terms{}, errors.New("purchase terms: no row") // the statement selects from one row
	}
	t := terms{prog: programOfTerms(pl.GroupID, rows[0]), rule: ruleOfTerms(pl.GroupID, rows[0])}
	for _, r := range rows {
		if r.TierID == nil {
			continue
		}
		tier := tierOfTerms(r)
		if tier.GroupID == pl.GroupID {
			t.tiers = append(t.tiers, tier)
		}
		if r.MemberTierID != nil && *r.MemberTierID == tier.ID {
			t.tier = &tier
		}
	}
	return t, nil
}

// programOfTerms is the programme of a terms row (the defaults when the group has none).
func programOfTerms(groupID uuid.UUID, r queries.PurchaseTermsRow) Program {
	if r.TierBasis == nil {
		return defaultProgram(groupID)
	}
	return Program{GroupID: groupID, TierBasis: *r.TierBasis, TierWindowDays: int(*r.TierWindowDays),
		PointsExpiryDays: int(*r.PointsExpiryDays), ReturnWindowDays: int(*r.ReturnWindowDays),
		PointValue: *r.PointValue, TransferMax: int(*r.TransferMax), TransferDailyMax: int(*r.TransferDailyMax),
		ReferralPoints: int(*r.ReferralPoints), ReferralMinAmount: *r.ReferralMinAmount}
}

// ruleOfTerms is the earn rule of a terms row (one point per yuan, no cap, when none applies).
func ruleOfTerms(groupID uuid.UUID, r queries.PurchaseTermsRow) EarnRule {
	rule := EarnRule{GroupID: groupID, PointsPerYuan: decimal.NewFromInt(1)}
	if r.PointsPerYuan == nil {
		return rule
	}
	rule.PointsPerYuan = *r.PointsPerYuan
	if r.CapPerPurchase != nil {
		rule.CapPerPurchase = int(*r.CapPerPurchase)
	}
	return rule
}

// tierOfTerms is the tier of a terms row that has one.
func tierOfTerms(r queries.PurchaseTermsRow) Tier {
	return Tier{ID: *r.TierID, GroupID: *r.TierGroupID, Code: *r.TierCode, Name: *r.TierName, Rank: int(*r.TierRank),
		Threshold: *r.TierThreshold, DiscountRate: *r.TierDiscountRate, PointsMultiplier: *r.TierPointsMultiplier}
}
