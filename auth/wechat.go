package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/storage"
)

// WeChat API errors, by the errcode WeChat documents.
var (
	ErrWeChatInvalidCode = errors.New("wechat: invalid code")             // 40029, 40163 (code already used)
	ErrWeChatRateLimited = errors.New("wechat: rate limited")             // 45011
	ErrWeChatBusy        = errors.New("wechat: system busy")              // -1
	ErrWeChatBlocked     = errors.New("wechat: user blocked (high risk)") // 40226
	ErrWeChat            = errors.New("wechat: request failed")
)

// WeChatSession is what jscode2session returns. SessionKey must never leave the server.
type WeChatSession struct {
	OpenID     string `json:"openid"`
	UnionID    string `json:"unionid"`
	SessionKey string `json:"session_key"`
}

// WeChatPhone is the phone number bound to a WeChat account.
type WeChatPhone struct {
	PhoneNumber     string `json:"phoneNumber"`
	PurePhoneNumber string `json:"purePhoneNumber"`
	CountryCode     string `json:"countryCode"`
}

// WeChat is a client of the mini-program server APIs.
//
// WeChat keeps one valid access token per app: fetching a new one invalidates the old
// (after a short grace), so replicas must share it. With ShareToken the token lives in
// Redis; one replica refreshes it under a lock while the others wait for it, and a call
// that WeChat answers with 40001 (invalid) or 42001 (expired) drops the token (only if
// it is still the one that failed) and is retried once with a fresh one.
type WeChat struct {
	base, appID, secret string
	http                *http.Client
	rdb                 *storage.Redis

	mu          sync.Mutex
	accessToken string
	tokenExpiry time.Time
}

// ShareToken keeps the access token in rdb, shared by every replica, and returns w.
func (w *WeChat) ShareToken(rdb storage.Redis) *WeChat {
	w.rdb = &rdb
	return w
}

// NewWeChat returns a client of the API at base (https://api.weixin.qq.com in production).
func NewWeChat(base, appID, secret string, hc *http.Client) *WeChat {
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	return &WeChat{base: strings.TrimRight(base, "/"), appID: appID, secret: secret, http: hc}
}

type wechatStatus struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (s wechatStatus) err() error {
	switch s.ErrCode {
	case 0:
		return nil
	case 40029, 40163:
		return ErrWeChatInvalidCode
	case 45011:
		return ErrWeChatRateLimited
	case -1:
		return ErrWeChatBusy
	case 40226:
		return ErrWeChatBlocked
	}
	return fmt.Errorf("%w: errcode %d: %s", ErrWeChat, s.ErrCode, s.ErrMsg)
}

// Code2Session exchanges a wx.login code for the user's openid, unionid and session key.
func (w *WeChat) Code2Session(ctx context.Context, code string) (WeChatSession, error) {
	q := url.Values{"appid": {w.appID}, "secret": {w.secret}, "js_code": {code}, "grant_type": {"authorization_code"}}
	var resp struct {
		WeChatSession
		wechatStatus
	}
	if err := w.call(ctx, http.MethodGet, "/sns/jscode2session?"+q.Encode(), nil, &resp); err != nil {
		return WeChatSession{}, err
	}
	if err := resp.err(); err != nil {
		return WeChatSession{}, err
	}
	if resp.OpenID == "" {
		return WeChatSession{}, fmt.Errorf("%w: no openid in response", ErrWeChat)
	}
	return resp.WeChatSession, nil
}

// PhoneNumber exchanges a getPhoneNumber code for the user's phone number.
func (w *WeChat) PhoneNumber(ctx context.Context, code string) (WeChatPhone, error) {
	body, _ := json.Marshal(map[string]string{"code": code})
	var resp struct {
		wechatStatus
		PhoneInfo WeChatPhone `json:"phone_info"`
	}
	err := w.withToken(ctx, func(token string) (wechatStatus, error) {
		resp.wechatStatus = wechatStatus{}
		path := "/wxa/business/getuserphonenumber?access_token=" + url.QueryEscape(token)
		err := w.call(ctx, http.MethodPost, path, body, &resp)
		return resp.wechatStatus, err
	})
	if err != nil {
		return WeChatPhone{}, err
	}
	return resp.PhoneInfo, nil
}

// tokenRejected reports whether WeChat refused the access token itself.
func tokenRejected(errcode int) bool {
	return errcode == 40001 || errcode == 42001 || errcode == 40014
}

// withToken calls do with the access token; when WeChat rejects the token (40001,
// 42001, 40014) it is dropped and do runs once more with a fresh one.
func (w *WeChat) withToken(ctx context.Context, do func(token string) (wechatStatus, error)) error {
	for attempt := 0; ; attempt++ {
		token, err := w.token(ctx)
		if err != nil {
			return err
		}
		st, err := do(token)
		if err != nil {
			return err
		}
		if attempt == 0 && tokenRejected(st.ErrCode) {
			if err := w.dropToken(ctx, token); err != nil {
				return err
			}
			continue
		}
		return st.err()
	}
}

// tokenKey and lockKey are the shared token and its refresh lock (one hash tag: one
// Redis Cluster slot).
func (w *WeChat) tokenKey() string { return w.rdb.Key("wechat", "{"+w.appID+"}", "token") }
func (w *WeChat) lockKey() string  { return w.rdb.Key("wechat", "{"+w.appID+"}", "lock") }

// dropIfSame deletes KEYS[1] only while it still holds ARGV[1] (another replica may
// already have stored a new token).
var dropIfSame = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// dropToken forgets token after WeChat rejected it.
func (w *WeChat) dropToken(ctx context.Context, token string) error {
	w.mu.Lock()
	if w.accessToken == token {
		w.accessToken = ""
	}
	w.mu.Unlock()
	if w.rdb == nil {
		return nil
	}
	if err := dropIfSame.Run(ctx, w.rdb, []string{w.tokenKey()}, token).Err(); err != nil {
		return fmt.Errorf("%w: drop access token: %v", ErrWeChatBusy, err)
	}
	return nil
}

// token returns the access token: the shared one in Redis with ShareToken (refreshed by
// one replica at a time), else one cached in this process.
func (w *WeChat) token(ctx context.Context) (string, error) {
	if w.rdb == nil {
		return w.localToken(ctx)
	}
	const lockTTL = 10 * time.Second
	deadline := time.Now().Add(lockTTL + 2*time.Second) // outlives a dead holder's lock, so a waiter takes over
	for {
		t, err := w.rdb.Get(ctx, w.tokenKey()).Result()
		if err == nil && t != "" {
			return t, nil
		}
		if err != nil && !errors.Is(err, redis.Nil) {
			return "", fmt.Errorf("%w: shared access token: %v", ErrWeChatBusy, err)
		}
		owner := uuid.NewString()
		got, err := w.rdb.SetNX(ctx, w.lockKey(), owner, lockTTL).Result()
		if err != nil {
			return "", fmt.Errorf("%w: access token lock: %v", ErrWeChatBusy, err)
		}
		if got {
			return w.refreshShared(ctx, owner)
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%w: access token refresh timed out", ErrWeChatBusy)
		}
		select { // another replica is refreshing: wait for its token
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// refreshShared fetches a token while holding the lock (owner) and stores it for every replica.
func (w *WeChat) refreshShared(ctx context.Context, owner string) (string, error) {
	defer dropIfSame.Run(context.WithoutCancel(ctx), w.rdb, []string{w.lockKey()}, owner)
	if t, err := w.rdb.Get(ctx, w.tokenKey()).Result(); err == nil && t != "" {
		return t, nil // stored between our read and our lock
	}
	t, ttl, err := w.fetchToken(ctx)
	if err != nil {
		return "", err
	}
	if err := w.rdb.Set(ctx, w.tokenKey(), t, ttl).Err(); err != nil {
		return "", fmt.Errorf("%w: store access token: %v", ErrWeChatBusy, err)
	}
	return t, nil
}

// localToken returns a token cached in this process, fetching a new one near its expiry.
func (w *WeChat) localToken(ctx context.Context) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.accessToken != "" && time.Now().Before(w.tokenExpiry) {
		return w.accessToken, nil
	}
	t, ttl, err := w.fetchToken(ctx)
	if err != nil {
		return "", err
	}
	w.accessToken, w.tokenExpiry = t, time.Now().Add(ttl)
	return t, nil
}

// fetchToken asks WeChat for a new access token and how long to keep it (its lifetime
// less five minutes).
func (w *WeChat) fetchToken(ctx context.Context) (string, time.Duration, error) {
	q := url.Values{"grant_type": {"client_credential"}, "appid": {w.appID}, "secret": {w.secret}}
	var resp struct {
		wechatStatus
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := w.call(ctx, http.MethodGet, "/cgi-bin/token?"+q.Encode(), nil, &resp); err != nil {
		return "", 0, err
	}
	if err := resp.err(); err != nil {
		return "", 0, err
	}
	if resp.AccessToken == "" {
		return "", 0, fmt.Errorf("%w: no access_token in response", ErrWeChat)
	}
	return resp.AccessToken, max(time.Duration(resp.ExpiresIn)*time.Second-5*time.Minute, time.Minute), nil
}

func (w *WeChat) call(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(string(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, w.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := w.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWeChatBusy, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: HTTP %d", ErrWeChatBusy, res.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(out); err != nil {
		return fmt.Errorf("%w: decode: %v", ErrWeChat, err)
	}
	return nil
}
