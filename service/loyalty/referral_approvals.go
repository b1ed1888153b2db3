package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Referral approvals (老带新审批). A group may hold referral rewards for one or two
// levels of approval (SetReferralPolicy; default 0: paid at once, as before). A held
// reward is approved level by level — level 1 by admin or member operations staff of
// the referee's purchase mall, level 2 (when configured) by an admin, not the level-1
// approver — and the last approval pays it through the ledger with the key
// referral:<referee>, the key an unapproved reward is paid with: whatever happens, a
// referee brings one reward. A rejection at any level ends it: nothing is paid.

// Referral statuses.
const (
	ReferralHeld     = "HELD"
	ReferralPaid     = "PAID"
	ReferralRejected = "REJECTED"
)

// Errors of referral approvals.
var (
	ErrReferralNotHeld   = errs.New(errs.KindUser, "REFERRAL_NOT_HELD", "the referral reward is not waiting for approval")
	ErrReferralSameStaff = errs.New(errs.KindUser, "REFERRAL_SAME_APPROVER", "the second level must be approved by someone else")
)

// Referral is a referral reward and where its approval is.
type Referral struct {
	RefereeID  uuid.UUID
	ReferrerID uuid.UUID
	PurchaseID uuid.UUID
	Points     decimal.Decimal
	CreatedAt  time.Time
	Status     string
	GroupID    uuid.UUID
	MallID     uuid.UUID
	Levels     int // approval levels required when it was earned
	Approved   int // levels approved so far
	Decisions  []ReferralDecision
}

// ReferralDecision is one level's decision.
type ReferralDecision struct {
	Level     int
	Decision  string // APPROVED | REJECTED
	StaffID   uuid.UUID
	Note      string
	DecidedAt time.Time
}

func deref(id *uuid.UUID) uuid.UUID {
	if id == nil {
		return uuid.Nil
	}
	return *id
}

func toReferral(r queries.ReferralForUpdateRow) Referral {
	return Referral{RefereeID: r.RefereeID, ReferrerID: r.ReferrerID, PurchaseID: r.PurchaseID, Points: r.Points,
		CreatedAt: r.CreatedAt, Status: r.Status, GroupID: deref(r.GroupID), MallID: deref(r.MallID), Levels: int(r.Levels),
		Approved: int(r.Approved)}
}

// ProgramOf reads a group's loyalty settings (defaults when it has none) through q, an
// exported read for contexts that award points by them (alliance: the points expiry).
func ProgramOf(ctx context.Context, q storage.Querier, groupID uuid.UUID) (Program, error) {
	return program(ctx, q, groupID)
}

// referralLevels is how many approvals a group's referral rewards need (0: none).
func referralLevels(ctx context.Context, q queries.DBTX, group uuid.UUID) (int, error) {
	n, err := queries.New(q).ReferralPolicy(ctx, group)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return int(n), err
}

// SetReferralPolicy sets how many approval levels (0–2) a group's referral rewards
// need; rewards already held keep the levels they were earned with.
func (s *Service) SetReferralPolicy(ctx context.Context, group uuid.UUID, levels int) error {
	if err := canConfigure(ctx, group); err != nil {
		return err
	}
	if levels < 0 || levels > 2 {
		return errs.Invalid("input.approvalLevels", "approval levels must be 0, 1 or 2")
	}
	return queries.New(s.db.Pool).UpsertReferralPolicy(ctx, group, int32(levels))
}

// ReferralPolicy returns a group's approval levels (staff configuring the group).
func (s *Service) ReferralPolicy(ctx context.Context, group uuid.UUID) (int, error) {
	if err := canConfigure(ctx, group); err != nil {
		return 0, err
	}
	return referralLevels(ctx, s.db.Pool, group)
}

// referralRoles may approve level 1; level 2 is admin only.
var referralRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// authorizeReferral checks the caller may decide level of r (NOT_FOUND when the caller
// has no grant over the referral's mall).
func (s *Service) authorizeReferral(ctx context.Context, q storage.Querier, r Referral, level int) error {
	v, err := access.Staff(ctx, referralRoles...)
	if err != nil {
		return err
	}
	if r.MallID == uuid.Nil {
		return errs.ErrNotFound.Msgf("referral not found")
	}
	pl, err := s.org.MallPlace(ctx, q, r.MallID)
	if err != nil {
		return err
	}
	if !v.Can(pl.Ref(), referralRoles...) {
		return errs.ErrNotFound.Msgf("referral not found")
	}
	if level == 2 && !v.Can(pl.Ref(), auth.RoleAdmin) {
		return errs.ErrForbidden.Msgf("the second level is approved by an admin")
	}
	return nil
}

// Referral returns a referral reward with its decisions (staff of its mall).
func (s *Service) Referral(ctx context.Context, referee uuid.UUID) (Referral, error) {
	if _, err := access.Staff(ctx, referralRoles...); err != nil {
		return Referral{}, err
	}
	row, err := queries.New(s.db.Pool).ReferralByReferee(ctx, referee)
	if errors.Is(err, pgx.ErrNoRows) {
		return Referral{}, errs.ErrNotFound.Msgf("referral not found")
	}
	if err != nil {
		return Referral{}, fmt.Errorf("referral: %w", err)
	}
	r := toReferral(queries.ReferralForUpdateRow(row))
	if err := s.authorizeReferral(ctx, s.db.Pool, r, 1); err != nil {
		return Referral{}, err
	}
	return r, s.withDecisions(ctx, s.db.Pool, &r)
}

func (s *Service) withDecisions(ctx context.Context, q queries.DBTX, r *Referral) error {
	ds, err := queries.New(q).ReferralDecisions(ctx, r.GroupID, r.RefereeID)
	for _, d := range ds {
		r.Decisions = append(r.Decisions, ReferralDecision{Level: int(d.Level), Decision: d.Decision, StaffID: d.StaffID,
			Note: d.Note, DecidedAt: d.DecidedAt})
	}
	return err
}

// Referrals lists a group's referral rewards of a status (all when ""), newest first,
// at most 100: admin or member operations staff with a grant over the group.
func (s *Service) Referrals(ctx context.Context, group uuid.UUID, status string, first int) ([]Referral, error) {
	if err := canConfigure(ctx, group); err != nil {
		return nil, err
	}
	if first <= 0 || first > 100 {
		first = 100
	}
	var st *string
	if status != "" {
		st = &status
	}
	rows, err := queries.New(s.db.Pool).HeldReferrals(ctx, queries.HeldReferralsParams{GroupID: &group, Status: st,
		Lim: int32(first)})
	if err != nil {
		return nil, fmt.Errorf("referrals: %w", err)
	}
	out := make([]Referral, len(rows))
	for i, r := range rows {
		out[i] = toReferral(queries.ReferralForUpdateRow(r))
	}
	return out, nil
}

// ApproveReferral approves the next level of a held referral reward; the last level
// pays it through the ledger (once: the posting key is the referee's).
func (s *Service) ApproveReferral(ctx context.Context, referee uuid.UUID, note string) (Referral, error) {
	return s.decideReferral(ctx, referee, true, note)
}

// RejectReferral rejects a held referral reward at its next level: nothing is paid.
func (s *Service) RejectReferral(ctx context.Context, referee uuid.UUID, note string) (Referral, error) {
	return s.decideReferral(ctx, referee, false, note)
}

func (s *Service) decideReferral(ctx context.Context, referee uuid.UUID, approve bool, note string) (Referral, error) {
	if _, err := access.Staff(ctx, referralRoles...); err != nil {
		return Referral{}, err
	}
	if len(note) > 2000 {
		return Referral{}, errs.Invalid("input.note", "at most 500 characters")
	}
	staff := auth.ViewerFrom(ctx).ID
	var out Referral
	var earned []earning
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		earned = nil
		q := queries.New(tx)
		row, err := q.ReferralForUpdate(ctx, referee)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.ErrNotFound.Msgf("referral not found")
		}
		if err != nil {
			return fmt.Errorf("lock referral: %w", err)
		}
		r := toReferral(row)
		level := r.Approved + 1
		if err := s.authorizeReferral(ctx, tx, r, min(level, 2)); err != nil {
			return err
		}
		if r.Status != ReferralHeld {
			return ErrReferralNotHeld
		}
		if err := s.withDecisions(ctx, tx, &r); err != nil {
			return err
		}
		for _, d := range r.Decisions {
			if d.StaffID == staff {
				return ErrReferralSameStaff
			}
		}
		decision, status, now := "REJECTED", ReferralRejected, s.now()
		if approve {
			decision, status = "APPROVED", ReferralHeld
		}
		if _, err := q.InsertReferralDecision(ctx, queries.InsertReferralDecisionParams{GroupID: r.GroupID,
			RefereeID: r.RefereeID, Level: int32(level), Decision: decision, StaffID: staff, Note: note, DecidedAt: now}); err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		approved := r.Approved
		if approve {
			approved = level
			if level >= r.Levels {
				status = ReferralPaid
				if earned, err = s.payReferral(ctx, tx, r, deref(row.CardID), now); err != nil {
					return err
				}
			}
		}
		if err := q.SetReferralProgress(ctx, queries.SetReferralProgressParams{RefereeID: r.RefereeID, Status: status,
			Approved: int32(approved)}); err != nil {
			return fmt.Errorf("referral progress: %w", err)
		}
		r.Status, r.Approved = status, approved
		r.Decisions = append(r.Decisions, ReferralDecision{Level: level, Decision: decision, StaffID: staff, Note: note, DecidedAt: now})
		out = r
		return audit.Record(ctx, tx, audit.Entry{At: now, Action: "loyalty.referral_" + map[bool]string{true: "approve", false: "reject"}[approve],
			Entity: "member", EntityID: r.RefereeID, MallID: r.MallID, Reason: note,
			Details: map[string]any{"level": level, "status": status, "points": r.Points.String()}})
	})
	if err == nil {
		s.afterCommit(ctx, earned)
	}
	return out, err
}

// payReferral posts the held reward to the referrer's card (the one it was earned for,
// or the card that replaced it), available now.
func (s *Service) payReferral(ctx context.Context, tx pgx.Tx, r Referral, cardID uuid.UUID, now time.Time) ([]earning, error) {
	pl, err := s.org.MallPlace(ctx, tx, r.MallID)
	if err != nil {
		return nil, err
	}
	prog, err := program(ctx, tx, r.GroupID)
	if err != nil {
		return nil, err
	}
	card, err := ledger.CurrentCardTx(ctx, tx, cardID)
	if err != nil {
		return nil, fmt.Errorf("referrer's card: %w", err)
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, card); err != nil {
		return nil, err
	}
	_, err = s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: r.GroupID, CardID: card, Points: r.Points,
		From: ledger.System(ledger.KindIssuance, ledger.Points), Kind: ledger.PostingReferral,
		Key: "referral:" + r.RefereeID.String(), AvailableAt: now, ExpiresAt: ExpiryOf(now, pl.Loc, prog.PointsExpiryDays)})
	if err != nil {
		return nil, fmt.Errorf("pay referral: %w", err)
	}
	e, err := recordEarning(ctx, tx, pl, r.ReferrerID, r.Points, now)
	return []earning{e}, err
}
