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
type WeChat struct {
	base, appID, secret string
	http                *http.Client

	mu          sync.Mutex
	accessToken string
	tokenExpiry time.Time
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
	token, err := w.token(ctx)
	if err != nil {
		return WeChatPhone{}, err
	}
	body, _ := json.Marshal(map[string]string{"code": code})
	var resp struct {
		wechatStatus
		PhoneInfo WeChatPhone `json:"phone_info"`
	}
	path := "/wxa/business/getuserphonenumber?access_token=" + url.QueryEscape(token)
	if err := w.call(ctx, http.MethodPost, path, body, &resp); err != nil {
		return WeChatPhone{}, err
	}
	if err := resp.err(); err != nil {
		return WeChatPhone{}, err
	}
	return resp.PhoneInfo, nil
}

// token returns a cached access token, fetching a new one near its expiry.
func (w *WeChat) token(ctx context.Context) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.accessToken != "" && time.Now().Before(w.tokenExpiry) {
		return w.accessToken, nil
	}
	q := url.Values{"grant_type": {"client_credential"}, "appid": {w.appID}, "secret": {w.secret}}
	var resp struct {
		wechatStatus
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := w.call(ctx, http.MethodGet, "/cgi-bin/token?"+q.Encode(), nil, &resp); err != nil {
		return "", err
	}
	if err := resp.err(); err != nil {
		return "", err
	}
	w.accessToken = resp.AccessToken
	w.tokenExpiry = time.Now().Add(time.Duration(resp.ExpiresIn)*time.Second - 5*time.Minute)
	return w.accessToken, nil
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
