// Package identity is logging in and out: WeChat login for shoppers, password login with
// back-off for staff, refresh-token rotation, and turning a verified access token into
// the request's viewer.
package identity

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/seal"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Business outcomes of logging in, shown to clients as userErrors.
var (
	ErrWeChatInvalidCode  = errs.New(errs.KindUser, "WECHAT_INVALID_CODE", "the WeChat login code is invalid or used; call wx.login again")
	ErrWeChatRateLimited  = errs.New(errs.KindUser, "WECHAT_RATE_LIMITED", "WeChat is limiting login requests; try again shortly")
	ErrWeChatBusy         = errs.New(errs.KindUser, "WECHAT_BUSY", "WeChat is busy; try again")
	ErrWeChatBlocked      = errs.New(errs.KindUser, "WECHAT_USER_BLOCKED", "WeChat has blocked this account from logging in")
	ErrWeChatFailed       = errs.New(errs.KindUser, "WECHAT_FAILED", "WeChat login failed")
	ErrBadCredentials     = errs.New(errs.KindUser, "INVALID_CREDENTIALS", "wrong username or password")
	ErrAccountLocked      = errs.New(errs.KindUser, "ACCOUNT_LOCKED", "too many failed logins; try again later")
	ErrAccountDisabled    = errs.New(errs.KindUser, "ACCOUNT_DISABLED", "this account is disabled")
	ErrRefreshInvalid     = errs.New(errs.KindUser, "REFRESH_TOKEN_INVALID", "the refresh token is invalid or expired")
	ErrRefreshReused      = errs.New(errs.KindUser, "REFRESH_TOKEN_REUSED", "the refresh token was already used; the session is revoked")
	ErrMemberNotAvailable = errs.New(errs.KindUser, "MEMBER_UNAVAILABLE", "this membership is not active")
)

// Tokens is what a successful login or refresh returns.
type Tokens struct {
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
	Viewer       *auth.Viewer
}

// Deps are the identity context's dependencies, all required.
type Deps struct {
	Org      *org.Service     // staff credentials and grants
	Members  *members.Service // the member behind a WeChat login
	Tokens   *auth.Tokens
	Sessions *auth.Sessions
	Lockout  *auth.Lockout
	WeChat   *auth.WeChat
	// SessionKeys seals each shopper's WeChat session_key before it is kept with the
	// session in Redis (seal.New(dataKey, SessionKeyPurpose)).
	SessionKeys *seal.Sealer
}

// SessionKeyPurpose is the seal purpose of WeChat session keys.
const SessionKeyPurpose = "wechat session keys"

// sessionKeyField is the session field holding the sealed session_key.
const sessionKeyField = "wx_session_key"

// Service is the identity context. It holds no SQL: staff accounts belong to org,
// shoppers to members.
type Service struct {
	org      *org.Service
	members  *members.Service
	tokens   *auth.Tokens
	sessions *auth.Sessions
	lockout  *auth.Lockout
	wechat   *auth.WeChat
	sealer   *seal.Sealer
}

// New returns the identity service; it panics when a dependency is missing.
func New(d Deps) *Service {
	service.MustDeps("identity", d)
	return &Service{org: d.Org, members: d.Members, tokens: d.Tokens, sessions: d.Sessions, lockout: d.Lockout,
		wechat: d.WeChat, sealer: d.SessionKeys}
}

// LoginWeChat exchanges a wx.login code for a session, creating the shopper on first login.
func (s *Service) LoginWeChat(ctx context.Context, code string) (Tokens, error) {
	if code == "" || len(code) > 128 {
		return Tokens{}, errs.Invalid("input.code", "code must be 1 to 128 characters")
	}
	ws, err := s.wechat.Code2Session(ctx, code)
	if err != nil {
		return Tokens{}, mapWeChat(err)
	}
	memberID, status, err := s.members.ShopperLogin(ctx, ws.OpenID, ws.UnionID)
	if err != nil {
		return Tokens{}, err
	}
	if status != members.MemberActive {
		return Tokens{}, ErrMemberNotAvailable
	}
	sealed := s.sealer.Seal([]byte(ws.SessionKey), sessionKeyAD(memberID))
	return s.start(ctx, auth.KindShopper, memberID, map[string]string{sessionKeyField: base64.RawStdEncoding.EncodeToString(sealed)})
}

// sessionKeyAD binds a sealed session_key to its member: copied to another member's
// session, it does not open.
func sessionKeyAD(member uuid.UUID) []byte { return []byte("wx_session_key:" + member.String()) }

// WeChatSessionKey returns the calling shopper's WeChat session_key (to check signed
// user data from wx APIs); it never leaves the server.
func (s *Service) WeChatSessionKey(ctx context.Context) (string, error) {
	id, err := access.Shopper(ctx)
	if err != nil {
		return "", err
	}
	v, err := s.sessions.Extra(ctx, auth.ViewerFrom(ctx).SessionID, sessionKeyField)
	if err != nil {
		return "", err
	}
	sealed, err := base64.RawStdEncoding.DecodeString(v)
	if err != nil {
		return "", fmt.Errorf("session key: %w", err)
	}
	key, err := s.sealer.Open(sealed, sessionKeyAD(id))
	if err != nil {
		return "", fmt.Errorf("session key: %w", err)
	}
	return string(key), nil
}

func mapWeChat(err error) error {
	switch {
	case errors.Is(err, auth.ErrWeChatInvalidCode):
		return ErrWeChatInvalidCode
	case errors.Is(err, auth.ErrWeChatRateLimited):
		return ErrWeChatRateLimited
	case errors.Is(err, auth.ErrWeChatBusy):
		return ErrWeChatBusy
	case errors.Is(err, auth.ErrWeChatBlocked):
		return ErrWeChatBlocked
	}
	return ErrWeChatFailed.Msgf("WeChat login failed: %v", err)
}

// LoginStaff checks a staff password. After repeated failures the account is locked
// for a while (counted in Redis, so every replica agrees).
func (s *Service) LoginStaff(ctx context.Context, username, password string) (Tokens, error) {
	if username == "" || len(username) > 64 || len(password) > 72 {
		return Tokens{}, ErrBadCredentials
	}
	client := auth.ClientFrom(ctx)
	allowed, _, err := s.lockout.Reserve(ctx, username, client) // counted before the check
	if err != nil {
		return Tokens{}, fmt.Errorf("login back-off: %w", err)
	}
	if !allowed {
		return Tokens{}, ErrAccountLocked
	}
	cred, err := s.org.Credentials(ctx, username)
	if errors.Is(err, storage.ErrNotFound) {
		s.org.Passwords().CheckNoUser(password)
		return Tokens{}, ErrBadCredentials
	}
	if err != nil {
		return Tokens{}, err
	}
	if !s.org.Passwords().Check(cred.PasswordHash, password) {
		return Tokens{}, ErrBadCredentials
	}
	if cred.Status != "active" {
		return Tokens{}, ErrAccountDisabled
	}
	if err := s.lockout.Reset(ctx, username, client); err != nil {
		return Tokens{}, err
	}
	if err := s.org.TouchLogin(ctx, cred.ID); err != nil {
		return Tokens{}, err
	}
	return s.start(ctx, auth.KindStaff, cred.ID, nil)
}

// Refresh rotates a refresh token; reusing a spent one revokes the session.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	sess, next, err := s.sessions.Rotate(ctx, refreshToken)
	switch {
	case errors.Is(err, auth.ErrRefreshReused):
		return Tokens{}, ErrRefreshReused
	case errors.Is(err, auth.ErrRefreshInvalid), errors.Is(err, auth.ErrSessionRevoked):
		return Tokens{}, ErrRefreshInvalid
	case err != nil:
		return Tokens{}, err
	}
	access, exp, err := s.tokens.Issue(sess.Kind, sess.Subject, sess.ID)
	if err != nil {
		return Tokens{}, err
	}
	v, err := s.viewer(ctx, sess.Kind, sess.Subject, sess.ID)
	return Tokens{AccessToken: access, RefreshToken: next, ExpiresAt: exp, Viewer: v}, err
}

// Logout revokes the viewer's session.
func (s *Service) Logout(ctx context.Context) error {
	v, err := access.Viewer(ctx)
	if err != nil {
		return err
	}
	return s.sessions.Revoke(ctx, v.SessionID)
}

func (s *Service) start(ctx context.Context, kind auth.Kind, subject uuid.UUID, extra map[string]string) (Tokens, error) {
	sess, refresh, err := s.sessions.Create(ctx, kind, subject, extra)
	if err != nil {
		return Tokens{}, err
	}
	access, exp, err := s.tokens.Issue(kind, subject, sess.ID)
	if err != nil {
		return Tokens{}, err
	}
	v, err := s.viewer(ctx, kind, subject, sess.ID)
	return Tokens{AccessToken: access, RefreshToken: refresh, ExpiresAt: exp, Viewer: v}, err
}

// Authenticate turns a bearer access token into a viewer: the signature, audience and
// expiry are checked, the session must not be revoked, and staff grants are loaded.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*auth.Viewer, error) {
	claims, err := s.tokens.Verify(bearer)
	if err != nil {
		return nil, errs.ErrUnauthenticated.Msgf("%v", err)
	}
	alive, err := s.sessions.Alive(ctx, claims.SessionID)
	if err != nil {
		return nil, err
	}
	if !alive {
		return nil, errs.ErrUnauthenticated.Msgf("session revoked or expired")
	}
	return s.viewer(ctx, claims.Kind, uuid.MustParse(claims.Subject), claims.SessionID)
}

func (s *Service) viewer(ctx context.Context, kind auth.Kind, subject uuid.UUID, sid string) (*auth.Viewer, error) {
	v := &auth.Viewer{Kind: kind, ID: subject, SessionID: sid}
	if kind == auth.KindStaff {
		grants, err := s.org.Grants(ctx, subject)
		if err != nil {
			return nil, err
		}
		v.Grants = grants
	}
	return v, nil
}

// UnlockStaffLogin lifts the login back-off of staff account id, from every address, for
// an admin over the account's scope (org decides and audits the unlock).
func (s *Service) UnlockStaffLogin(ctx context.Context, id uuid.UUID, reason string) (org.Staff, error) {
	return s.org.UnlockLogin(ctx, id, reason, s.lockout.Unlock)
}
