package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/atrium-mall/atrium/service/notify/rules"
	"github.com/atrium-mall/atrium/storage"
)

// WeChatClient sends subscribe messages (订阅消息). Its access token comes from
// cgi-bin/stable_token, which hands every caller the same token until it expires, so
// replicas share it through Redis without a lock. When WeChat answers 40001 or 42001,
// the first replica to drop the failed token (compare-and-delete) fetches a new one with
// force_refresh; the others read it (a second forced refresh would invalidate the first's).
type WeChatClient struct {
	base, appID, secret string
	http                *http.Client
	rdb                 storage.Redis
}

// NewWeChatClient returns a client of the API at base (https://api.weixin.qq.com).
func NewWeChatClient(base, appID, secret string, hc *http.Client, rdb storage.Redis) *WeChatClient {
	return &WeChatClient{base: strings.TrimRight(base, "/"), appID: appID, secret: secret, http: hc, rdb: rdb}
}

// SubscribeMessage is one message to one openid.
type SubscribeMessage struct {
	ToUser     string
	TemplateID string
	Page       string
	State      string // miniprogram_state
	Data       map[string]string
}

// errWeChatTransport is a failure to reach WeChat or read its answer (retried).
var errWeChatTransport = errors.New("wechat: transport")

func (w *WeChatClient) tokenKey() string {
	return w.rdb.Key("notify", "wechat", "{"+w.appID+"}", "stable_token")
}

var dropIfSame = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// token returns the shared token, fetching one (force: a forced refresh) when none is cached.
func (w *WeChatClient) token(ctx context.Context, force bool) (string, error) {
	if !force {
		t, err := w.rdb.Get(ctx, w.tokenKey()).Result()
		if err == nil && t != "" {
			return t, nil
		}
		if err != nil && !errors.Is(err, redis.Nil) {
			return "", fmt.Errorf("%w: token cache: %v", errWeChatTransport, err)
		}
	}
	body, _ := json.Marshal(map[string]any{"grant_type": "client_credential", "appid": w.appID, "secret": w.secret,
		"force_refresh": force})
	var resp struct {
		ErrCode     int    `json:"errcode"`
		ErrMsg      string `json:"errmsg"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := w.post(ctx, "/cgi-bin/stable_token", body, &resp); err != nil {
		return "", err
	}
	if resp.ErrCode != 0 || resp.AccessToken == "" {
		return "", fmt.Errorf("%w: stable_token errcode %d: %s", errWeChatTransport, resp.ErrCode, resp.ErrMsg)
	}
	ttl := max(time.Duration(resp.ExpiresIn)*time.Second-5*time.Minute, time.Minute)
	if err := w.rdb.Set(ctx, w.tokenKey(), resp.AccessToken, ttl).Err(); err != nil {
		return "", fmt.Errorf("%w: store token: %v", errWeChatTransport, err)
	}
	return resp.AccessToken, nil
}

// refresh replaces a token WeChat rejected: a forced refresh by the replica that drops
// it first, a read of the new one for the others.
func (w *WeChatClient) refresh(ctx context.Context, failed string) (string, error) {
	dropped, err := dropIfSame.Run(ctx, w.rdb, []string{w.tokenKey()}, failed).Int()
	if err != nil {
		return "", fmt.Errorf("%w: drop token: %v", errWeChatTransport, err)
	}
	return w.token(ctx, dropped == 1)
}

// Send sends m and returns WeChat's errcode (0: sent); a token WeChat rejects is
// refreshed and the send tried once more. An error is a transport failure.
func (w *WeChatClient) Send(ctx context.Context, m SubscribeMessage) (int, string, error) {
	data := make(map[string]map[string]string, len(m.Data))
	for k, v := range m.Data {
		data[k] = map[string]string{"value": v}
	}
	body, _ := json.Marshal(map[string]any{"touser": m.ToUser, "template_id": m.TemplateID, "page": m.Page,
		"data": data, "miniprogram_state": m.State, "lang": "zh_CN"})
	token, err := w.token(ctx, false)
	if err != nil {
		return 0, "", err
	}
	for attempt := 0; ; attempt++ {
		var resp struct {
			ErrCode int    `json:"errcode"`
			ErrMsg  string `json:"errmsg"`
		}
		path := "/cgi-bin/message/subscribe/send?access_token=" + url.QueryEscape(token)
		if err := w.post(ctx, path, body, &resp); err != nil {
			return 0, "", err
		}
		if attempt > 0 || !rules.TokenRejected(resp.ErrCode) {
			return resp.ErrCode, resp.ErrMsg, nil
		}
		if token, err = w.refresh(ctx, token); err != nil {
			return 0, "", err
		}
	}
}

func (w *WeChatClient) post(ctx context.Context, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := w.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", errWeChatTransport, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: HTTP %d", errWeChatTransport, res.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(out); err != nil {
		return fmt.Errorf("%w: decode: %v", errWeChatTransport, err)
	}
	return nil
}
