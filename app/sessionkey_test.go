package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/auth"
)

// TestSessionKeyIsSealedInRedis: the WeChat session_key kept with a shopper's session
// is sealed under the data key: no Redis value holds it in clear, and the server opens
// it for that shopper.
func TestSessionKeyIsSealedInRedis(t *testing.T) {
	t.Parallel()
	e := setup(t)
	body := e.do("", `mutation { loginWeChat(input: {code: "code-carol"}) { accessToken } }`, nil)
	token, _ := path(body.Data, "loginWeChat", "accessToken").(string)
	if token == "" {
		t.Fatalf("login: %+v", body)
	}
	ctx := context.Background()
	rdb := e.app.Redis
	keys, err := rdb.Keys(ctx, rdb.Key("sess", "*")).Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("session keys: %v %v", keys, err)
	}
	fields, err := rdb.HGetAll(ctx, keys[0]).Result()
	if err != nil || fields["x:wx_session_key"] == "" {
		t.Fatalf("session: %v %v", fields, err)
	}
	for k, v := range fields {
		if strings.Contains(v, "sk-") {
			t.Fatalf("field %s holds the session key in clear: %s", k, v)
		}
	}
	v, err := e.app.Services.Identity.Authenticate(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	key, err := e.app.Services.Identity.WeChatSessionKey(auth.WithViewer(ctx, v))
	if err != nil || !strings.HasPrefix(key, "sk-") {
		t.Fatalf("opened session key %q, %v", key, err)
	}
}
