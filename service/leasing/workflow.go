package leasing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/storage"
)

// step runs fn on a contract locked in a transaction, after checking the caller holds one
// of roles over it, then returns the contract as it is afterwards.
func (s *Service) step(ctx context.Context, id uuid.UUID, roles []auth.Role, fn func(q *queries.Queries, tx pgx.Tx, c Contract) error) (Contract, error) {
	c, err := s.Contract(ctx, id)
	if err != nil {
		return Contract{}, err
	}
	if err := access.At(ctx, c.ref, roles...); err != nil {
		return Contract{}, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		r, err := q.LockContract(ctx, id)
		if err != nil {
			return err
		}
		locked, err := s.contractOf(ctx, tx, r)
		if err != nil {
			return err
		}
		return fn(q, tx, locked)
	})
	if err != nil {
		return Contract{}, err
	}
	return s.Contract(ctx, id)
}

// openVersion reads the contract's open version (a draft or submitted).
func openVersion(ctx context.Context, q *queries.Queries, c Contract) (queries.LeasingContractVersion, error) {
	v, err := q.OpenVersion(ctx, c.GroupID, c.ID)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return v, ErrNothingOpen
	}
	return v, err
}

// Submit submits the contract's open version for approval: the original (the contract
// moves DRAFT → SUBMITTED) or an amendment. LEASING or ADMIN.
func (s *Service) Submit(ctx context.Context, id uuid.UUID) (Contract, error) {
	return s.step(ctx, id, prepareRoles, func(q *queries.Queries, tx pgx.Tx, c Contract) error {
		v, err := openVersion(ctx, q, c)
		if err != nil {
			return err
		}
		if _, err := versionStates.Next(EventSubmit, VersionStatus(v.Status)); err != nil {
			return err
		}
		if err := s.moveIfOriginal(ctx, q, c, v, EventSubmit); err != nil {
			return err
		}
		by := viewerID(ctx)
		if err := q.SubmitVersion(ctx, queries.SubmitVersionParams{SubmittedBy: &by, GroupID: c.GroupID,
			ContractID: c.ID, Number: v.Number}); err != nil {
			return err
		}
		return s.audit(ctx, tx, c.MallID, c.ID, "leasing.submit", "", map[string]any{"version": v.Number})
	})
}

// moveIfOriginal moves the contract with event when v is its original version.
func (s *Service) moveIfOriginal(ctx context.Context, q *queries.Queries, c Contract, v queries.LeasingContractVersion, ev Event) error {
	if v.Number != 1 {
		return nil
	}
	to, err := contractStates.Next(ev, c.StoredStatus)
	if err != nil {
		return err
	}
	return q.SetContractStatus(ctx, queries.SetContractStatusParams{ID: c.ID, Status: string(to), At: s.now()})
}

// Approve records the caller's approval of the submitted version (FINANCE or ADMIN of
// the mall, by limit; never the contract's creator nor the version's submitter). It
// returns the decision: APPROVED (the version is part of the contract; an original
// makes the contract APPROVED and holds its units) or ENDORSED (it waits for ADMIN).
func (s *Service) Approve(ctx context.Context, id uuid.UUID, note string) (Contract, Decision, error) {
	var d Decision
	c, err := s.step(ctx, id, approveRoles, func(q *queries.Queries, tx pgx.Tx, c Contract) error {
		v, err := openVersion(ctx, q, c)
		if err != nil {
			return err
		}
		if VersionStatus(v.Status) != VersionSubmitted {
			return ErrNothingOpen.Msgf("the open version is not submitted")
		}
		if d, err = s.decide(ctx, q, c, v); err != nil {
			return err
		}
		if err := s.recordApproval(ctx, q, c, v, d, note); err != nil {
			return err
		}
		if d == DecisionApproved {
			if err := s.applyApproved(ctx, q, c, v); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, c.MallID, c.ID, "leasing."+string(d), note, map[string]any{"version": v.Number,
			"annualRent": v.AnnualRent.String()})
	})
	return c, d, err
}

// decide applies the self-approval rule and Decide to the caller.
func (s *Service) decide(ctx context.Context, q *queries.Queries, c Contract, v queries.LeasingContractVersion) (Decision, error) {
	viewer := auth.ViewerFrom(ctx)
	if viewer.ID == c.CreatedBy || viewer.ID == v.CreatedBy || (v.SubmittedBy != nil && *v.SubmittedBy == viewer.ID) {
		return "", ErrSelfApproval
	}
	role, err := approverRole(viewer, c.ref)
	if err != nil {
		return "", err
	}
	limits, err := s.limits(ctx, q, c.GroupID, c.MallID)
	if err != nil {
		return "", err
	}
	rows, err := q.ApprovalsOfContract(ctx, c.GroupID, c.ID)
	if err != nil {
		return "", err
	}
	var endorsed []auth.Role
	acted := false
	for _, a := range rows {
		if a.Version == v.Number && a.Round == v.Round {
			endorsed = append(endorsed, auth.Role(a.Role))
			acted = acted || a.StaffID == viewer.ID
		}
	}
	return Decide(role, v.AnnualRent, limits, endorsed, acted)
}

func (s *Service) recordApproval(ctx context.Context, q *queries.Queries, c Contract, v queries.LeasingContractVersion, d Decision, note string) error {
	viewer := auth.ViewerFrom(ctx)
	role, _ := approverRole(viewer, c.ref)
	if d == DecisionRejected && role == "" {
		role = auth.RoleFinance
	}
	return q.InsertApproval(ctx, queries.InsertApprovalParams{GroupID: c.GroupID, MallID: c.MallID, ID: service.NewID(),
		ContractID: c.ID, Version: v.Number, Round: v.Round, Decision: string(d), Role: string(role),
		StaffID: viewer.ID, Amount: v.AnnualRent, Note: note, At: s.now()})
}

// applyApproved makes an approved version part of the contract: the original approves
// the contract and holds its units for its term; a later version moves the contract's
// end (a renewal, or an amendment shortening it) and its holds with it.
func (s *Service) applyApproved(ctx context.Context, q *queries.Queries, c Contract, v queries.LeasingContractVersion) error {
	if err := q.ApproveVersion(ctx, queries.ApproveVersionParams{Now: ptr(s.now()), GroupID: c.GroupID,
		ContractID: c.ID, Number: v.Number}); err != nil {
		return err
	}
	if err := s.moveIfOriginal(ctx, q, c, v, EventApprove); err != nil {
		return err
	}
	ver, err := versionOf(v)
	if err != nil {
		return err
	}
	start := c.Start
	if v.Number == 1 {
		start = ver.Terms.Start
	}
	if err := q.SetContractTerm(ctx, queries.SetContractTermParams{ID: c.ID, StartOn: timeOf(start),
		EndOn: timeOf(ver.Terms.End), At: s.now()}); err != nil {
		return err
	}
	return hold(ctx, q, c.ID, start, ver.Terms.End)
}

// hold makes the contract hold its units from..to; a day another contract holds is
// UNIT_ALREADY_LEASED (the exclusion constraint decides, whatever the concurrency).
func hold(ctx context.Context, q *queries.Queries, id uuid.UUID, from, to schedule.Date) error {
	err := q.HoldUnits(ctx, queries.HoldUnitsParams{ContractID: id, FromOn: timeOf(from), ToOn: timeOf(to)})
	if errors.Is(storage.MapError(err), storage.ErrExclusion) {
		return ErrUnitAlreadyLeased
	}
	return err
}

func ptr[T any](v T) *T { return &v }

// Reject sends the submitted version back to its preparer (FINANCE or ADMIN): an
// original returns the contract to DRAFT.
func (s *Service) Reject(ctx context.Context, id uuid.UUID, note string) (Contract, error) {
	return s.step(ctx, id, approveRoles, func(q *queries.Queries, tx pgx.Tx, c Contract) error {
		v, err := openVersion(ctx, q, c)
		if err != nil {
			return err
		}
		if _, err := versionStates.Next(EventReject, VersionStatus(v.Status)); err != nil {
			return err
		}
		if err := s.moveIfOriginal(ctx, q, c, v, EventReject); err != nil {
			return err
		}
		if err := q.RejectVersion(ctx, queries.RejectVersionParams{GroupID: c.GroupID, ContractID: c.ID,
			Number: v.Number}); err != nil {
			return err
		}
		if err := s.recordApproval(ctx, q, c, v, DecisionRejected, note); err != nil {
			return err
		}
		return s.audit(ctx, tx, c.MallID, c.ID, "leasing.reject", note, map[string]any{"version": v.Number})
	})
}

// Upload is where a client PUTs the signed contract's PDF.
type Upload struct {
	Key       string
	URL       string
	ExpiresAt time.Time
}

const uploadTTL = 15 * time.Minute

func signedPrefix(c Contract) string {
	return fmt.Sprintf("leasing/%s/contracts/%s/signed-", c.MallID, c.ID)
}

// RequestSignedUpload returns a presigned URL to upload the signed PDF of an approved
// contract to; Sign then records it. LEASING or ADMIN.
func (s *Service) RequestSignedUpload(ctx context.Context, id uuid.UUID) (Upload, error) {
	c, err := s.Contract(ctx, id)
	if err != nil {
		return Upload{}, err
	}
	if err := access.At(ctx, c.ref, prepareRoles...); err != nil {
		return Upload{}, err
	}
	if !contractStates.Can(EventSign, c.StoredStatus) {
		return Upload{}, ErrBadTransition.Msgf("only an approved contract is signed")
	}
	key := signedPrefix(c) + service.NewID().String() + ".pdf"
	url, err := s.objects.PresignPut(ctx, key, uploadTTL)
	if err != nil {
		return Upload{}, err
	}
	return Upload{Key: key, URL: url, ExpiresAt: s.now().Add(uploadTTL)}, nil
}

// Sign records the uploaded signed PDF (key from RequestSignedUpload) and moves the
// contract APPROVED → SIGNED. LEASING or ADMIN.
func (s *Service) Sign(ctx context.Context, id uuid.UUID, key string) (Contract, error) {
	return s.step(ctx, id, prepareRoles, func(q *queries.Queries, tx pgx.Tx, c Contract) error {
		if _, err := contractStates.Next(EventSign, c.StoredStatus); err != nil {
			return err
		}
		rest, ok := strings.CutPrefix(key, signedPrefix(c))
		if !ok || strings.Contains(rest, "/") || len(rest) > 40 {
			return errs.Invalid("input.key", "not an upload key of this contract")
		}
		obj, err := s.objects.Get(ctx, key)
		if err != nil {
			return ErrNotUploaded.At("input", "key")
		}
		_ = obj.Close()
		if err := q.SignContract(ctx, queries.SignContractParams{ID: c.ID, SignedKey: key, At: s.now()}); err != nil {
			return err
		}
		return s.audit(ctx, tx, c.MallID, c.ID, "leasing.sign", "", map[string]any{"key": key})
	})
}

// SignedURL is a short-lived download URL of a readable contract's signed PDF ("" before
// signing).
func (s *Service) SignedURL(ctx context.Context, c Contract) (string, error) {
	if err := access.At(ctx, c.ref, readRoles...); err != nil || c.SignedKey == "" {
		return "", err
	}
	return s.objects.PresignGet(ctx, c.SignedKey, uploadTTL)
}

// Terminate ends an approved, signed or active contract early: on is the last day the
// tenant is charged for (within the term). Its units are held up to that day. It
// returns the settlement. LEASING or ADMIN.
func (s *Service) Terminate(ctx context.Context, id uuid.UUID, on schedule.Date, reason string) (Contract, Settlement, error) {
	c, err := s.step(ctx, id, prepareRoles, func(q *queries.Queries, tx pgx.Tx, c Contract) error {
		if _, err := contractStates.Next(EventTerminate, c.StoredStatus); err != nil {
			return err
		}
		if on.IsZero() || on.Before(c.Start) || on.After(c.End) {
			return errs.Invalid("input.on", "the termination date is within the term %s..%s", c.Start, c.End)
		}
		if strings.TrimSpace(reason) == "" {
			return errs.Invalid("input.reason", "a termination has a reason")
		}
		if err := q.TerminateContract(ctx, queries.TerminateContractParams{ID: c.ID, TerminatedOn: ptr(timeOf(on)),
			Reason: reason, At: s.now()}); err != nil {
			return err
		}
		if err := hold(ctx, q, c.ID, c.Start, on); err != nil {
			return err
		}
		return s.audit(ctx, tx, c.MallID, c.ID, "leasing.terminate", reason, map[string]any{"on": on.String()})
	})
	if err != nil {
		return Contract{}, Settlement{}, err
	}
	st, err := s.Settlement(ctx, c)
	return c, st, err
}

// ActivateDue stores the moves the calendar made: signed contracts whose term started
// become ACTIVE, active ones whose term ended EXPIRED, each audited (the activation job;
// reads show them already). It returns how many contracts moved.
func (s *Service) ActivateDue(ctx context.Context) (int, error) {
	until := timeOf(schedule.DateOf(s.now().UTC()).AddDays(1))
	rows, err := queries.New(s.db.Pool).DueTransitions(ctx, until)
	if err != nil {
		return 0, fmt.Errorf("leasing: due transitions: %w", err)
	}
	moved := 0
	for _, r := range rows {
		ok, err := s.activate(ctx, r.ID)
		if err != nil {
			return moved, err
		}
		if ok {
			moved++
		}
	}
	return moved, nil
}

// activate stores one contract's calendar moves, re-read under lock.
func (s *Service) activate(ctx context.Context, id uuid.UUID) (bool, error) {
	moved := false
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		r, err := q.LockContract(ctx, id)
		if err != nil {
			return err
		}
		p, err := s.org.MallPlace(ctx, tx, r.MallID)
		if err != nil {
			return err
		}
		from := Status(r.Status)
		to := Effective(from, dateOf(r.StartOn), dateOf(r.EndOn), s.today(p))
		if to == from {
			return nil
		}
		moved = true
		if err := q.SetContractStatus(ctx, queries.SetContractStatusParams{ID: id, Status: string(to), At: s.now()}); err != nil {
			return err
		}
		return s.audit(ctx, tx, r.MallID, id, "leasing."+string(to), "", map[string]any{"from": string(from)})
	})
	return moved, err
}
