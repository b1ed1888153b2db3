package coupons

import (
	"cmp"
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/storage"
)

// errStaleGate: the claim was admitted by a gate that has since been rebuilt.
var errStaleGate = errors.New("coupons: claim gate was rebuilt")

// Claim claims one coupon of a template for the shopper viewer (领券), through the
// flash-sale gate (see gate.go). A repeat with the same idempotency key returns the
// first coupon.
func (s *Service) Claim(ctx context.Context, templateID uuid.UUID, idempotencyKey string) (Coupon, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return Coupon{}, err
	}
	if err := once.ValidKey(idempotencyKey); err != nil {
		return Coupon{}, err
	}
	for range 8 {
		c, retry, err := s.claimOnce(ctx, templateID, member, idempotencyKey)
		if !retry || err != nil {
			return c, err
		}
	}
	return Coupon{}, ErrBusy
}

// claimOnce is one pass through the gate: the coupon, or retry (with a nil error) when
// the gate had to be rebuilt.
func (s *Service) claimOnce(ctx context.Context, templateID, member uuid.UUID, key string) (Coupon, bool, error) {
	outcome, epoch, err := s.reserve(ctx, templateID, member)
	if err != nil {
		return Coupon{}, false, err
	}
	switch outcome {
	case gateRebuild:
		return Coupon{}, true, notFound(s.rebuildGate(ctx, templateID, -1, false))
	case gateLimit:
		c, err := s.replayOr(ctx, templateID, key, ErrLimitReached)
		return c, false, err
	case gateSoldOut:
		return Coupon{}, false, ErrSoldOut
	case gateClosed:
		return Coupon{}, false, ErrNotActive
	}
	c, replayed, err := s.claimPG(ctx, templateID, member, epoch, key)
	if errors.Is(err, errStaleGate) {
		return Coupon{}, true, s.rebuildGate(ctx, templateID, epoch, false)
	}
	if err != nil || replayed {
		s.release(ctx, templateID, member, epoch)
	}
	return c, false, err
}

// claimOp is the claim as a value move: one unit of stock, once per key.
func (s *Service) claimOp(templateID uuid.UUID, key string, run func(ctx context.Context, tx pgx.Tx) (Coupon, error)) once.Op[Coupon] {
	return once.Op[Coupon]{Name: "coupons.claim", Key: key, Args: templateID, Run: run}
}

func (s *Service) claimPG(ctx context.Context, templateID, member uuid.UUID, epoch int64, key string) (Coupon, bool, error) {
	return once.Do(ctx, s.db, s.claimOp(templateID, key, func(ctx context.Context, tx pgx.Tx) (Coupon, error) {
		return s.claimTx(ctx, tx, templateID, member, &epoch, "claim")
	}))
}

// replayOr returns the stored result of an earlier claim with key, or err.
func (s *Service) replayOr(ctx context.Context, templateID uuid.UUID, key string, err error) (Coupon, error) {
	c, _, txErr := once.Do(ctx, s.db, s.claimOp(templateID, key, func(context.Context, pgx.Tx) (Coupon, error) {
		return Coupon{}, err
	}))
	return c, txErr
}

// IssueTx issues a coupon of a template to a member outside the gate (campaign rewards,
// points purchases, segment issues) in the caller's transaction. It takes stock like a
// claim and marks the gate stale, so the next claim rebuilds it.
func (s *Service) IssueTx(ctx context.Context, tx pgx.Tx, templateID, memberID uuid.UUID, source string) (Coupon, error) {
	return s.claimTx(ctx, tx, templateID, memberID, nil, source)
}

// claimTx takes one unit of stock and of the member's limit and issues the coupon and
// its redemption code. epoch is the gate epoch the claim was admitted under; nil
// (outside the gate) bumps the epoch instead.
//
// A claim through the gate (claimPG, whose transaction any error rolls back) takes the
// stock last: the template's row lock, on which every claim of the template queues, is
// then held for that UPDATE and the commit only, not for the rows written before it (in
// a flash sale the winners pass through it one by one). Its coupon is built from the
// template's terms (claimTerms), which never change once the template is created; the
// status, stock, budget, validity and gate epoch are what TakeStock checks, under the
// lock. Outside the gate the caller's transaction may outlive a refusal, so the stock
// is taken first and a refused issue has written nothing.
func (s *Service) claimTx(ctx context.Context, tx pgx.Tx, templateID, member uuid.UUID, epoch *int64, source string) (Coupon, error) {
	now := s.now()
	gated := epoch != nil
	var (
		t   Template
		err error
	)
	if gated {
		t, err = s.claimTerms(ctx, tx, templateID)
	} else {
		t, err = s.takeStock(ctx, tx, templateID, nil, now)
	}
	if err != nil {
		return Coupon{}, err
	}
	seq, err := queries.New(tx).CountMemberClaim(ctx, queries.CountMemberClaimParams{
		TemplateID: templateID, MemberID: member, PerMember: int32(t.PerMember)})
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		if gated {
			return Coupon{}, s.limitOr(ctx, tx, templateID, now)
		}
		return Coupon{}, ErrLimitReached
	} else if err != nil {
		return Coupon{}, err
	}
	c, err := s.insertCoupon(ctx, tx, t, member, int(seq), source, now)
	if err != nil || !gated {
		return c, err
	}
	if _, err := s.takeStock(ctx, tx, templateID, epoch, now); err != nil {
		return Coupon{}, err
	}
	return c, nil
}

// takeStock takes one unit of the template's stock and budget (TakeStock) and returns
// the template as updated, or why nothing could be taken.
func (s *Service) takeStock(ctx context.Context, tx pgx.Tx, templateID uuid.UUID, epoch *int64, now time.Time) (Template, error) {
	row, err := queries.New(tx).TakeStock(ctx, queries.TakeStockParams{ID: templateID, Epoch: epoch, Now: now})
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return Template{}, s.whyNot(ctx, tx, templateID, epoch, now)
	} else if err != nil {
		return Template{}, err
	}
	return templateOf(row)
}

// limitOr is why a member at the per-member limit of a template gets nothing: the
// template's own state (not active, sold out) first, as when the stock was taken first.
func (s *Service) limitOr(ctx context.Context, tx pgx.Tx, templateID uuid.UUID, now time.Time) error {
	t, err := s.template(ctx, tx, templateID)
	if err != nil {
		return err
	}
	return cmp.Or(unavailable(t, nil, now), error(ErrLimitReached))
}

// claimTerms is the template a claim makes its coupon from, read once per process:
// only its terms are used (mall, merchants and categories, validity, per-member limit),
// which never change once the template is created — its status, stock, budget and gate
// epoch are checked by TakeStock under the row lock, never from here.
func (s *Service) claimTerms(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Template, error) {
	s.termsMu.Lock()
	t, ok := s.terms[id]
	s.termsMu.Unlock()
	if ok {
		return t, nil
	}
	t, err := s.template(ctx, tx, id)
	if err != nil {
		return t, err
	}
	s.termsMu.Lock()
	if s.terms == nil || len(s.terms) >= 4096 {
		s.terms = map[uuid.UUID]Template{}
	}
	s.terms[id] = t
	s.termsMu.Unlock()
	return t, nil
}

// whyNot explains why a template's conditional UPDATE took nothing.
func (s *Service) whyNot(ctx context.Context, tx pgx.Tx, templateID uuid.UUID, epoch *int64, now time.Time) error {
	t, err := s.template(ctx, tx, templateID)
	if err != nil {
		return err
	}
	return cmp.Or(unavailable(t, epoch, now), error(ErrBudgetExhausted))
}

// unavailable is what keeps template t from issuing at now (not active or expired,
// sold out, or a gate epoch that is not the template's), or nil.
func unavailable(t Template, epoch *int64, now time.Time) error {
	switch {
	case t.Status != TemplateActive || t.ValidUntil != nil && !t.ValidUntil.After(now):
		return ErrNotActive
	case t.ClaimedCount >= t.TotalStock:
		return ErrSoldOut
	case epoch != nil && *epoch != t.gateEpoch:
		return errStaleGate
	}
	return nil
}

func notFound(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return errs.ErrNotFound.Msgf("coupon template not found")
	}
	return err
}
