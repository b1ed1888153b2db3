package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/storage"
)

// Session errors.
var (
	ErrRefreshInvalid = errors.New("auth: refresh token invalid")
	ErrRefreshReused  = errors.New("auth: refresh token reused; session revoked")
	ErrSessionRevoked = errors.New("auth: session revoked or expired")
)

// Sessions keeps refresh-token families in Redis. A refresh token is "<sid>.<secret>";
// only the SHA-256 of the secret is stored. Every refresh marks the presented token used
// and issues the next one; presenting a used token deletes the whole session, so a
// stolen token stops working for thief and owner alike. Keys of one session share the
// {sid} hash tag, so the rotation script works on Redis Cluster.
type Sessions struct {
	rdb storage.Redis
	ttl time.Duration
}

// Session is a stored session.
type Session struct {
	ID      string
	Kind    Kind
	Subject uuid.UUID
}

// NewSessions keeps sessions for ttl after their last refresh.
func NewSessions(rdb storage.Redis, ttl time.Duration) *Sessions {
	return &Sessions{rdb: rdb, ttl: ttl}
}

func (s *Sessions) sessKey(sid string) string { return s.rdb.Key("sess", "{"+sid+"}") }
func (s *Sessions) tokenKey(sid, hash string) string {
	return s.rdb.Key("rt", "{"+sid+"}", hash)
}

// Create starts a session for subject and returns it with its first refresh token.
// extra fields (e.g. a WeChat session_key) are stored with the session and never sent.
func (s *Sessions) Create(ctx context.Context, kind Kind, subject uuid.UUID, extra map[string]string) (Session, string, error) {
	sid := uuid.NewString()
	secret, hash := newSecret()
	fields := map[string]any{"kind": string(kind), "subject": subject.String()}
	for k, v := range extra {
		fields["x:"+k] = v
	}
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, s.sessKey(sid), fields)
	pipe.PExpire(ctx, s.sessKey(sid), s.ttl)
	pipe.HSet(ctx, s.tokenKey(sid, hash), "used", "0")
	pipe.PExpire(ctx, s.tokenKey(sid, hash), s.ttl)
	if _, err := pipe.Exec(ctx); err != nil {
		return Session{}, "", fmt.Errorf("create session: %w", err)
	}
	return Session{ID: sid, Kind: kind, Subject: subject}, sid + "." + secret, nil
}

var rotateScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 'revoked' end
local used = redis.call('HGET', KEYS[2], 'used')
if not used then return 'unknown' end
if used == '1' then
  redis.call('DEL', KEYS[1])
  return 'reused'
end
redis.call('HSET', KEYS[2], 'used', '1')
redis.call('HSET', KEYS[3], 'used', '0')
redis.call('PEXPIRE', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 'ok'`)

// Rotate spends refreshToken and returns the session and the next refresh token.
func (s *Sessions) Rotate(ctx context.Context, refreshToken string) (Session, string, error) {
	sid, secret, ok := strings.Cut(refreshToken, ".")
	if !ok || uuid.Validate(sid) != nil || secret == "" || len(refreshToken) > 200 {
		return Session{}, "", ErrRefreshInvalid
	}
	nextSecret, nextHash := newSecret()
	keys := []string{s.sessKey(sid), s.tokenKey(sid, hashSecret(secret)), s.tokenKey(sid, nextHash)}
	res, err := rotateScript.Run(ctx, s.rdb, keys, s.ttl.Milliseconds()).Text()
	if err != nil {
		return Session{}, "", fmt.Errorf("rotate session: %w", err)
	}
	switch res {
	case "revoked":
		return Session{}, "", ErrSessionRevoked
	case "unknown":
		return Session{}, "", ErrRefreshInvalid
	case "reused":
		s.announce(ctx, sid)
		return Session{}, "", ErrRefreshReused
	}
	sess, err := s.Get(ctx, sid)
	if err != nil {
		return Session{}, "", err
	}
	return sess, sid + "." + nextSecret, nil
}

// Get returns the live session sid, or ErrSessionRevoked.
func (s *Sessions) Get(ctx context.Context, sid string) (Session, error) {
	m, err := s.rdb.HGetAll(ctx, s.sessKey(sid)).Result()
	if err != nil {
		return Session{}, fmt.Errorf("get session: %w", err)
	}
	if len(m) == 0 {
		return Session{}, ErrSessionRevoked
	}
	subject, err := uuid.Parse(m["subject"])
	if err != nil {
		return Session{}, ErrSessionRevoked
	}
	return Session{ID: sid, Kind: Kind(m["kind"]), Subject: subject}, nil
}

// Extra returns the extra field name stored with session sid ("" when absent), or
// ErrSessionRevoked.
func (s *Sessions) Extra(ctx context.Context, sid, name string) (string, error) {
	vals, err := s.rdb.HMGet(ctx, s.sessKey(sid), "kind", "x:"+name).Result()
	if err != nil {
		return "", fmt.Errorf("get session: %w", err)
	}
	if vals[0] == nil {
		return "", ErrSessionRevoked
	}
	v, _ := vals[1].(string)
	return v, nil
}

// Alive reports whether session sid has not been revoked or expired.
func (s *Sessions) Alive(ctx context.Context, sid string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.sessKey(sid)).Result()
	return n == 1, err
}

// Revoke ends session sid (logout); its refresh and access tokens stop working, and
// its open websockets are told at once (Revocations).
func (s *Sessions) Revoke(ctx context.Context, sid string) error {
	if err := s.rdb.Del(ctx, s.sessKey(sid)).Err(); err != nil {
		return err
	}
	s.announce(ctx, sid)
	return nil
}

func (s *Sessions) revokedChannel(sid string) string { return s.rdb.Key("sess", "revoked", sid) }

// announce publishes that session sid has ended. It is a hint: a lost notice only
// delays the close until the socket's next periodic check.
func (s *Sessions) announce(ctx context.Context, sid string) {
	_ = s.rdb.Publish(context.WithoutCancel(ctx), s.revokedChannel(sid), `{}`).Err()
}

// OnRevoke calls notice as soon as session sid is revoked, on any replica, until ctx
// ends. notice runs in the pub/sub hub's receive loop (storage.Hub.SubscribeFunc), so it
// takes effect before any event published after the revocation is handed out; it must
// not block. A notice is a hint to re-check (Alive), not proof.
func (s *Sessions) OnRevoke(ctx context.Context, sid string, notice func()) error {
	return s.rdb.Hub().SubscribeFunc(ctx, s.revokedChannel(sid), func(string) { notice() })
}

func newSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
