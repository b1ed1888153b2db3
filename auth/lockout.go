package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/storage"
)

// Lockout counts failed logins per account in Redis. After MaxFailures failures within
// Window the account is locked until the window (which restarts at each failure) ends.
type Lockout struct {
	rdb         storage.Redis
	MaxFailures int64
	Window      time.Duration
}

// NewLockout returns a lockout of maxFailures per window.
func NewLockout(rdb storage.Redis, maxFailures int64, window time.Duration) *Lockout {
	return &Lockout{rdb: rdb, MaxFailures: maxFailures, Window: window}
}

func (l *Lockout) key(account string) string {
	return l.rdb.Key("loginfail", strings.ToLower(account))
}

// Locked reports whether account is locked and for how long.
func (l *Lockout) Locked(ctx context.Context, account string) (bool, time.Duration, error) {
	n, err := l.rdb.Get(ctx, l.key(account)).Int64()
	if err != nil && !errors.Is(err, redis.Nil) {
		return false, 0, err
	}
	if n < l.MaxFailures {
		return false, 0, nil
	}
	ttl, err := l.rdb.PTTL(ctx, l.key(account)).Result()
	return true, ttl, err
}

// Fail records a failed attempt.
func (l *Lockout) Fail(ctx context.Context, account string) error {
	pipe := l.rdb.TxPipeline()
	pipe.Incr(ctx, l.key(account))
	pipe.PExpire(ctx, l.key(account), l.Window)
	_, err := pipe.Exec(ctx)
	return err
}

// Reset clears the failures after a successful login.
func (l *Lockout) Reset(ctx context.Context, account string) error {
	return l.rdb.Del(ctx, l.key(account)).Err()
}
