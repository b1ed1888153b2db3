package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/service/state"
	"github.com/atrium-mall/atrium/storage"
)

// Member exit (退会). A member (for themself) or staff serving the member's group apply;
// admin or member operations staff of the group approve or reject; the applicant (or
// staff) may withdraw an application not yet decided. Approval sets the member's
// status to exited — identity refuses their logins — and freezes their active cards
// (card events "freeze", reason "member exit"), so nothing earns on or spends from them.
// Within the group's restore window (member_exit_policies.restore_days after the
// approval; DefaultRestoreDays without a policy) admin or member operations staff may
// restore: the member is active again and the cards the exit froze (and still frozen)
// are unfrozen. Cards' balances are kept throughout (a refund is a card cancel).

// MemberExited is a member whose exit was approved.
const MemberExited MemberStatus = "exited"

// DefaultRestoreDays is the restore window of a group without an exit policy.
const DefaultRestoreDays = 30

// ExitStatus is where an exit request is.
type ExitStatus string

// Exit statuses.
const (
	ExitApplied   ExitStatus = "APPLIED"
	ExitApproved  ExitStatus = "APPROVED"
	ExitRejected  ExitStatus = "REJECTED"
	ExitWithdrawn ExitStatus = "WITHDRAWN"
	ExitRestored  ExitStatus = "RESTORED"
)

// ExitOp changes an exit's status.
type ExitOp string

// Exit operations.
const (
	ExitOpApprove  ExitOp = "approve"
	ExitOpReject   ExitOp = "reject"
	ExitOpWithdraw ExitOp = "withdraw"
	ExitOpRestore  ExitOp = "restore"
)

// Errors of member exits.
var (
	ErrExitTransition = errs.New(errs.KindUser, "MEMBER_EXIT_INVALID_TRANSITION", "the exit's status does not allow this")
	ErrExitOpen       = errs.New(errs.KindUser, "MEMBER_EXIT_OPEN", "the member has an exit application or approved exit already")
	ErrRestoreWindow  = errs.New(errs.KindUser, "MEMBER_EXIT_RESTORE_WINDOW_PASSED", "the restore window of this exit has passed")
)

// exitMachine: an application is approved, rejected or withdrawn; an approved exit is
// restored. Rejected, withdrawn and restored are final.
var exitMachine = state.New("member exit", ErrExitTransition, map[ExitOp]map[ExitStatus]ExitStatus{
	ExitOpApprove:  {ExitApplied: ExitApproved},
	ExitOpReject:   {ExitApplied: ExitRejected},
	ExitOpWithdraw: {ExitApplied: ExitWithdrawn},
	ExitOpRestore:  {ExitApproved: ExitRestored},
})

// memberExitMachine moves the member's own status with its exit.
var memberExitMachine = state.New("member (exit)", ErrMemberInactive, map[ExitOp]map[MemberStatus]MemberStatus{
	ExitOpApprove: {MemberActive: MemberExited},
	ExitOpRestore: {MemberExited: MemberActive},
})

// exitRoles decide exits and restore members.
var exitRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// Exit is a member's exit request.
type Exit struct {
	ID           uuid.UUID
	GroupID      uuid.UUID
	MemberID     uuid.UUID
	Status       ExitStatus
	Reason       string
	AppliedBy    string // shopper:<id> or staff:<id>
	AppliedAt    time.Time
	DecidedBy    *uuid.UUID
	DecidedAt    *time.Time
	DecisionNote string
	FrozenCards  []uuid.UUID
	RestoredBy   *uuid.UUID
	RestoredAt   *time.Time
	RestoreUntil *time.Time // approved exits: the end of the restore window
}

func toExit(e queries.MemberExit) Exit {
	return Exit{ID: e.ID, GroupID: e.GroupID, MemberID: e.MemberID, Status: ExitStatus(e.Status), Reason: e.Reason,
		AppliedBy: e.AppliedBy, AppliedAt: e.AppliedAt, DecidedBy: e.DecidedBy, DecidedAt: e.DecidedAt,
		DecisionNote: e.DecisionNote, FrozenCards: e.FrozenCards, RestoredBy: e.RestoredBy, RestoredAt: e.RestoredAt}
}

func validNote(field, s string) error {
	if utf8.RuneCountInString(s) > 500 {
		return errs.Invalid(field, "at most 500 characters")
	}
	return nil
}

// ApplyExit records an exit application for member (uuid.Nil: the calling shopper).
// A shopper applies for themself only; staff serving the member's group for any of
// its members. One open (applied or approved) exit per member: ErrExitOpen.
func (s *Service) ApplyExit(ctx context.Context, member uuid.UUID, reason string) (Exit, error) {
	if err := validNote("input.reason", reason); err != nil {
		return Exit{}, err
	}
	if self, err := access.Shopper(ctx); err == nil {
		if member != uuid.Nil && member != self {
			return Exit{}, errs.ErrForbidden
		}
		member = self
	}
	m, err := loadMember(ctx, s.db.Pool, member)
	if err != nil {
		return Exit{}, err
	}
	if self, err := access.Shopper(ctx); err != nil || self != member {
		if err := s.requireGroup(ctx, s.db.Pool, m.GroupID, memberRoles); err != nil {
			return Exit{}, notFoundIfForbidden(err)
		}
	}
	if m.Status != MemberActive || m.RegisteredAt == nil {
		return Exit{}, ErrMemberInactive
	}
	var out Exit
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		r, err := queries.New(tx).InsertExit(ctx, queries.InsertExitParams{ID: service.NewID(), GroupID: m.GroupID,
			MemberID: m.ID, Reason: strings.TrimSpace(reason), AppliedBy: access.Actor(ctx), AppliedAt: s.now()})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrExitOpen
		}
		if err != nil {
			return fmt.Errorf("apply exit: %w", err)
		}
		out = toExit(r)
		return s.audit(ctx, tx, audit.Entry{Action: "member.exit_apply", Entity: "member", EntityID: m.ID,
			Reason: out.Reason, Details: map[string]any{"exit": out.ID}})
	})
	return out, err
}

func notFoundIfForbidden(err error) error {
	if errors.Is(err, errs.ErrForbidden) {
		return errs.ErrNotFound.Msgf("member not found")
	}
	return err
}

// ApproveExit approves an application: the member is exited and their active cards
// frozen, in one transaction. Admin or member operations staff of the group.
func (s *Service) ApproveExit(ctx context.Context, id uuid.UUID, note string) (Exit, error) {
	return s.decideExit(ctx, id, ExitOpApprove, note)
}

// RejectExit rejects an application; nothing else changes.
func (s *Service) RejectExit(ctx context.Context, id uuid.UUID, note string) (Exit, error) {
	return s.decideExit(ctx, id, ExitOpReject, note)
}

// WithdrawExit withdraws an application not yet decided: by the member who applied,
// or staff serving the group.
func (s *Service) WithdrawExit(ctx context.Context, id uuid.UUID) (Exit, error) {
	return s.decideExit(ctx, id, ExitOpWithdraw, "")
}

// RestoreExit restores an exited member within the group's restore window: the member
// is active again and the cards the exit froze are unfrozen.
func (s *Service) RestoreExit(ctx context.Context, id uuid.UUID, note string) (Exit, error) {
	return s.decideExit(ctx, id, ExitOpRestore, note)
}

// authorizeExit: approve, reject and restore need exitRoles in the group; withdraw is
// the member's own or staff serving the group.
func (s *Service) authorizeExit(ctx context.Context, q storage.Querier, e queries.MemberExit, op ExitOp) error {
	if op == ExitOpWithdraw {
		if self, err := access.Shopper(ctx); err == nil {
			if self != e.MemberID {
				return errs.ErrNotFound.Msgf("exit not found")
			}
			return nil
		}
		return notFoundIfForbidden(s.requireGroup(ctx, q, e.GroupID, memberRoles))
	}
	if _, err := access.Staff(ctx, exitRoles...); err != nil {
		return err
	}
	return notFoundIfForbidden(s.requireGroup(ctx, q, e.GroupID, exitRoles))
}

func (s *Service) decideExit(ctx context.Context, id uuid.UUID, op ExitOp, note string) (Exit, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Exit{}, err
	}
	if err := validNote("input.note", note); err != nil {
		return Exit{}, err
	}
	var out Exit
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		e, err := q.ExitForUpdate(ctx, id)
		if errors.Is(storage.MapError(err), storage.ErrNotFound) {
			return errs.ErrNotFound.Msgf("exit not found")
		}
		if err != nil {
			return fmt.Errorf("lock exit: %w", err)
		}
		if err := s.authorizeExit(ctx, tx, e, op); err != nil {
			return err
		}
		to, err := exitMachine.Next(op, ExitStatus(e.Status))
		if err != nil {
			return err
		}
		now := s.now()
		arg := queries.SetExitStatusParams{ID: e.ID, FromStatus: e.Status, ToStatus: string(to)}
		actor := staffOf(ctx)
		switch op {
		case ExitOpApprove, ExitOpReject:
			arg.DecidedBy, arg.DecidedAt, arg.DecisionNote = actor, &now, &note
		case ExitOpRestore:
			until, err := s.restoreUntil(ctx, tx, e)
			if err != nil {
				return err
			}
			if !now.Before(until) {
				return ErrRestoreWindow.Msgf("the restore window ended at %s", until.Format(time.RFC3339))
			}
			arg.RestoredBy, arg.RestoredAt = actor, &now
		}
		if op == ExitOpApprove || op == ExitOpRestore {
			frozen, err := s.moveMember(ctx, tx, e, op)
			if err != nil {
				return err
			}
			if op == ExitOpApprove {
				arg.FrozenCards = frozen
				if arg.FrozenCards == nil {
					arg.FrozenCards = []uuid.UUID{}
				}
			}
		}
		r, err := q.SetExitStatus(ctx, arg)
		if err != nil {
			return fmt.Errorf("set exit status: %w", err)
		}
		out = toExit(r)
		return s.audit(ctx, tx, audit.Entry{Action: "member.exit_" + string(op), Entity: "member", EntityID: e.MemberID,
			Reason: note, Details: map[string]any{"exit": e.ID, "from": e.Status, "to": to}})
	})
	if err == nil && out.Status == ExitApproved {
		out.RestoreUntil, err = s.exitRestoreUntil(ctx, out)
	}
	return out, err
}

// moveMember changes the member's status with the exit and freezes (approve) or
// unfreezes (restore) their cards, returning the cards it froze.
func (s *Service) moveMember(ctx context.Context, tx pgx.Tx, e queries.MemberExit, op ExitOp) ([]uuid.UUID, error) {
	q := queries.New(tx)
	m, err := loadMember(ctx, tx, e.MemberID)
	if err != nil {
		return nil, err
	}
	to, err := memberExitMachine.Next(op, m.Status)
	if err != nil {
		return nil, err
	}
	n, err := q.SetMemberStatusFrom(ctx, queries.SetMemberStatusFromParams{ID: m.ID, FromStatus: string(m.Status), ToStatus: string(to)})
	if err != nil {
		return nil, fmt.Errorf("member status: %w", err)
	}
	if n != 1 {
		return nil, ErrMemberInactive
	}
	cardOp, ids := OpUnfreeze, e.FrozenCards
	if op == ExitOpApprove {
		cardOp = OpFreeze
		if ids, err = q.ActiveCardIDsForUpdate(ctx, e.MemberID, e.GroupID); err != nil {
			return nil, fmt.Errorf("member's cards: %w", err)
		}
	}
	var moved []uuid.UUID
	for _, id := range ids {
		c, err := CardForUpdate(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		from := c.Status
		if c.Status, err = cardMachine.Next(cardOp, from); err != nil {
			continue // restore: a card changed since (cancelled, reissued) stays as it is
		}
		if err := q.SetCardStatus(ctx, string(c.Status), c.ID); err != nil {
			return nil, fmt.Errorf("card status: %w", err)
		}
		if err := s.cardEvent(ctx, tx, c, cardOp, from, "member exit "+string(op), map[string]any{"exit": e.ID}); err != nil {
			return nil, err
		}
		moved = append(moved, c.ID)
	}
	return moved, nil
}

// restoreUntil is the end of an approved exit's restore window.
func (s *Service) restoreUntil(ctx context.Context, q storage.Querier, e queries.MemberExit) (time.Time, error) {
	days, err := queries.New(q).ExitPolicy(ctx, e.GroupID)
	if errors.Is(err, pgx.ErrNoRows) {
		days, err = DefaultRestoreDays, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("exit policy: %w", err)
	}
	decided := e.AppliedAt
	if e.DecidedAt != nil {
		decided = *e.DecidedAt
	}
	return decided.AddDate(0, 0, int(days)), nil
}

func (s *Service) exitRestoreUntil(ctx context.Context, e Exit) (*time.Time, error) {
	t, err := s.restoreUntil(ctx, s.db.Pool, queries.MemberExit{GroupID: e.GroupID, AppliedAt: e.AppliedAt, DecidedAt: e.DecidedAt})
	return &t, err
}

// staffOf is the calling staff member's id (nil for a shopper or the system).
func staffOf(ctx context.Context) *uuid.UUID {
	if v := auth.ViewerFrom(ctx); v.IsStaff() {
		id := v.ID
		return &id
	}
	return nil
}

// ExitByID returns an exit to the member it is about, or staff serving its group.
func (s *Service) ExitByID(ctx context.Context, id uuid.UUID) (Exit, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Exit{}, err
	}
	r, err := queries.New(s.db.Pool).ExitByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Exit{}, errs.ErrNotFound.Msgf("exit not found")
	}
	if err != nil {
		return Exit{}, fmt.Errorf("exit: %w", err)
	}
	if self, err := access.Shopper(ctx); err == nil {
		if self != r.MemberID {
			return Exit{}, errs.ErrNotFound.Msgf("exit not found")
		}
	} else if err := s.requireGroup(ctx, s.db.Pool, r.GroupID, memberRoles); err != nil {
		return Exit{}, notFoundIfForbidden(err)
	}
	e := toExit(r)
	if e.Status == ExitApproved {
		e.RestoreUntil, err = s.exitRestoreUntil(ctx, e)
	}
	return e, err
}

// Exits lists a group's exits, newest first, optionally of one status (staff serving
// the group; at most 100).
func (s *Service) Exits(ctx context.Context, group uuid.UUID, status ExitStatus, first int) ([]Exit, error) {
	if err := s.requireGroup(ctx, s.db.Pool, group, memberRoles); err != nil {
		return nil, err
	}
	if first <= 0 || first > 100 {
		first = 100
	}
	var st *string
	if status != "" {
		v := string(status)
		st = &v
	}
	rows, err := queries.New(s.db.Pool).ExitsOfGroup(ctx, queries.ExitsOfGroupParams{GroupID: group, Status: st,
		Before: uuid.Max, Lim: int32(first)})
	if err != nil {
		return nil, fmt.Errorf("exits: %w", err)
	}
	out := make([]Exit, len(rows))
	for i, r := range rows {
		out[i] = toExit(r)
	}
	return out, nil
}

// SetExitPolicy sets how many days after approval an exited member may be restored
// (0–3650); admin or member operations staff with a grant over the whole group.
func (s *Service) SetExitPolicy(ctx context.Context, group uuid.UUID, restoreDays int) error {
	if err := access.At(ctx, auth.OrgRef{GroupID: group}, exitRoles...); err != nil {
		return err
	}
	if restoreDays < 0 || restoreDays > 3650 {
		return errs.Invalid("input.restoreDays", "restore days must be 0 to 3650")
	}
	return queries.New(s.db.Pool).UpsertExitPolicy(ctx, group, int32(restoreDays))
}
