package coupons

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
)

// The claim gate keeps flash sales off PostgreSQL, and a slot per coupon keeps
// PostgreSQL off a hot row.
//
// PostgreSQL is the truth. A template may issue `slots` coupons (its stock, or fewer
// when its budget allows fewer; a generated column), and every coupon holds one slot
// 1..slots, unique per template (coupons_template_slot_key): however the slots are
// handed out, no template issues more than it may. A claim writes, in one statement
// (ClaimInSlot), one more of the member's claims within the per-member limit (a
// conditional upsert of coupon_member_claims, a row contended only by that member's
// own claims), its coupon in its slot if the template is active and has that slot (the
// template row is read, never locked or updated), and one more in one of 16 shards of
// coupon_issue_counts (slot % 16: the claims committing together hold neighbouring
// slots, so they update different rows). So the winners of a flash sale commit side
// by side instead of one after another on the template's row.
//
// Redis is the gate in front of it: per template a hash {gen, open, limit, out (the
// answer when no slot is left), m:<member> → count} and a list of free slot spans
// ("lo:hi", lowest first, ending with "end:<gen>"), and a Lua script that atomically
// checks each member's limit and hands out the lowest free slot. The claims of a
// template arriving together call it in one batch (batcher), so thousands of claimers
// cost a few round trips to Redis; of them only about `slots` reach PostgreSQL.
//
// A winner whose transaction fails (or is an idempotent replay) gives its slot and its
// unit of the member's limit back to the gate it came from (gen: a gate rebuilt since
// ignores it, having read the slot as free from PostgreSQL). A winner refused by
// PostgreSQL for the member's limit gives the slot back and marks the member at the
// limit. A winner whose slot turns out to be taken (a gate rebuilt while claims were
// committing, or an issue outside the gate) keeps it out of the gate with the run of
// taken slots that follows it (skipScript) and asks for another: the slot was
// consumed by the right coupon, so nothing is lost and nothing issued twice.
//
// Rebuilding: when the hash or the list is missing (Redis restarted, evicted or
// flushed), rebuildGate reads the taken slots and the members' claim counts from
// PostgreSQL and installs a new gate (a new gen) — one caller at a time, holding a
// short Redis lock so a herd of claims does not read PostgreSQL together. Claims still
// committing under the old gate may find their slots handed out again; the slot key
// settles who has it, and the loser takes another. Changing a template's status
// rebuilds its gate too (open or closed).
//
// Issues outside the gate (campaign rewards, points purchases, segment issues: IssueTx,
// in the caller's transaction) lock the template row among themselves only and take
// the highest free slot, from the top down (the gate hands out from the bottom up), so
// the two meet only when the template is nearly sold out.
const (
	gateRebuild = -1 // no gate (or a broken one): rebuild and retry
	gateLimit   = -2
	gateSoldOut = -3
	gateClosed  = -4
	gateBudget  = -5 // no slot left, the budget allowing fewer coupons than the stock
)

// reserveScript hands out a slot to each member of ARGV in turn: {gen, outcome…}, an
// outcome being a slot or a gate… value.
var reserveScript = redis.NewScript(`
local g = redis.call('HMGET', KEYS[1], 'gen', 'open', 'limit', 'out')
local out = {g[1] or ''}
for i, m in ipairs(ARGV) do
  local r = -1
  if not g[1] then
    r = -1
  elseif g[2] ~= '1' then
    r = -4
  elseif tonumber(redis.call('HGET', KEYS[1], m) or '0') >= tonumber(g[3]) then
    r = -2
  else
    local f = redis.call('LINDEX', KEYS[2], 0)
    local lo, hi = string.match(f or '', '^(%d+):(%d+)$')
    if not lo then
      if f == 'end:' .. g[1] then r = tonumber(g[4]) end
    else
      lo, hi = tonumber(lo), tonumber(hi)
      if lo >= hi then redis.call('LPOP', KEYS[2]) else redis.call('LSET', KEYS[2], 0, (lo + 1) .. ':' .. hi) end
      redis.call('HINCRBY', KEYS[1], m, 1)
      r = lo
    end
  end
  out[i + 1] = r
end
return out`)

// giveBackScript returns a slot (ARGV[3], 0: none) to the gate of gen ARGV[2] and
// settles the member's count (ARGV[4]: unit gives one back, limit marks the member at
// the limit, keep leaves it).
var giveBackScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[2] then return 0 end
if ARGV[3] ~= '0' then redis.call('LPUSH', KEYS[2], ARGV[3] .. ':' .. ARGV[3]) end
if ARGV[4] == 'limit' then
  redis.call('HSET', KEYS[1], ARGV[1], redis.call('HGET', KEYS[1], 'limit'))
elseif ARGV[4] == 'unit' and redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1`)

// skipScript removes the taken slots ARGV[2]..ARGV[3] from the free spans of the gate
// of gen ARGV[1].
var skipScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[1] then return 0 end
local lo, hi = tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for _, r in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local a, b = string.match(r, '^(%d+):(%d+)$')
  a, b = tonumber(a), tonumber(b)
  if not a or b < lo or a > hi then
    table.insert(out, r)
  else
    if a < lo then table.insert(out, a .. ':' .. (lo - 1)) end
    if b > hi then table.insert(out, (hi + 1) .. ':' .. b) end
  end
end
redis.call('DEL', KEYS[2])
for i = 1, #out, 2000 do
  redis.call('RPUSH', KEYS[2], unpack(out, i, math.min(i + 1999, #out)))
end
return 1`)

// installScript replaces the gate: ARGV[1] hash arguments (field, value, …), then the
// list.
var installScript = redis.NewScript(`
redis.call('DEL', KEYS[1], KEYS[2])
local n = tonumber(ARGV[1]) + 1
for i = 2, n, 2000 do
  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 1999, n)))
end
for i = n + 1, #ARGV, 2000 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 1999, #ARGV)))
end
return 1`)

// gateKeys are the gate's hash and list of free slots (one hash slot in Redis Cluster).
func (s *Service) gateKeys(templateID uuid.UUID) []string {
	h := s.redis.Key("coupons", "gate", "{"+templateID.String()+"}")
	return []string{h, h + ":free"}
}

func memberField(memberID uuid.UUID) string { return "m:" + memberID.String() }

// reservation is the gate's answer: a slot (> 0) or a gate… outcome, and the gate's gen.
type reservation struct {
	slot int64
	gen  string
}

// reserve asks the gate for a slot, in one batch with the claims of the template
// made at the same time (reserveBatch).
func (s *Service) reserve(ctx context.Context, templateID, memberID uuid.UUID) (reservation, error) {
	return s.reserves.do(ctx, templateID.String(), memberField(memberID))
}

// reserveBatchMax bounds the members of one reserveScript call (a few µs each in Redis).
const reserveBatchMax = 256

// reserveBatch runs reserveScript for members of template id.
func (s *Service) reserveBatch(ctx context.Context, id string, members []string) ([]reservation, error) {
	templateID, err := uuid.Parse(id)
	if err != nil {
		return nil, err
	}
	args := make([]any, len(members))
	for i, m := range members {
		args[i] = m
	}
	res, err := reserveScript.Run(ctx, s.redis, s.gateKeys(templateID), args...).Slice()
	if err != nil || len(res) != len(members)+1 {
		return nil, fmt.Errorf("coupons: gate: %v (%d answers for %d)", err, len(res), len(members))
	}
	gen, _ := res[0].(string)
	out := make([]reservation, len(members))
	for i := range out {
		slot, _ := res[i+1].(int64)
		out[i] = reservation{slot: slot, gen: gen}
	}
	return out, nil
}

// The member's count, when a slot is given back.
const (
	memberUnit  = "unit"  // one unit back: the claim took nothing
	memberLimit = "limit" // PostgreSQL says the member is at the limit
	memberKeep  = "keep"
)

// giveBack returns slot (0: none) to the gate of r and settles the member's count; a
// gate rebuilt since is left alone.
func (s *Service) giveBack(ctx context.Context, templateID, memberID uuid.UUID, r reservation, slot int64, member string) {
	_ = giveBackScript.Run(context.WithoutCancel(ctx), s.redis, s.gateKeys(templateID),
		memberField(memberID), r.gen, slot, member).Err()
}

// skipTaken keeps the slot of r, found taken, and the taken slots that follow it out
// of the gate of r.
func (s *Service) skipTaken(ctx context.Context, templateID uuid.UUID, r reservation) error {
	last, err := queries.New(s.db.Pool).TakenRunEnd(ctx, int32(r.slot), templateID)
	if err != nil {
		return err
	}
	return skipScript.Run(ctx, s.redis, s.gateKeys(templateID), r.gen, r.slot, max(int64(last), r.slot)).Err()
}

// rebuildGate rebuilds the gate from PostgreSQL unless someone already replaced the
// gate of gen stale ("": the gate was missing; force: rebuild regardless). One caller
// rebuilds, holding a short Redis lock so a herd of claims does not read PostgreSQL
// together; the others wait briefly for the new gate.
func (s *Service) rebuildGate(ctx context.Context, templateID uuid.UUID, stale string, force bool) error {
	if !force && s.gateReplaced(ctx, templateID, stale) {
		return nil
	}
	lock := s.gateKeys(templateID)[0] + ":lock"
	got, err := s.redis.SetNX(ctx, lock, "1", 5*time.Second).Result()
	if err != nil {
		return err
	}
	if !got && !force {
		return s.awaitGate(ctx, templateID, stale)
	}
	defer s.redis.Del(context.WithoutCancel(ctx), lock)
	if !force && s.gateReplaced(ctx, templateID, stale) {
		return nil
	}
	return s.installGate(ctx, templateID)
}

// awaitGate waits up to a second for another caller to replace the gate of gen stale.
func (s *Service) awaitGate(ctx context.Context, templateID uuid.UUID, stale string) error {
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

// gateReplaced reports whether a gate exists whose gen is not stale.
func (s *Service) gateReplaced(ctx context.Context, templateID uuid.UUID, stale string) bool {
	cur, err := s.redis.HGet(ctx, s.gateKeys(templateID)[0], "gen").Result()
	return err == nil && cur != stale
}

// installGate builds the gate from PostgreSQL and installs it under a new gen.
func (s *Service) installGate(ctx context.Context, templateID uuid.UUID) error {
	t, err := s.template(ctx, s.db.Pool, templateID)
	if err != nil {
		return err
	}
	s.rememberTerms(t)
	q := queries.New(s.db.Pool)
	runs, err := q.TakenSlotRuns(ctx, templateID)
	if err != nil {
		return err
	}
	claims, err := q.MemberClaims(ctx, templateID)
	if err != nil {
		return err
	}
	args := gateArgs(t, runs, claims, strconv.FormatUint(rand.Uint64(), 36))
	return installScript.Run(ctx, s.redis, s.gateKeys(templateID), args...).Err()
}

// gateArgs are installScript's arguments for template t, whose taken slots are runs
// and whose members have claims.
func gateArgs(t Template, runs []queries.TakenSlotRunsRow, claims []queries.MemberClaimsRow, gen string) []any {
	open := 0
	if t.Status == TemplateActive {
		open = 1
	}
	out := gateSoldOut
	if errors.Is(exhausted(t), ErrBudgetExhausted) {
		out = gateBudget
	}
	hash := []any{"gen", gen, "open", open, "limit", t.PerMember, "out", out}
	for _, c := range claims {
		hash = append(hash, memberField(c.MemberID), c.Claimed)
	}
	taken := make([]span, len(runs))
	for i, r := range runs {
		taken[i] = span{int(r.First), int(r.Last)}
	}
	args := append([]any{len(hash)}, hash...)
	for _, f := range freeSpans(taken, t.Slots) {
		args = append(args, fmt.Sprintf("%d:%d", f.first, f.last))
	}
	return append(args, "end:"+gen)
}
