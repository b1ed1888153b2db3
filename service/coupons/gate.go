package coupons

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// The claim gate keeps flash sales off PostgreSQL.
//
// PostgreSQL is the truth: a claim commits only if one conditional UPDATE of the
// template (claimed_count < total_stock, within budget, status active, gate_epoch =
// the epoch the claim was admitted under) and one conditional upsert of the member's
// claim count (claimed < per_member) succeed in one transaction. Overselling and
// over-claiming are impossible whatever Redis says.
//
// Redis is the gate in front of it: one hash per template, {epoch, open, stock, limit,
// m:<member> → count}, and a Lua script that atomically checks and reserves one unit of
// stock and one unit of the member's limit. Of thousands of concurrent claims of a
// small stock only about `stock` reach PostgreSQL; the rest are refused in Redis in
// well under a millisecond. A claim that then fails in PostgreSQL (or is an
// idempotent replay) gives its reservation back, but only to the same epoch.
//
// Reconciliation: when the hash is missing (Redis restarted, evicted or flushed) or its
// epoch differs from the template's gate_epoch, rebuildGate locks the template row
// (SELECT … FOR UPDATE, which also waits for claims being committed), bumps
// gate_epoch, computes the remaining stock and per-member counts from PostgreSQL and
// writes the new hash while still holding the lock. Claims admitted under the old
// epoch fail the epoch check in their UPDATE and go through the new gate again, so a
// reservation is counted in exactly one gate and Redis and PostgreSQL agree once the
// sale settles.
const (
	gateRebuild = -1 // no gate (or a stale one): rebuild and retry
	gateLimit   = -2
	gateSoldOut = -3
	gateClosed  = -4
)

var reserveScript = redis.NewScript(`
local g = redis.call('HMGET', KEYS[1], 'epoch', 'open', 'stock', 'limit')
if not g[1] then return {-1, '0'} end
if g[2] ~= '1' then return {-4, g[1]} end
local m = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if m >= tonumber(g[4]) then return {-2, g[1]} end
if tonumber(g[3]) <= 0 then return {-3, g[1]} end
redis.call('HINCRBY', KEYS[1], 'stock', -1)
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return {1, g[1]}`)

var releaseScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[2] then return 0 end
redis.call('HINCRBY', KEYS[1], 'stock', 1)
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1`)

var installScript = redis.NewScript(`
redis.call('DEL', KEYS[1])
for i = 1, #ARGV, 2000 do
  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 1999, #ARGV)))
end
return 1`)

func (s *Service) gateKey(templateID uuid.UUID) string {
	return s.redis.Key("coupons", "gate", "{"+templateID.String()+"}")
}

func memberField(memberID uuid.UUID) string { return "m:" + memberID.String() }

// reserve asks the gate for one unit; it returns the outcome and the gate's epoch.
func (s *Service) reserve(ctx context.Context, templateID, memberID uuid.UUID) (int64, int64, error) {
	res, err := reserveScript.Run(ctx, s.redis, []string{s.gateKey(templateID)}, memberField(memberID)).Slice()
	if err != nil || len(res) != 2 {
		return 0, 0, fmt.Errorf("coupons: gate: %v", err)
	}
	outcome, _ := res[0].(int64)
	epoch, err := strconv.ParseInt(fmt.Sprint(res[1]), 10, 64)
	return outcome, epoch, err
}

// release gives a reservation back to the gate of epoch (a no-op if it was rebuilt).
func (s *Service) release(ctx context.Context, templateID, memberID uuid.UUID, epoch int64) {
	_ = releaseScript.Run(context.WithoutCancel(ctx), s.redis, []string{s.gateKey(templateID)},
		memberField(memberID), epoch).Err()
}

// rebuildGate rebuilds the gate from PostgreSQL unless someone already replaced the
// gate of epoch stale (-1: the gate was missing; force: rebuild regardless). One caller
// rebuilds, holding a short Redis lock so a herd of claims does not queue on the
// template row; the others wait briefly for the new gate.
func (s *Service) rebuildGate(ctx context.Context, templateID uuid.UUID, stale int64, force bool) error {
	if !force && s.gateReplaced(ctx, templateID, stale) {
		return nil
	}
	lock := s.gateKey(templateID) + ":lock"
	got, err := s.redis.SetNX(ctx, lock, "1", 5*time.Second).Result()
	if err != nil {
		return err
	}
	if !got && !force {
		for range 200 {
			if s.gateReplaced(ctx, templateID, stale) {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Millisecond):
			}
		}
		return nil // the caller retries and may take the lock then
	}
	defer s.redis.Del(context.WithoutCancel(ctx), lock)
	return s.rebuildLocked(ctx, templateID, force)
}

// gateReplaced reports whether a gate exists whose epoch is not stale.
func (s *Service) gateReplaced(ctx context.Context, templateID uuid.UUID, stale int64) bool {
	cur, err := s.redis.HGet(ctx, s.gateKey(templateID), "epoch").Int64()
	return err == nil && cur != stale
}

func (s *Service) rebuildLocked(ctx context.Context, templateID uuid.UUID, force bool) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		row, err := q.TemplateForUpdate(ctx, templateID)
		if err != nil {
			return storage.MapError(err)
		}
		t, err := templateOf(row)
		if err != nil {
			return err
		}
		cur, err := s.redis.HGet(ctx, s.gateKey(templateID), "epoch").Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		if !force && cur == strconv.FormatInt(t.gateEpoch, 10) {
			return nil // the gate is current
		}
		epoch := t.gateEpoch + 1
		if err := q.SetGateEpoch(ctx, epoch, templateID); err != nil {
			return err
		}
		args, err := gateFields(ctx, q, t, epoch)
		if err != nil {
			return err
		}
		return installScript.Run(ctx, s.redis, []string{s.gateKey(templateID)}, args...).Err()
	})
}

// gateFields computes the gate's hash from PostgreSQL.
func gateFields(ctx context.Context, q *queries.Queries, t Template, epoch int64) ([]any, error) {
	open := 0
	if t.Status == TemplateActive {
		open = 1
	}
	args := []any{"epoch", epoch, "open", open, "stock", remaining(t), "limit", t.PerMember}
	claims, err := q.MemberClaims(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range claims {
		args = append(args, memberField(c.MemberID), c.Claimed)
	}
	return args, nil
}

// remaining is how many more coupons of t may be claimed, by stock and by budget.
func remaining(t Template) int {
	left := t.TotalStock - t.ClaimedCount
	if t.BudgetCap != nil && t.cost().IsPositive() {
		byBudget := t.BudgetCap.Sub(t.BudgetUsed).Div(t.cost()).Floor().IntPart()
		left = min(left, int(max(byBudget, 0)))
	}
	return max(left, 0)
}
