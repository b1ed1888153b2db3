package billing

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/state"
	"github.com/atrium-mall/atrium/storage"
)

// ApprovalKind is what a request that needs a second person asks for.
type ApprovalKind string

// The approval kinds.
const (
	ApproveWaiver        ApprovalKind = "late_fee_waiver" // reverse chosen late-fee accruals
	ApproveDepositApply  ApprovalKind = "deposit_apply"   // pay a contract's arrears from its deposit
	ApproveDepositRefund ApprovalKind = "deposit_refund"  // pay a contract's deposit back
)

// ApprovalStatus is where a request stands.
type ApprovalStatus string

// The approval statuses.
const (
	ApprovalRequested ApprovalStatus = "requested"
	ApprovalApproved  ApprovalStatus = "approved" // posted
	ApprovalRejected  ApprovalStatus = "rejected"
)

// ApprovalEvent is what happens to a request.
type ApprovalEvent string

// The approval events.
const (
	ApprovalApprove ApprovalEvent = "approve"
	ApprovalReject  ApprovalEvent = "reject"
)

// Errors of approvals, waivers and deposits.
var (
	ErrApprovalStatus = errs.New(errs.KindUser, "APPROVAL_STATUS", "the request has been decided")
	ErrOwnRequest     = errs.New(errs.KindUser, "OWN_REQUEST", "a request is approved by ADMIN or by another finance user")
	ErrWaiverLine     = errs.New(errs.KindUser, "WAIVER_LINE",
		"a waiver reverses unpaid late-fee accruals of one tenant, each once")
	ErrAboveDeposit = errs.New(errs.KindUser, "ABOVE_DEPOSIT", "the amount is more than the deposit held")
	ErrAboveArrears = errs.New(errs.KindUser, "ABOVE_ARREARS", "the amount is more than the contract's arrears")
	ErrReason       = errs.New(errs.KindUser, "INVALID_REASON", "a reason has 1 to 500 characters")
)

// approvalStates: a request is approved or rejected, once.
var approvalStates = state.New("billing approval", ErrApprovalStatus, map[ApprovalEvent]map[ApprovalStatus]ApprovalStatus{
	ApprovalApprove: {ApprovalRequested: ApprovalApproved},
	ApprovalReject:  {ApprovalRequested: ApprovalRejected},
})

// Approval is a request that needs a second person and what became of it.
type Approval struct {
	ID, MallID, MerchantID uuid.UUID
	Kind                   ApprovalKind
	ContractID             *uuid.UUID  // deposits
	LineIDs                []uuid.UUID // a waiver's accrual lines
	Amount                 decimal.Decimal
	Reason                 string
	Status                 ApprovalStatus
	RequestedBy            uuid.UUID
	RequestedAt            time.Time
	DecidedBy              *uuid.UUID
	DecidedAt              *time.Time
	PostingKey             string
}

func approvalOf(r queries.BillingApproval) Approval {
	return Approval{ID: r.ID, MallID: r.MallID, MerchantID: r.MerchantID, Kind: ApprovalKind(r.Kind),
		ContractID: r.ContractID, LineIDs: r.LineIds, Amount: r.Amount, Reason: r.Reason, Status: ApprovalStatus(r.Status),
		RequestedBy: r.RequestedBy, RequestedAt: r.RequestedAt, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt,
		PostingKey: r.PostingKey}
}

// approvalKey is the posting key of an approved request.
func approvalKey(id uuid.UUID) string { return approvalPrefix + id.String() }

// approvalPrefix starts the key of every approved request's posting.
const approvalPrefix = "billing.approval:"

func checkReason(reason string) error {
	if n := utf8.RuneCountInString(reason); n < 1 || n > 500 {
		return ErrReason.At("input", "reason")
	}
	return nil
}

// RequestLateFeeWaiver asks to waive late-fee accruals (LATE_FEE lines of one tenant,
// unpaid and not waived): FINANCE or ADMIN of their mall; idempotent per caller and key
// (billing.waiver). ApproveRequest by another person reverses them exactly.
func (s *Service) RequestLateFeeWaiver(ctx context.Context, lineIDs []uuid.UUID, reason, key string) (Approval, error) {
	if err := checkReason(reason); err != nil {
		return Approval{}, err
	}
	if len(lineIDs) == 0 {
		return Approval{}, ErrWaiverLine.At("input", "lineIds")
	}
	var p org.Place
	var merchant uuid.UUID
	total := decimal.Zero
	authorize := func(ctx context.Context, tx pgx.Tx) error {
		lines, err := queries.New(tx).LockLines(ctx, lineIDs)
		if err != nil {
			return err
		}
		if len(lines) != len(lineIDs) {
			return ErrWaiverLine.At("input", "lineIds")
		}
		if p, err = s.mallAt(ctx, lines[0].MallID); err != nil {
			return err
		}
		merchant, total = lines[0].MerchantID, decimal.Zero
		for _, l := range lines {
			if err := waivable(l, merchant); err != nil {
				return err
			}
			total = total.Add(l.Gross)
		}
		return nil
	}
	args := []string{reason}
	for _, id := range lineIDs {
		args = append(args, id.String())
	}
	out, _, err := once.Do(ctx, s.db, once.Op[Approval]{Name: "billing.waiver", Key: key, Args: args, Authorize: authorize,
		Run: func(ctx context.Context, tx pgx.Tx) (Approval, error) {
			r, err := queries.New(tx).InsertApproval(ctx, queries.InsertApprovalParams{GroupID: p.GroupID, MallID: p.MallID,
				ID: service.NewID(), Kind: string(ApproveWaiver), MerchantID: merchant, LineIds: lineIDs, Amount: total,
				Reason: reason, RequestedBy: viewerID(ctx), RequestedAt: s.now()})
			return approvalOf(r), err
		}})
	return out, err
}

// waivable checks a line can be waived: an unpaid, unwaived late-fee accrual of the tenant.
func waivable(l queries.LockLinesRow, merchant uuid.UUID) error {
	if Source(l.Source) != SourceLateFee || l.MerchantID != merchant || BillStatus(l.BillStatus) != BillIssued ||
		!l.Outstanding.Equal(l.Gross) || !l.Gross.IsPositive() {
		return ErrWaiverLine.At("input", "lineIds").Msgf("line %s is not an unpaid late-fee accrual of the tenant", l.ID)
	}
	return nil
}

// DepositRegister is what a contract's deposit holds: billed on issued bills (held as
// billed: payments are not tracked against deposit lines yet), less what approved
// applications and refunds took.
type DepositRegister struct {
	ContractID, MerchantID, MallID uuid.UUID
	Billed, Applied, Refunded      decimal.Decimal
	Held                           decimal.Decimal // Billed − Applied − Refunded
}

// Deposit reads a contract's deposit register: FINANCE or ADMIN of its mall, or its
// tenant's TENANT_ADMIN.
func (s *Service) Deposit(ctx context.Context, contractID uuid.UUID) (DepositRegister, error) {
	c, _, err := s.contractAt(ctx, contractID, true)
	if err != nil {
		return DepositRegister{}, err
	}
	return deposit(ctx, s.db.Pool, c.ID, c.MerchantID, c.MallID)
}

func deposit(ctx context.Context, db storage.Querier, contractID, merchant, mall uuid.UUID) (DepositRegister, error) {
	q := queries.New(db)
	billed, err := q.DepositBilled(ctx, contractID)
	if err != nil {
		return DepositRegister{}, err
	}
	moved, err := q.DepositMoved(ctx, &contractID)
	if err != nil {
		return DepositRegister{}, err
	}
	return DepositRegister{ContractID: contractID, MerchantID: merchant, MallID: mall, Billed: billed,
		Applied: moved.Applied, Refunded: moved.Refunded, Held: billed.Sub(moved.Applied).Sub(moved.Refunded)}, nil
}

// contractAt reads an approved contract (leasing's trusted read) and checks the caller
// is finance of its mall, or (tenant true) its tenant's TENANT_ADMIN. An unknown
// contract is FORBIDDEN, so ids are not probed.
func (s *Service) contractAt(ctx context.Context, id uuid.UUID, tenant bool) (leasing.ContractTerms, org.Place, error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return leasing.ContractTerms{}, org.Place{}, err
	}
	cs, err := s.leasing.ContractTermsTx(ctx, s.db.Pool, uuid.Nil, []uuid.UUID{id}, schedule.DateOf(s.now()))
	c, ok := cs[id]
	if err != nil || !ok {
		return c, org.Place{}, errs.ErrForbidden
	}
	p, err := s.org.MallPlace(ctx, nil, c.MallID)
	if err != nil {
		return c, p, errs.ErrForbidden
	}
	ref := p.Ref()
	ref.MerchantID = c.MerchantID
	if !v.Can(p.Ref(), financeRoles...) && !(tenant && v.Can(ref, tenantRoles...)) {
		return c, p, errs.ErrForbidden
	}
	return c, p, nil
}

// DepositInput asks to apply a contract's deposit to its arrears, or to refund it.
type DepositInput struct {
	ContractID     uuid.UUID
	Amount         decimal.Decimal
	Reason         string
	IdempotencyKey string
}

// RequestDepositApplication asks to pay a contract's arrears from its deposit (at
// termination): FINANCE or ADMIN of its mall; at most the deposit held. Idempotent per
// caller and key (billing.deposit).
func (s *Service) RequestDepositApplication(ctx context.Context, in DepositInput) (Approval, error) {
	return s.requestDeposit(ctx, ApproveDepositApply, in)
}

// RequestDepositRefund asks to pay a contract's deposit back to the tenant: FINANCE or
// ADMIN of its mall; at most the deposit held. Idempotent per caller and key.
func (s *Service) RequestDepositRefund(ctx context.Context, in DepositInput) (Approval, error) {
	return s.requestDeposit(ctx, ApproveDepositRefund, in)
}

func (s *Service) requestDeposit(ctx context.Context, kind ApprovalKind, in DepositInput) (Approval, error) {
	if err := checkReason(in.Reason); err != nil {
		return Approval{}, err
	}
	if !in.Amount.IsPositive() || !in.Amount.Equal(in.Amount.Round(2)) {
		return Approval{}, ErrZeroAmount.At("input", "amount")
	}
	var c leasing.ContractTerms
	var p org.Place
	authorize := func(ctx context.Context, tx pgx.Tx) error {
		var err error
		if c, p, err = s.contractAt(ctx, in.ContractID, false); err != nil {
			return err
		}
		reg, err := deposit(ctx, tx, c.ID, c.MerchantID, c.MallID)
		if err == nil && in.Amount.GreaterThan(reg.Held) {
			return ErrAboveDeposit.At("input", "amount").Msgf("%s is more than the %s held", in.Amount, reg.Held)
		}
		return err
	}
	out, _, err := once.Do(ctx, s.db, once.Op[Approval]{Name: "billing.deposit", Key: in.IdempotencyKey,
		Args: []string{string(kind), in.ContractID.String(), in.Amount.String(), in.Reason}, Authorize: authorize,
		Run: func(ctx context.Context, tx pgx.Tx) (Approval, error) {
			r, err := queries.New(tx).InsertApproval(ctx, queries.InsertApprovalParams{GroupID: p.GroupID, MallID: p.MallID,
				ID: service.NewID(), Kind: string(kind), MerchantID: c.MerchantID, ContractID: &c.ID,
				LineIds: []uuid.UUID{}, Amount: in.Amount, Reason: in.Reason, RequestedBy: viewerID(ctx),
				RequestedAt: s.now()})
			return approvalOf(r), err
		}})
	return out, err
}

// Approval reads a request: FINANCE or ADMIN of its mall.
func (s *Service) Approval(ctx context.Context, id uuid.UUID) (Approval, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Approval{}, err
	}
	r, err := queries.New(s.db.Pool).ApprovalByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Approval{}, errs.ErrNotFound.Msgf("request not found")
	}
	if err != nil {
		return Approval{}, err
	}
	if _, err := s.mallAt(ctx, r.MallID); err != nil {
		return Approval{}, err
	}
	return approvalOf(r), nil
}

// Approvals lists a mall's requests, newest first (status "" for all): FINANCE or ADMIN.
func (s *Service) Approvals(ctx context.Context, mallID uuid.UUID, status ApprovalStatus, pr page.Request) (page.Result[Approval], error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return page.Result[Approval]{}, err
	}
	arg := queries.ApprovalsOfMallParams{GroupID: p.GroupID, MallID: p.MallID, After: pr.After, Max: int32(pr.Limit())}
	if status != "" {
		st := string(status)
		arg.Status = &st
	}
	rows, err := queries.New(s.db.Pool).ApprovalsOfMall(ctx, arg)
	if err != nil {
		return page.Result[Approval]{}, err
	}
	out := make([]Approval, len(rows))
	for i, r := range rows {
		out[i] = approvalOf(r)
	}
	return page.Cut(pr, out), nil
}

// ApproveRequest approves a request of one of kinds and carries it out in the same
// transaction: ADMIN of its mall, or a FINANCE user other than the requester
// (OWN_REQUEST). A waiver reverses its accruals exactly (each line's outstanding to
// zero, dated today, and the reversal of their issue legs: Dr revenue.LATE_FEE and
// vat_payable / Cr tenant_receivable); a deposit application takes the amount from the
// contract's oldest open lines (alloc, by due date; DEPOSIT lines excluded) and posts
// Dr deposit_held / Cr tenant_receivable; a refund posts Dr deposit_held / Cr outside.
// The posting's key is the request's: approving again is APPROVAL_STATUS.
func (s *Service) ApproveRequest(ctx context.Context, id uuid.UUID, kinds ...ApprovalKind) (Approval, error) {
	return s.decide(ctx, id, ApprovalApprove, kinds)
}

// RejectRequest rejects a request: whoever may approve it.
func (s *Service) RejectRequest(ctx context.Context, id uuid.UUID) (Approval, error) {
	return s.decide(ctx, id, ApprovalReject, nil)
}

func (s *Service) decide(ctx context.Context, id uuid.UUID, ev ApprovalEvent, kinds []ApprovalKind) (Approval, error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return Approval{}, err
	}
	var out Approval
	err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		r, err := q.LockApproval(ctx, id)
		if errors.Is(storage.MapError(err), storage.ErrNotFound) {
			return errs.ErrForbidden
		}
		if err != nil {
			return err
		}
		p, err := s.mallAt(ctx, r.MallID)
		if err != nil {
			return err
		}
		if len(kinds) > 0 && !containsKind(kinds, ApprovalKind(r.Kind)) {
			return errs.ErrNotFound.Msgf("request not found")
		}
		if r.RequestedBy == v.ID && !v.Can(p.Ref(), auth.RoleAdmin) {
			return ErrOwnRequest
		}
		to, err := approvalStates.Next(ev, ApprovalStatus(r.Status))
		if err != nil {
			return err
		}
		key := ""
		if to == ApprovalApproved {
			if key, err = s.carryOut(ctx, tx, p, r); err != nil {
				return err
			}
		}
		by, at := viewerID(ctx), s.now()
		r, err = q.DecideApproval(ctx, queries.DecideApprovalParams{ID: id, ToStatus: string(to), By: &by, At: &at,
			PostingKey: key, FromStatuses: approvalStates.From(ev)})
		out = approvalOf(r)
		return err
	})
	return out, err
}

func containsKind(ks []ApprovalKind, k ApprovalKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// carryOut moves what an approved request moves and posts it; it returns the key.
func (s *Service) carryOut(ctx context.Context, tx pgx.Tx, p org.Place, r queries.BillingApproval) (string, error) {
	q := queries.New(tx)
	today := schedule.DateOf(s.now().In(p.Loc))
	take := queries.TakeFromLinesParams{GroupID: p.GroupID, MerchantID: r.MerchantID, OnDay: today.In(time.UTC),
		Kind: "waiver", RefID: r.ID, At: s.now()}
	legs := []ledger.Leg{}
	switch ApprovalKind(r.Kind) {
	case ApproveWaiver:
		lines, err := q.LockLines(ctx, r.LineIds)
		if err != nil {
			return "", err
		}
		vat := decimal.Zero
		for _, l := range lines {
			if err := waivable(l, r.MerchantID); err != nil {
				return "", err
			}
			take.LineIds, take.BillIds = append(take.LineIds, l.ID), append(take.BillIds, l.BillID)
			take.Ids, take.Amounts = append(take.Ids, service.NewID()), append(take.Amounts, l.Gross)
			legs = append(legs, ledger.Leg{Account: ledger.Revenue(p.MallID, l.Code), Amount: l.Net})
			vat = vat.Add(l.Vat)
		}
		legs = append(legs, ledger.Leg{Account: ledger.VATPayable(p.MallID), Amount: vat},
			ledger.Leg{Account: ledger.TenantReceivable(r.MerchantID), Amount: r.Amount.Neg()})
	case ApproveDepositApply, ApproveDepositRefund:
		if err := q.LockApprovalsOfContract(ctx, r.ContractID); err != nil {
			return "", err
		}
		reg, err := deposit(ctx, tx, *r.ContractID, r.MerchantID, r.MallID)
		if err != nil {
			return "", err
		}
		if r.Amount.GreaterThan(reg.Held) {
			return "", ErrAboveDeposit.Msgf("%s is more than the %s held", r.Amount, reg.Held)
		}
		legs = append(legs, ledger.Leg{Account: ledger.DepositHeld(r.MerchantID), Amount: r.Amount})
		if ApprovalKind(r.Kind) == ApproveDepositRefund {
			legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: r.Amount.Neg()})
			break
		}
		a, err := s.arrearsAllocation(ctx, tx, *r.ContractID, r.Amount)
		if err != nil {
			return "", err
		}
		take.Kind = "deposit"
		for _, pt := range a.Parts {
			take.LineIds, take.BillIds = append(take.LineIds, uuid.MustParse(pt.LineID)), append(take.BillIds, uuid.MustParse(pt.BillID))
			take.Ids, take.Amounts = append(take.Ids, service.NewID()), append(take.Amounts, pt.Amount)
		}
		legs = append(legs, ledger.Leg{Account: ledger.TenantReceivable(r.MerchantID), Amount: r.Amount.Neg()})
	}
	if len(take.LineIds) > 0 {
		if err := q.TakeFromLines(ctx, take); err != nil {
			return "", err
		}
		if err := q.RefreshBillOutstanding(ctx, take.BillIds); err != nil {
			return "", err
		}
	}
	key := approvalKey(r.ID)
	posted, err := s.ledger.PostManyTx(ctx, tx, p.GroupID, []ledger.Posting{{GroupID: p.GroupID,
		Kind: ledger.PostingKind("billing_" + r.Kind), Key: key, Memo: r.Reason, Legs: merged(legs)}})
	if err == nil && len(posted) != 1 {
		err = ErrApprovalStatus.Msgf("request %s was posted before", r.ID)
	}
	return key, err
}
