package coupons

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/storage"
)

var (
	// errSlotTaken: the template refused the coupon its slot (the slot holds a coupon).
	errSlotTaken = errors.New("coupons: slot taken")
	// errAtLimit: the member holds as many coupons of the template as allowed.
	errAtLimit = errors.New("coupons: member at the limit")
)

// claimPasses bounds the passes of one claim through the gate (a pass ends early when
// the gate must be rebuilt or the slot it handed out was taken).
const claimPasses = 16

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
	for range claimPasses {
		c, retry, err := s.claimOnce(ctx, templateID, member, idempotencyKey)
		if !retry || err != nil {
			return c, err
		}
	}
	return Coupon{}, ErrBusy
}

// claimOnce is one pass through the gate: the coupon, or retry (with a nil error) when
// the gate had to be rebuilt or its slot was taken.
func (s *Service) claimOnce(ctx context.Context, templateID, member uuid.UUID, key string) (Coupon, bool, error) {
	r, err := s.reserve(ctx, templateID, member)
	if err != nil {
		return Coupon{}, false, err
	}
	switch r.slot {
	case gateRebuild:
		return Coupon{}, true, notFound(s.rebuildGate(ctx, templateID, r.gen, false))
	case gateLimit:
		c, err := s.replayOr(ctx, templateID, key, ErrLimitReached)
		return c, false, err
	case gateSoldOut:
		return Coupon{}, false, ErrSoldOut
	case gateBudget:
		return Coupon{}, false, ErrBudgetExhausted
	case gateClosed:
		return Coupon{}, false, ErrNotActive
	}
	if c, ok := s.claimFast(ctx, templateID, member, int(r.slot), key); ok {
		return c, false, nil
	}
	c, replayed, err := s.claimPG(ctx, templateID, member, int(r.slot), key)
	return c, errors.Is(err, errSlotTaken), s.settle(ctx, templateID, member, r, replayed, err)
}

// settle squares the gate with what PostgreSQL did with the slot of r: kept (nothing to
// do), taken by another coupon (the member's unit back, the taken slots skipped),
// refused for the member's limit (the slot back, the member at the limit) or not used
// (both back). It returns the claim's error, nil when the claim should take another slot.
func (s *Service) settle(ctx context.Context, templateID, member uuid.UUID, r reservation, replayed bool, err error) error {
	switch {
	case errors.Is(err, errSlotTaken):
		s.giveBack(ctx, templateID, member, r, 0, memberUnit)
		return s.skipTaken(ctx, templateID, r)
	case errors.Is(err, ErrLimitReached):
		s.giveBack(ctx, templateID, member, r, r.slot, memberLimit)
	case err != nil || replayed:
		s.giveBack(ctx, templateID, member, r, r.slot, memberUnit)
	}
	return err
}

// claimOp is the claim as a value move: one unit of stock, once per key.
func (s *Service) claimOp(templateID uuid.UUID, key string, run func(ctx context.Context, tx pgx.Tx) (Coupon, error)) once.Op[Coupon] {
	return once.Op[Coupon]{Name: "coupons.claim", Key: key, Args: templateID, Run: run}
}

// claimPG issues the coupon in slot, once per key; a refusal says why (refusal).
func (s *Service) claimPG(ctx context.Context, templateID, member uuid.UUID, slot int, key string) (Coupon, bool, error) {
	return once.Do(ctx, s.db, s.claimOp(templateID, key, func(ctx context.Context, tx pgx.Tx) (Coupon, error) {
		now := s.now()
		t, err := s.claimTerms(ctx, tx, templateID)
		if err != nil {
			return Coupon{}, err
		}
		c, err := s.claimInSlot(ctx, tx, t, member, slot, now)
		if errors.Is(err, errAtLimit) || errors.Is(err, errSlotTaken) {
			return Coupon{}, s.refusal(ctx, tx, templateID, now, err)
		}
		return c, err
	}))
}

// refusal is why a claim PostgreSQL refused gets nothing: the template's own state (not
// active, sold out, out of budget) first, else why (the member's limit, or the slot
// taken).
func (s *Service) refusal(ctx context.Context, tx pgx.Tx, templateID uuid.UUID, now time.Time, why error) error {
	t, err := s.template(ctx, tx, templateID)
	if err != nil {
		return err
	}
	if err := unavailable(t, now); err != nil {
		return err
	}
	if errors.Is(why, errAtLimit) {
		return ErrLimitReached
	}
	return why
}

// replayOr returns the stored result of an earlier claim with key, or err.
func (s *Service) replayOr(ctx context.Context, templateID uuid.UUID, key string, err error) (Coupon, error) {
	c, _, txErr := once.Do(ctx, s.db, s.claimOp(templateID, key, func(context.Context, pgx.Tx) (Coupon, error) {
		return Coupon{}, err
	}))
	return c, txErr
}

// claimFast is a winning claim of slot as one implicit transaction on the pool, in one
// round trip: the key's record (once.QueueRecord), the claim's statement
// (ClaimInSlot), its code, the guards that fail unless both were written as made here
// (the member's first claim, the numeric code free) and the stored response. A key
// used before, a refusal, a claim other than the member's first or a numeric code
// taken fails a statement, so the batch writes nothing: ok false, and the caller takes
// the usual way (claimPG), which replays or says why. A template with categories (its
// merchants read first) always takes the usual way.
func (s *Service) claimFast(ctx context.Context, templateID, member uuid.UUID, slot int, key string) (Coupon, bool) {
	t, err := s.claimTerms(ctx, s.db.Pool, templateID)
	if err != nil || len(t.Categories) > 0 {
		return Coupon{}, false
	}
	now := s.now()
	c := newCoupon(t, member, 1, "claim", now)
	op := s.claimOp(templateID, key, nil)
	var b storage.Batch
	if once.QueueRecord(ctx, &b, op) != nil {
		return Coupon{}, false
	}
	b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).ClaimInSlot(ctx, queries.ClaimInSlotParams{TemplateID: t.ID, MemberID: member,
			PerMember: int32(t.PerMember), ID: c.ID, Slot: int32(slot), Source: c.Source, ValidFrom: c.ValidFrom,
			ValidUntil: c.ValidUntil, Now: now, MallID: t.MallID, Shard: shardOf(slot)})
	})
	b.Queue(func(q storage.Querier) { _ = queries.New(q).MustHaveClaimed(ctx, c.ID, int32(c.Seq)) })
	code, err := s.codes.QueueIssueTx(ctx, s.db.Pool, &b, codeInput(t, c, t.MerchantIDs))
	if err != nil {
		return Coupon{}, false
	}
	code.QueueMustInsert(ctx, &b)
	c = c.withCode(code.Expected())
	if once.QueueRecordResponse(ctx, &b, op, c) != nil || b.Send(ctx, s.db.Pool) != nil {
		return Coupon{}, false
	}
	return c, true
}

// claimInSlot is issueInSlot for a claim (its transaction ends with it: a refusal
// rolls it back) in one round trip where issueInSlot takes two: the claim's statement,
// its coupon's code and the stored response (once.QueueResponse, made for the usual
// first claim of the member: seq 1) go in one batch. The code queued with a refused
// claim is rolled back with it.
func (s *Service) claimInSlot(ctx context.Context, tx pgx.Tx, t Template, member uuid.UUID, slot int, now time.Time) (Coupon, error) {
	c := newCoupon(t, member, 0, "claim", now)
	merchants, err := merchantsOf(ctx, queries.New(tx), t)
	if err != nil {
		return c, err
	}
	var b storage.Batch
	var r queries.ClaimInSlotRow
	b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).ClaimInSlot(ctx, queries.ClaimInSlotParams{TemplateID: t.ID, MemberID: member,
			PerMember: int32(t.PerMember), ID: c.ID, Slot: int32(slot), Source: c.Source, ValidFrom: c.ValidFrom,
			ValidUntil: c.ValidUntil, Now: now, MallID: t.MallID, Shard: shardOf(slot)})
	}).QueryRow(func(row pgx.Row) error { return row.Scan(&r.Claimed, &r.Seq, &r.Counted) })
	code, err := s.codes.QueueIssueTx(ctx, tx, &b, codeInput(t, c, merchants))
	if err != nil {
		return c, fmt.Errorf("issue code of coupon: %w", err)
	}
	expected := c
	expected.Seq = 1
	if err := once.QueueResponse(ctx, &b, expected.withCode(code.Expected())); err != nil {
		return c, err
	}
	if err := b.Send(ctx, tx); err != nil {
		return c, storage.MapError(err)
	}
	switch {
	case r.Claimed == 0:
		return c, errAtLimit
	case r.Seq == 0:
		return c, errSlotTaken
	}
	c.Seq = int(r.Seq)
	issued, err := code.Code(ctx, tx)
	if err != nil {
		return c, fmt.Errorf("issue code of coupon: %w", err)
	}
	return c.withCode(issued), nil
}

// issueInSlot issues the member's coupon of t in slot, in one statement (ClaimInSlot):
// one more of the member's claims (errAtLimit at the limit), the coupon (errSlotTaken
// when the template refuses the slot) and one more in the issued count's shard of the
// slot; then its code. A refusal has written what the caller's rollback undoes.
func (s *Service) issueInSlot(ctx context.Context, tx pgx.Tx, t Template, member uuid.UUID, slot int, source string, now time.Time) (Coupon, error) {
	c := newCoupon(t, member, 0, source, now)
	r, err := queries.New(tx).ClaimInSlot(ctx, queries.ClaimInSlotParams{TemplateID: t.ID, MemberID: member,
		PerMember: int32(t.PerMember), ID: c.ID, Slot: int32(slot), Source: source, ValidFrom: c.ValidFrom,
		ValidUntil: c.ValidUntil, Now: now, MallID: t.MallID, Shard: shardOf(slot)})
	switch {
	case err != nil:
		return c, storage.MapError(err)
	case r.Claimed == 0:
		return c, errAtLimit
	case r.Seq == 0:
		return c, errSlotTaken
	}
	c.Seq = int(r.Seq)
	return s.issueCode(ctx, tx, t, c)
}

// countClaim counts one more claim of t by member and returns it (the coupon's seq), or
// errAtLimit.
func countClaim(ctx context.Context, tx pgx.Tx, t Template, member uuid.UUID) (int, error) {
	seq, err := queries.New(tx).CountMemberClaim(ctx, queries.CountMemberClaimParams{
		TemplateID: t.ID, MemberID: member, PerMember: int32(t.PerMember)})
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return 0, errAtLimit
	}
	return int(seq), err
}

// countIssued counts one more coupon of t, in the shard of its slot.
func countIssued(ctx context.Context, tx pgx.Tx, t Template, slot int) error {
	return queries.New(tx).CountIssued(ctx, queries.CountIssuedParams{MallID: t.MallID, TemplateID: t.ID,
		Shard: shardOf(slot)})
}

// IssueTx issues a coupon of a template to a member outside the gate (campaign rewards,
// points purchases, segment issues) in the caller's transaction. Issues outside the
// gate queue on the template's row (TemplateForUpdate) among themselves only, and
// take the highest free slot, so they meet the gate's claims (lowest first) only when
// the template is nearly sold out. A refusal by the template's state, stock or budget,
// or by the member's limit, has written nothing.
func (s *Service) IssueTx(ctx context.Context, tx pgx.Tx, templateID, memberID uuid.UUID, source string) (Coupon, error) {
	now := s.now()
	t, err := lockTemplate(ctx, tx, templateID)
	if err != nil {
		return Coupon{}, err
	}
	if err := unavailable(t, now); err != nil {
		return Coupon{}, err
	}
	seq, err := countClaim(ctx, tx, t, memberID)
	if errors.Is(err, errAtLimit) {
		return Coupon{}, ErrLimitReached
	} else if err != nil {
		return Coupon{}, err
	}
	for _, top := range outsideTops(t) {
		c, slot, err := s.insertFromTop(ctx, tx, t, memberID, seq, top, source, now)
		if errors.Is(err, errSlotTaken) {
			continue
		} else if err != nil {
			return c, err
		}
		if err := countIssued(ctx, tx, t, slot); err != nil {
			return c, err
		}
		next := int32(slot - 1)
		return c, queries.New(tx).SetOutsideSlot(ctx, &next, t.ID)
	}
	return Coupon{}, exhausted(t) // every free slot is held by claims still committing
}

// lockTemplate reads and locks a template for an issue outside the gate.
func lockTemplate(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Template, error) {
	row, err := queries.New(tx).TemplateForUpdate(ctx, id)
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return Template{}, errs.ErrNotFound.Msgf("coupon template not found")
	} else if err != nil {
		return Template{}, err
	}
	return templateOf(row.CouponTemplate, row.Issued)
}

// insertFromTop inserts the coupon in the highest free slot at or below top, and
// returns it and its slot (errSlotTaken: none is free).
func (s *Service) insertFromTop(ctx context.Context, tx pgx.Tx, t Template, member uuid.UUID, seq, top int, source string, now time.Time) (Coupon, int, error) {
	for top > 0 {
		slot, err := queries.New(tx).FreeSlotBelow(ctx, int32(top), t.ID)
		if err != nil || slot == 0 {
			return Coupon{}, 0, cmp.Or(err, errSlotTaken)
		}
		c, err := s.insertCoupon(ctx, tx, t, newCoupon(t, member, seq, source, now), int(slot), now)
		if !errors.Is(err, errSlotTaken) {
			return c, int(slot), err
		}
		top = int(slot) - 1 // taken meanwhile by a claim
	}
	return Coupon{}, 0, errSlotTaken
}

// claimTerms is the template a claim makes its coupon from, read once per process
// (and by one caller at a time: the others wait for its read): only its terms are used
// (mall, merchants and categories, validity, per-member limit, stock and slots), which
// never change once the template is created — its status and issued count are checked
// by ClaimInSlot and the slot key, never from here.
func (s *Service) claimTerms(ctx context.Context, q queries.DBTX, id uuid.UUID) (Template, error) {
	s.termsMu.Lock()
	e, ok := s.terms[id]
	if !ok {
		e = s.newTerms(id)
	}
	s.termsMu.Unlock()
	if ok {
		select {
		case <-e.ready:
		case <-ctx.Done():
			return Template{}, ctx.Err()
		}
		if e.err == nil {
			return e.t, nil
		}
		return s.template(ctx, q, id) // the read it waited for failed: its own
	}
	e.t, e.err = s.template(ctx, q, id)
	if e.err != nil {
		s.termsMu.Lock()
		if s.terms[id] == e {
			delete(s.terms, id)
		}
		s.termsMu.Unlock()
	}
	close(e.ready)
	return e.t, e.err
}

// termsEntry is a template in the terms cache, ready once read.
type termsEntry struct {
	ready chan struct{}
	t     Template
	err   error
}

// newTerms adds an entry for id, being read, to the terms cache (held: termsMu).
func (s *Service) newTerms(id uuid.UUID) *termsEntry {
	if s.terms == nil || len(s.terms) >= 4096 {
		s.terms = map[uuid.UUID]*termsEntry{}
	}
	e := &termsEntry{ready: make(chan struct{})}
	s.terms[id] = e
	return e
}

// rememberTerms puts t in the terms cache (the gate read it).
func (s *Service) rememberTerms(t Template) {
	e := &termsEntry{ready: make(chan struct{}), t: t}
	close(e.ready)
	s.termsMu.Lock()
	defer s.termsMu.Unlock()
	if s.terms == nil || len(s.terms) >= 4096 {
		s.terms = map[uuid.UUID]*termsEntry{}
	}
	s.terms[t.ID] = e
}

func notFound(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return errs.ErrNotFound.Msgf("coupon template not found")
	}
	return err
}
