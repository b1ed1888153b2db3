// Package wechattest is a stand-in for WeChat's mini-program server API speaking its
// documented wire format: jscode2session, cgi-bin/token and getuserphonenumber. Tests
// start it with httptest; `atrium wechat-stub` serves it for local development.
package wechattest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Codes that make the fake answer with WeChat's documented errors.
const (
	CodeInvalid     = "invalid-code" // errcode 40029
	CodeRateLimited = "rate-limited" // errcode 45011
	CodeBusy        = "busy"         // errcode -1
	CodeBlocked     = "blocked"      // errcode 40226
)

// Fake answers WeChat API calls. Any other login code logs in a user whose openid is
// derived from the code (so the same code always means the same user), with a unionid
// when the code starts with "union-". Phone codes map to phone numbers set with SetPhone,
// else to a number derived from the code.
type Fake struct {
	AppID, Secret string

	mu     sync.Mutex
	phones map[string]string
	Calls  int
	// TokenCalls counts access tokens handed out (cgi-bin/token).
	TokenCalls int
	gen        int // the access token's generation; older ones are refused
	refuse     int // errcode for an older token: 40001 (invalid) or 42001 (expired)
}

// InvalidateToken makes WeChat drop the current access token, as it does when another
// server fetched a new one or the token expired early: calls with it get errcode (40001
// or 42001), and cgi-bin/token hands out a new one.
func (f *Fake) InvalidateToken(errcode int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.refuse = errcode
}

// Tokens returns how many access tokens the fake handed out.
func (f *Fake) Tokens() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.TokenCalls
}

// token is the current access token.
func (f *Fake) token() string {
	t := "token-" + digest(f.AppID)[:16]
	if f.gen > 0 {
		t += "-" + string(rune('a'+f.gen%26)) + digest(t + string(rune(f.gen)))[:4]
	}
	return t
}

// New returns a fake for appID/secret.
func New(appID, secret string) *Fake {
	return &Fake{AppID: appID, Secret: secret, phones: map[string]string{}}
}

// SetPhone makes the phone code answer with phone.
func (f *Fake) SetPhone(code, phone string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.phones[code] = phone
}

// OpenID is the openid the fake returns for a login code.
func OpenID(code string) string { return "o" + digest(code)[:27] }

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ServeHTTP implements the API.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.Calls++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	q := r.URL.Query()
	switch r.URL.Path {
	case "/sns/jscode2session":
		f.jscode2session(w, q.Get("appid"), q.Get("secret"), q.Get("js_code"), q.Get("grant_type"))
	case "/cgi-bin/token":
		if q.Get("appid") != f.AppID || q.Get("secret") != f.Secret {
			writeErr(w, 40013, "invalid appid")
			return
		}
		f.mu.Lock()
		f.TokenCalls++
		token := f.token()
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": token, "expires_in": 7200})
	case "/wxa/business/getuserphonenumber":
		f.phone(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *Fake) jscode2session(w http.ResponseWriter, appid, secret, code, grant string) {
	if appid != f.AppID || secret != f.Secret {
		writeErr(w, 40125, "invalid appsecret")
		return
	}
	switch {
	case grant != "authorization_code" || code == "" || code == CodeInvalid:
		writeErr(w, 40029, "invalid code")
	case code == CodeRateLimited:
		writeErr(w, 45011, "api minute-quota reach limit")
	case code == CodeBusy:
		writeErr(w, -1, "system error")
	case code == CodeBlocked:
		writeErr(w, 40226, "high risk user")
	default:
		resp := map[string]any{"openid": OpenID(code), "session_key": "sk-" + digest("sk" + code)[:22]}
		if strings.HasPrefix(code, "union-") {
			resp["unionid"] = "u" + digest("union" + code)[:27]
		}
		_ = json.NewEncoder(w).Encode(resp)
	}
}

func (f *Fake) phone(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	current, refuse := f.token(), f.refuse
	f.mu.Unlock()
	if got := r.URL.Query().Get("access_token"); got != current {
		if refuse == 42001 && strings.HasPrefix(got, "token-") {
			writeErr(w, 42001, "access_token expired")
			return
		}
		writeErr(w, 40001, "invalid credential, access_token is invalid")
		return
	}
	var body struct {
		Code string `json:"code"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Code == "" || body.Code == CodeInvalid {
		writeErr(w, 40029, "invalid code")
		return
	}
	f.mu.Lock()
	phone, ok := f.phones[body.Code]
	f.mu.Unlock()
	if !ok {
		phone = "139" + digitsOf(digest(body.Code))[:8]
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errcode": 0, "errmsg": "ok",
		"phone_info": map[string]any{
			"phoneNumber": phone, "purePhoneNumber": phone, "countryCode": "86",
			"watermark": map[string]any{"timestamp": 1700000000, "appid": f.AppID},
		},
	})
}

func digitsOf(hexs string) string {
	var b strings.Builder
	for _, c := range hexs {
		b.WriteByte(byte('0' + c%10))
	}
	return b.String()
}

func writeErr(w http.ResponseWriter, code int, msg string) {
	_ = json.NewEncoder(w).Encode(map[string]any{"errcode": code, "errmsg": msg})
}
