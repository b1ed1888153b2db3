// Package subscribetest is a stand-in for WeChat's subscribe-message API speaking its
// documented wire format: POST /cgi-bin/stable_token (grant_type, appid, secret,
// force_refresh) and POST /cgi-bin/message/subscribe/send?access_token=… (touser,
// template_id, page, data{key:{value}}, miniprogram_state, lang). It refuses a stale
// token with 40001 or 42001, a malformed message with 47003, and answers 43101 for a
// user who refused (Refuse). Tests start it with httptest; `atrium wechat-stub` serves it.
package subscribetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"
)

// Message is one subscribe message the fake accepted.
type Message struct {
	ToUser     string
	TemplateID string
	Page       string
	Data       map[string]string
}

// Fake answers stable_token and subscribe/send.
type Fake struct {
	AppID, Secret string

	mu        sync.Mutex
	gen       int
	refuse    int             // errcode for a stale token
	refused   map[string]bool // openids that refuse (43101)
	sent      []Message
	tokens    int
	forced    int
	sendCalls int
	bad       []string
	busy      int // answer -1 to the next busy sends
}

// New returns a fake for appID/secret.
func New(appID, secret string) *Fake {
	return &Fake{AppID: appID, Secret: secret, refused: map[string]bool{}}
}

func (f *Fake) token() string { return fmt.Sprintf("stable-%s-%d", f.AppID, f.gen) }

// InvalidateToken drops the current token: sends with it get errcode (40001 or 42001).
func (f *Fake) InvalidateToken(errcode int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.refuse = errcode
}

// Refuse makes openid's sends answer 43101 (the user refused the message).
func (f *Fake) Refuse(openid string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refused[openid] = true
}

// Busy makes the next n sends answer -1 (system busy).
func (f *Fake) Busy(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.busy = n
}

// Sent returns the accepted messages.
func (f *Fake) Sent() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.sent...)
}

// Counts returns tokens handed out, forced refreshes, and send calls.
func (f *Fake) Counts() (tokens, forced, sends int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens, f.forced, f.sendCalls
}

// Bad returns why requests were refused as malformed.
func (f *Fake) Bad() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bad...)
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func errc(w http.ResponseWriter, code int, msg string) {
	reply(w, map[string]any{"errcode": code, "errmsg": msg})
}

// ServeHTTP implements the two endpoints.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/cgi-bin/stable_token":
		f.stableToken(w, r)
	case "/cgi-bin/message/subscribe/send":
		f.send(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *Fake) stableToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil || in.GrantType != "client_credential" {
		errc(w, 40002, "invalid grant_type")
		return
	}
	if in.AppID != f.AppID || in.Secret != f.Secret {
		errc(w, 40013, "invalid appid")
		return
	}
	f.mu.Lock()
	f.tokens++
	if in.ForceRefresh {
		f.forced++
		f.gen++
		f.refuse = 40001
	}
	t := f.token()
	f.mu.Unlock()
	reply(w, map[string]any{"access_token": t, "expires_in": 7200})
}

func (f *Fake) send(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.sendCalls++
	current, refuse := f.token(), f.refuse
	busy := f.busy > 0
	if busy {
		f.busy--
	}
	f.mu.Unlock()
	if got := r.URL.Query().Get("access_token"); got != current {
		if refuse == 42001 && strings.HasPrefix(got, "stable-") {
			errc(w, 42001, "access_token expired")
			return
		}
		errc(w, 40001, "invalid credential, access_token is invalid or not latest")
		return
	}
	var in struct {
		ToUser           string                       `json:"touser"`
		TemplateID       string                       `json:"template_id"`
		Page             string                       `json:"page"`
		Data             map[string]map[string]string `json:"data"`
		MiniprogramState string                       `json:"miniprogram_state"`
		Lang             string                       `json:"lang"`
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" ||
		json.NewDecoder(r.Body).Decode(&in) != nil {
		f.mu.Lock()
		f.bad = append(f.bad, "not a JSON POST")
		f.mu.Unlock()
		errc(w, 47001, "data format error")
		return
	}
	if why := check(in.ToUser, in.TemplateID, in.MiniprogramState, in.Lang, in.Data); why != "" {
		f.mu.Lock()
		f.bad = append(f.bad, why)
		f.mu.Unlock()
		errc(w, 47003, "argument invalid! "+why)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case busy:
		errc(w, -1, "system error")
	case f.refused[in.ToUser]:
		errc(w, 43101, "user refuse to accept the msg")
	default:
		data := map[string]string{}
		for k, v := range in.Data {
			data[k] = v["value"]
		}
		f.sent = append(f.sent, Message{ToUser: in.ToUser, TemplateID: in.TemplateID, Page: in.Page, Data: data})
		errc(w, 0, "ok")
	}
}

// check is the documented shape: touser and template_id required; miniprogram_state
// developer, trial or formal; lang zh_CN, en_US, zh_HK or zh_TW; every data value a
// {"value": …} whose thing* values hold at most 20 characters.
func check(touser, tmpl, state, lang string, data map[string]map[string]string) string {
	switch {
	case touser == "" || tmpl == "":
		return "touser and template_id are required"
	case state != "" && state != "developer" && state != "trial" && state != "formal":
		return "miniprogram_state"
	case lang != "" && lang != "zh_CN" && lang != "en_US" && lang != "zh_HK" && lang != "zh_TW":
		return "lang"
	case len(data) == 0:
		return "data is required"
	}
	for k, v := range data {
		val, ok := v["value"]
		if !ok || len(v) != 1 {
			return "data." + k + " must be {\"value\": …}"
		}
		if strings.HasPrefix(k, "thing") && utf8.RuneCountInString(val) > 20 {
			return "data." + k + " longer than 20 characters"
		}
	}
	return ""
}
