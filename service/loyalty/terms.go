package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// terms is what a purchase reads of its group's settings and of the paying member, in
// one statement once the cards are locked (PurchaseTerms, lockAndTerms): the programme (program), the
// earn rule for the merchant (earnRule), the member's tier (memberTier, nil: none) and
// the group's tiers, lowest rank first (tiers, for the upgrade).
type terms struct {
	prog     Program
	rule     EarnRule
	tier     *Tier
	tiers    []Tier
	referrer uuid.UUID // the member's referrer not rewarded yet (uuid.Nil: none; PendingReferrer)
}

// tierID is the member's tier as the terms read it (nil: none, or the group has no
// tiers).
func (t terms) tierID() *uuid.UUID {
	if t.tier == nil || len(t.tiers) == 0 {
		return nil
	}
	id := t.tier.ID
	return &id
}

// lockAndTerms reads the member's pending referrer, locks the cards
// (ledger.LockCardsTx) and reads the terms of a purchase by member at pl in one round
// trip: the terms statement runs once the lock is held (and again should the lock have
// had to create a card's accounts first).
func (s *Service) lockAndTerms(ctx context.Context, tx pgx.Tx, pl org.Place, member uuid.UUID, cards ...uuid.UUID) (terms, error) {
	var b storage.Batch
	var referrer *uuid.UUID
	b.Queue(func(q storage.Querier) { _, _ = queries.New(q).PendingReferrer(ctx, member) }).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := rows.Scan(&referrer); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	lock := s.ledger.QueueLockCards(ctx, &b, cards...)
	var t terms
	queueTerms(ctx, &b, pl, member, &t)
	if err := b.Send(ctx, tx); err != nil {
		return t, err
	}
	if referrer != nil {
		t.referrer = *referrer
	}
	_, created, err := lock.Finish(ctx, tx)
	if err != nil || !created {
		return t, err
	}
	b = storage.Batch{}
	ref := t.referrer
	queueTerms(ctx, &b, pl, member, &t)
	err = b.Send(ctx, tx)
	t.referrer = ref
	return t, err
}

// queueTerms queues in b the read of the terms of a purchase by member at pl into t.
func queueTerms(ctx context.Context, b *storage.Batch, pl org.Place, member uuid.UUID, t *terms) {
	b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).PurchaseTerms(ctx, queries.PurchaseTermsParams{GroupID: pl.GroupID, MemberID: member,
			MerchantID: pl.MerchantID, Category: pl.Category})
	}).Query(func(rows pgx.Rows) error {
		rs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[queries.PurchaseTermsRow])
		if err != nil {
			return err
		}
		*t, err = termsOf(pl.GroupID, rs)
		return err
	})
}

// termsOf is the terms in the rows of PurchaseTerms for a group.
func termsOf(groupID uuid.UUID, rows []queries.PurchaseTermsRow) (terms, error) {
	if len(rows) == 0 {
		return terms{}, errors.New("purchase terms: no row") // the statement selects from one row
	}
	t := terms{prog: programOfTerms(groupID, rows[0]), rule: ruleOfTerms(groupID, rows[0])}
	for _, r := range rows {
		if r.TierID == nil {
			continue
		}
		tier := tierOfTerms(r)
		if tier.GroupID == groupID {
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
