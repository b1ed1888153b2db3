package auth_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestWeChatTokenSharedByReplicas: two replicas over one Redis fetch one access token
// between them, even with 40 calls at once; when WeChat invalidates it (40001, or 42001
// expired) the call that meets the refusal drops it, one new token is fetched, the call
// is retried once and succeeds, and the other replica uses the new token without a fetch
// of its own.
func TestWeChatTokenSharedByReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := wechattest.New("wx-app", "wx-secret")
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	rdb := storetest.Redis(t)
	a := auth.NewWeChat(srv.URL, "wx-app", "wx-secret", srv.Client()).ShareToken(rdb)
	b := auth.NewWeChat(srv.URL, "wx-app", "wx-secret", srv.Client()).ShareToken(rdb)
	phone := func(w *auth.WeChat) {
		t.Helper()
		if p, err := w.PhoneNumber(ctx, "phone-code"); err != nil || p.PhoneNumber == "" {
			t.Errorf("phone: %+v, %v", p, err)
		}
	}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() { phone([]*auth.WeChat{a, b}[i%2]) })
	}
	wg.Wait()
	if n := fake.Tokens(); n != 1 {
		t.Fatalf("%d access tokens fetched by two replicas, want 1", n)
	}
	for i, errcode := range []int{40001, 42001} {
		fake.InvalidateToken(errcode)
		phone(a)
		phone(b)
		if n := fake.Tokens(); n != 2+i {
			t.Fatalf("after errcode %d: %d tokens fetched, want %d", errcode, n, 2+i)
		}
	}
}

// TestWeChatTokenPerProcessIsDroppedWhenRefused: without Redis the token is cached in
// the process, and still dropped and fetched again when WeChat refuses it.
func TestWeChatTokenPerProcessIsDroppedWhenRefused(t *testing.T) {
	t.Parallel()
	fake := wechattest.New("wx-app", "wx-secret")
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	w := auth.NewWeChat(srv.URL, "wx-app", "wx-secret", srv.Client())
	for range 3 {
		if _, err := w.PhoneNumber(context.Background(), "c"); err != nil {
			t.Fatal(err)
		}
	}
	fake.InvalidateToken(40001)
	if _, err := w.PhoneNumber(context.Background(), "c"); err != nil {
		t.Fatalf("after 40001: %v", err)
	}
	if n := fake.Tokens(); n != 2 {
		t.Fatalf("%d tokens fetched, want 2", n)
	}
}
