package auth

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/storage"
)

// Lockout is the staff login back-off, counted in Redis so every replica agrees. An
// attempt is counted before its password is checked (atomically, in one script), so
// parallel guesses cannot overtake the count: 30 at once count as 30 and only the first
// MaxFailures are checked. The count is per account and client address, so someone
// guessing from elsewhere cannot lock the owner out; a looser per-account count
// (MaxFailures × AccountFactor from all addresses) still bounds a distributed guess. A
// success clears the client's count and the account's; a window starts at the first
// failure and is not extended by later ones, so a lock always ends.
type Lockout struct {
	rdb         storage.Redis
	MaxFailures int64
	Window      time.Duration
}

// AccountFactor multiplies MaxFailures into the per-account limit across addresses.
const AccountFactor = 10

// NewLockout returns a lockout of maxFailures per client and window.
func NewLockout(rdb storage.Redis, maxFailures int64, window time.Duration) *Lockout {
	return &Lockout{rdb: rdb, MaxFailures: maxFailures, Window: window}
}

// keys are the client's and the account's counters; the {account} hash tag keeps both
// in one Redis Cluster slot, as one script needs.
func (l *Lockout) keys(account, client string) []string {
	tag := "{" + strings.ToLower(account) + "}"
	return []string{l.rdb.Key("loginfail", tag, client), l.rdb.Key("loginfail", tag)}
}

// reserve counts an attempt on both counters and returns the milliseconds left of the
// lock when either is over its limit, or -1 when the attempt may go ahead.
var reserve = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local g = redis.call('INCR', KEYS[2])
if g == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
if n > tonumber(ARGV[2]) then return redis.call('PTTL', KEYS[1]) end
if g > tonumber(ARGV[3]) then return redis.call('PTTL', KEYS[2]) end
return -1`)

// Reserve counts a login attempt by client on account before the password is checked.
// It reports whether the attempt may go ahead and, if not, for how long the lock lasts.
func (l *Lockout) Reserve(ctx context.Context, account, client string) (bool, time.Duration, error) {
	left, err := reserve.Run(ctx, l.rdb, l.keys(account, client),
		l.Window.Milliseconds(), l.MaxFailures, l.MaxFailures*AccountFactor).Int64()
	if err != nil {
		return false, 0, err
	}
	if left < 0 {
		return true, 0, nil
	}
	return false, time.Duration(left) * time.Millisecond, nil
}

// Reset clears the counts after a successful login by client.
func (l *Lockout) Reset(ctx context.Context, account, client string) error {
	for _, k := range l.keys(account, client) {
		if err := l.rdb.Del(ctx, k).Err(); err != nil {
			return err
		}
	}
	return nil
}

// Unlock clears every count on account, from all client addresses (an admin's unlock):
// the owner may log in again at once from anywhere.
func (l *Lockout) Unlock(ctx context.Context, account string) error {
	tag := "{" + strings.ToLower(account) + "}"
	keys := []string{l.rdb.Key("loginfail", tag)}
	pattern := l.rdb.Key("loginfail", tag, "*")
	scan := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, escapeGlob(pattern), 1000).Iterator()
		for it.Next(ctx) {
			keys = append(keys, it.Val())
		}
		return it.Err()
	}
	var err error
	if cc, ok := l.rdb.UniversalClient.(*redis.ClusterClient); ok {
		var mu sync.Mutex
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			mu.Lock() // keys is shared
			defer mu.Unlock()
			return scan(ctx, c)
		})
	} else {
		err = scan(ctx, l.rdb)
	}
	if err != nil {
		return err
	}
	for _, k := range keys { // one by one: a cluster refuses DEL across slots
		if err := l.rdb.Del(ctx, k).Err(); err != nil {
			return err
		}
	}
	return nil
}

// escapeGlob escapes Redis glob characters in s except a trailing "*".
func escapeGlob(s string) string {
	body, star := strings.CutSuffix(s, "*")
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`, "]", `\]`)
	if star {
		return r.Replace(body) + "*"
	}
	return r.Replace(body)
}
