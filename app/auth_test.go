package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
)

const loginWeChatQ = `mutation($c: String!) { loginWeChat(input: {code: $c}) {
	accessToken refreshToken userErrors { code field message } viewer { id kind } } }`

func TestLoginWeChat(t *testing.T) {
	t.Parallel()
	e := setup(t)
	first := e.do("", loginWeChatQ, map[string]any{"c": "code-alice"})
	token, _ := path(first.Data, "loginWeChat", "accessToken").(string)
	if token == "" || path(first.Data, "loginWeChat", "viewer", "kind") != "SHOPPER" {
		t.Fatalf("login failed: %+v", first)
	}
	// The same WeChat user logging in again is the same member.
	again := e.do("", loginWeChatQ, map[string]any{"c": "code-alice"})
	if path(again.Data, "loginWeChat", "viewer", "id") != path(first.Data, "loginWeChat", "viewer", "id") {
		t.Fatal("second login created another member")
	}
	var n int
	if err := e.app.DB.Pool.QueryRow(t.Context(), `SELECT count(*) FROM members WHERE openid = $1`,
		wechattest.OpenID("code-alice")).Scan(&n); err != nil || n != 1 {
		t.Fatalf("members with that openid: %d (%v)", n, err)
	}
	me := e.do(token, `{ me { kind roles { role } } }`, nil)
	if path(me.Data, "me", "kind") != "SHOPPER" {
		t.Fatalf("me: %+v", me)
	}
}

func TestLoginWeChatErrorsAreTyped(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := map[string]string{
		wechattest.CodeInvalid:     "WECHAT_INVALID_CODE",
		wechattest.CodeRateLimited: "WECHAT_RATE_LIMITED",
		wechattest.CodeBusy:        "WECHAT_BUSY",
		wechattest.CodeBlocked:     "WECHAT_USER_BLOCKED",
		"":                         "INVALID_INPUT",
	}
	for code, want := range cases {
		r := e.do("", loginWeChatQ, map[string]any{"c": code})
		errs, _ := path(r.Data, "loginWeChat", "userErrors").([]any)
		if len(errs) != 1 || path(errs[0], "code") != want || path(r.Data, "loginWeChat", "accessToken") != nil {
			t.Errorf("code %q: want userError %s, got %+v", code, want, r)
		}
	}
}

func TestSessionKeyNeverLeavesTheServer(t *testing.T) {
	t.Parallel()
	e := setup(t)
	body := e.do("", `mutation { loginWeChat(input: {code: "code-bob"}) { accessToken refreshToken } }`, nil)
	token := path(body.Data, "loginWeChat", "accessToken").(string)
	claims, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range claims.Claims.(jwt.MapClaims) {
		if s, ok := v.(string); ok && strings.HasPrefix(s, "sk-") {
			t.Fatalf("claim %s carries the session key", k)
		}
	}
}

func TestStaffLoginAndLockout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.login("desk")
	for i := range 5 {
		r := e.do("", loginStaffQ, map[string]any{"u": "desk", "p": "wrong-password"})
		if errs, _ := path(r.Data, "loginStaff", "userErrors").([]any); len(errs) != 1 || path(errs[0], "code") != "INVALID_CREDENTIALS" {
			t.Fatalf("attempt %d: %+v", i, r)
		}
	}
	// Locked now, even with the right password.
	r := e.do("", loginStaffQ, map[string]any{"u": "desk", "p": demoPassword})
	if errs, _ := path(r.Data, "loginStaff", "userErrors").([]any); len(errs) != 1 || path(errs[0], "code") != "ACCOUNT_LOCKED" {
		t.Fatalf("want ACCOUNT_LOCKED, got %+v", r)
	}
	// Other accounts are unaffected; unknown users get the same answer as wrong passwords.
	e.login("ops")
	r = e.do("", loginStaffQ, map[string]any{"u": "nobody", "p": demoPassword})
	if errs, _ := path(r.Data, "loginStaff", "userErrors").([]any); len(errs) != 1 || path(errs[0], "code") != "INVALID_CREDENTIALS" {
		t.Fatalf("unknown user: %+v", r)
	}
}

const refreshQ = `mutation($t: String!) { refreshSession(input: {refreshToken: $t}) {
	accessToken refreshToken userErrors { code } } }`

func TestRefreshRotationAndReuseRevokesFamily(t *testing.T) {
	t.Parallel()
	e := setup(t)
	access, refresh1 := e.login("admin")
	r := e.do("", refreshQ, map[string]any{"t": refresh1})
	refresh2, _ := path(r.Data, "refreshSession", "refreshToken").(string)
	access2, _ := path(r.Data, "refreshSession", "accessToken").(string)
	if refresh2 == "" || refresh2 == refresh1 || access2 == "" {
		t.Fatalf("rotation failed: %+v", r)
	}
	// Presenting the used token again: refused, and the whole session is revoked.
	r = e.do("", refreshQ, map[string]any{"t": refresh1})
	if errs, _ := path(r.Data, "refreshSession", "userErrors").([]any); len(errs) != 1 || path(errs[0], "code") != "REFRESH_TOKEN_REUSED" {
		t.Fatalf("reuse: %+v", r)
	}
	r = e.do("", refreshQ, map[string]any{"t": refresh2})
	if errs, _ := path(r.Data, "refreshSession", "userErrors").([]any); len(errs) != 1 || path(errs[0], "code") != "REFRESH_TOKEN_INVALID" {
		t.Fatalf("the newest token of a revoked family must fail: %+v", r)
	}
	for _, tok := range []string{access, access2} {
		if r := e.do(tok, `{ me { kind } }`, nil); r.status != 401 || r.code() != "UNAUTHENTICATED" {
			t.Fatalf("access token of a revoked session still works: %+v", r)
		}
	}
	// Garbage refresh tokens are typed errors too.
	r = e.do("", refreshQ, map[string]any{"t": "not-a-token"})
	if errs, _ := path(r.Data, "refreshSession", "userErrors").([]any); len(errs) != 1 || path(errs[0], "code") != "REFRESH_TOKEN_INVALID" {
		t.Fatalf("garbage: %+v", r)
	}
}

func TestLogoutRevokesSession(t *testing.T) {
	t.Parallel()
	e := setup(t)
	access, refresh := e.login("admin")
	if r := e.do(access, `mutation { logout { ok } }`, nil); path(r.Data, "logout", "ok") != true {
		t.Fatalf("logout: %+v", r)
	}
	if r := e.do(access, `{ me { kind } }`, nil); r.status != 401 {
		t.Fatalf("access token after logout: %+v", r)
	}
	r := e.do("", refreshQ, map[string]any{"t": refresh})
	if errs, _ := path(r.Data, "refreshSession", "userErrors").([]any); len(errs) != 1 {
		t.Fatalf("refresh after logout: %+v", r)
	}
}

func TestBadAccessTokensAreRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	good, _ := e.login("admin")
	parsed, _, _ := jwt.NewParser().ParseUnverified(good, jwt.MapClaims{})
	claims := parsed.Claims.(jwt.MapClaims)
	key := []byte(strings.Repeat("k", 40))
	sign := func(m jwt.SigningMethod, c jwt.MapClaims, k any) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for kk, vv := range claims {
			c[kk] = vv
		}
		c[k] = v
		return c
	}
	cases := map[string]string{
		"wrong key":      sign(jwt.SigningMethodHS256, claims, []byte(strings.Repeat("x", 40))),
		"alg none":       sign(jwt.SigningMethodNone, claims, jwt.UnsafeAllowNoneSignatureType),
		"HS512":          sign(jwt.SigningMethodHS512, claims, key),
		"wrong audience": sign(jwt.SigningMethodHS256, with("aud", []string{auth.Audience(auth.KindShopper)}), key),
		"other audience": sign(jwt.SigningMethodHS256, with("aud", "atrium-partner"), key),
		"wrong issuer":   sign(jwt.SigningMethodHS256, with("iss", "someone"), key),
		"no expiry":      sign(jwt.SigningMethodHS256, with("exp", nil), key),
		"garbage":        "abc.def.ghi",
	}
	for name, token := range cases {
		if r := e.do(token, `{ me { kind } }`, nil); r.status != 401 || r.code() != "UNAUTHENTICATED" {
			t.Errorf("%s: want 401 UNAUTHENTICATED, got %d %+v", name, r.status, r)
		}
	}
	if r := e.do(good, `{ me { kind } }`, nil); path(r.Data, "me", "kind") != "STAFF" {
		t.Fatalf("the genuine token must work: %+v", r)
	}
	e.clock.Add(16 * time.Minute) // access tokens live 15 minutes
	if r := e.do(good, `{ me { kind } }`, nil); r.status != 401 || r.code() != "UNAUTHENTICATED" {
		t.Fatalf("expired token: %+v", r)
	}
}
