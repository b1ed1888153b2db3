package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/app"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// proxy forwards TCP to a target and can be taken down and brought back, so a test can
// see PostgreSQL "go down" from Atrium's side without touching the shared server.
type proxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func (p *proxy) up(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *proxy) pipe(c net.Conn) {
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, u)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(u, c); u.Close() }()
	_, _ = io.Copy(c, u)
	c.Close()
}

// down closes the listener and cuts every connection.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestReadyzFollowsPostgres(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	rdb := storetest.Redis(t)
	u, _ := url.Parse(storetest.URL(db))
	p := &proxy{target: u.Host, addr: "127.0.0.1:0"}
	p.up(t)
	t.Cleanup(p.down)
	u.Host = p.addr
	a, err := app.New(context.Background(), servicetest.Config(t, u.String(), nil), slog.New(slog.DiscardHandler),
		app.Options{RedisPrefix: rdb.Prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	readyz := func() (int, string) {
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := readyz(); code != 200 {
		t.Fatalf("before: %d %s", code, body)
	}
	p.down()
	if code, body := readyz(); code != 503 || !strings.Contains(body, "postgres") {
		t.Fatalf("while down: %d %s", code, body)
	}
	if res, _ := http.Get(srv.URL + "/healthz"); res.StatusCode != 200 {
		t.Fatalf("healthz must stay up: %d", res.StatusCode)
	}
	p.up(t)
	var code int
	var body string
	if !servicetest.WaitFor(10*time.Second, 50*time.Millisecond, func() bool { // polling a recovering server
		code, body = readyz()
		return code == 200
	}) {
		t.Fatalf("did not recover: %d %s", code, body)
	}
}
