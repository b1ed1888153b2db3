package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// memberHome is what the mini-program's home page asks for: the shopper's profile and
// cards, tier progress, the last 20 movements of a card and the coupon list (codes,
// no QR images: those are fetched when a coupon is opened).
const memberHome = `query($card: ID!) {
	myMember { id name phone status registered tags cards { id number status kind supplementary issuedAt expiresAt
		cardType { id name kind } } }
	myTierProgress { basis windowDays metric remaining current { name rank } next { name threshold } }
	myCardHistory(cardId: $card, first: 20) { edges { cursor node { kind memo at points pendingPoints storedValue uses } }
		pageInfo { hasNextPage endCursor } }
	myCoupons(first: 20) { edges { cursor node { id templateId status source validFrom validUntil usedAt numericCode } }
		pageInfo { hasNextPage endCursor } }
}`

// maxHomeStatements is the most SQL statements one member-home request may issue.
const maxHomeStatements = 12

// stmtTracer counts every statement of the app's pool and, while capturing, keeps
// them (SQL and arguments) so a baseline can run the very same statements with pgx.
type stmtTracer struct {
	n         atomic.Int64
	mu        sync.Mutex
	capturing bool
	stmts     []capturedStmt
}

type capturedStmt struct {
	sql  string
	args []any
}

func (t *stmtTracer) add(sql string, args []any) {
	t.n.Add(1)
	t.mu.Lock()
	if t.capturing {
		t.stmts = append(t.stmts, capturedStmt{sql: sql, args: args})
	}
	t.mu.Unlock()
}

func (t *stmtTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	t.add(d.SQL, d.Args)
	return ctx
}

func (t *stmtTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (t *stmtTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (t *stmtTracer) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	t.add(d.SQL, d.Args)
}

func (t *stmtTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// capture runs fn and returns the statements the pool ran meanwhile.
func (t *stmtTracer) capture(fn func()) []capturedStmt {
	t.mu.Lock()
	t.capturing, t.stmts = true, nil
	t.mu.Unlock()
	fn()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.capturing = false
	return t.stmts
}

// homeFixture is a shopper with two cards, about 50 postings on the first and five
// coupons, served over an in-process HTTP server by an app whose pool is pool wide.
type homeFixture struct {
	api
	tracer  *stmtTracer
	pool    int
	shopper *auth.Viewer
	vars    map[string]any
	url     string
}

func newHomeFixture(t testing.TB, pool int) homeFixture {
	t.Helper()
	tr := &stmtTracer{}
	s := servicetest.New(t, storetest.DB(t), servicetest.DBTracer(tr),
		servicetest.Setting("ATRIUM_DB_POOL", strconv.Itoa(pool)))
	f := homeFixture{api: api{Set: s, Client: s.Client()}, tracer: tr, pool: pool}
	org := ledgertest.NewOrg(t, f.DB)
	member := org.Member(t, f.DB)
	card, number := org.Card(t, f.DB, member)
	org.Card(t, f.DB, member)
	f.shopper = &auth.Viewer{Kind: auth.KindShopper, ID: member}
	f.vars = map[string]any{"card": relay.ID("Card", card)}
	desk := &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(), Grants: []auth.Grant{
		{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: org.MerchantID},
		{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: org.MallID}}}
	for i := range 50 {
		out := f.As(desk, recordPurchase, map[string]any{"in": map[string]any{
			"merchantId": relay.ID("Merchant", org.MerchantID), "cardNumber": number, "amount": "10",
			"receiptNo": fmt.Sprintf("H%d", i), "idempotencyKey": fmt.Sprintf("h%d", i)}})
		if field(out, "data", "recordPurchase", "purchase", "id") == nil {
			t.Fatalf("recordPurchase: %v", out)
		}
	}
	ops := servicetest.Context(servicetest.Staff(auth.RoleMemberOps, auth.LevelMall, org.MallID))
	mine := servicetest.Context(f.shopper)
	for i := range 5 {
		out := f.Do(ops, createTemplate, map[string]any{"m": relay.ID("Mall", org.MallID)})
		tpl, _ := field(out, "data", "createCouponTemplate", "template", "id").(string)
		out = f.Do(ops, `mutation($id: ID!) { setCouponTemplateStatus(id: $id, status: "active") { template { status } } }`,
			map[string]any{"id": tpl})
		out = f.Do(mine, `mutation($t: ID!, $k: String!) { claimCoupon(input: {templateId: $t, idempotencyKey: $k}) {
			coupon { id } userErrors { code } } }`, map[string]any{"t": tpl, "k": fmt.Sprintf("c%d", i)})
		if field(out, "data", "claimCoupon", "coupon", "id") == nil {
			t.Fatalf("claimCoupon: %v", out)
		}
	}
	h := resolvers.LoaderMiddleware(f.GraphQL(nil))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(auth.WithViewer(r.Context(), f.shopper)))
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL + "/graphql"
	return f
}

// home runs one member-home request over HTTP through client and returns the body.
func (f homeFixture) home(t testing.TB, client *http.Client, body []byte) []byte {
	var buf bytes.Buffer
	f.homeInto(t, client, body, &buf)
	return buf.Bytes()
}

// homeInto is home reading the body into buf (reset first). The benchmarks' clients
// reuse one buffer each: the client stands for the phone, whose reading costs the
// server nothing, so it should cost the benchmark's process as little as it can.
func (f homeFixture) homeInto(t testing.TB, client *http.Client, body []byte, buf *bytes.Buffer) {
	resp, err := client.Post(f.url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("member home: %v", err)
	}
	defer resp.Body.Close()
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	if out := buf.Bytes(); err != nil || resp.StatusCode != http.StatusOK || bytes.Contains(out, []byte(`"errors"`)) {
		t.Fatalf("member home: %d %s %v", resp.StatusCode, out, err)
	}
}

func (f homeFixture) body() []byte {
	b, _ := json.Marshal(map[string]any{"query": memberHome, "variables": f.vars})
	return b
}

// TestMemberHomeStatements counts the SQL statements of one member-home request and
// checks what it returns: the profile with both cards, 20 movements, five coupons.
func TestMemberHomeStatements(t *testing.T) {
	t.Parallel()
	f := newHomeFixture(t, 4)
	client := &http.Client{}
	body := f.body()
	f.home(t, client, body) // warm: signing keys, prepared statements
	before := f.tracer.n.Load()
	raw := f.home(t, client, body)
	n := f.tracer.n.Load() - before
	if n > maxHomeStatements {
		t.Fatalf("member home ran %d statements, want at most %d", n, maxHomeStatements)
	}
	t.Logf("member home: %d statements", n)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if cards, _ := field(out, "data", "myMember", "cards").([]any); len(cards) != 2 {
		t.Fatalf("cards: %s", raw)
	}
	if edges, _ := field(out, "data", "myCardHistory", "edges").([]any); len(edges) != 20 ||
		field(out, "data", "myCardHistory", "pageInfo", "hasNextPage") != true {
		t.Fatalf("history: %s", raw)
	}
	if edges, _ := field(out, "data", "myCoupons", "edges").([]any); len(edges) != 5 ||
		field(edges[0], "node", "numericCode") == "" {
		t.Fatalf("coupons: %s", raw)
	}
	// Another member's card: nothing, and no value computed.
	other := servicetest.Context(servicetest.Shopper(service.NewID()))
	res := f.Do(other, `query($card: ID!) { myCardHistory(cardId: $card) { edges { node { kind } } } }`, f.vars)
	if errorCode(res) != "NOT_FOUND" {
		t.Fatalf("another shopper reads the card's history: %v", res)
	}
}

// TestMemberHomeQRCodes: a coupon's qrToken and qrPng are signed and rendered when
// selected (the PNG holds the token), the same from the cache on the next request,
// and concurrent requests share the cache safely (run under -race).
func TestMemberHomeQRCodes(t *testing.T) {
	t.Parallel()
	f := newHomeFixture(t, 4)
	mine := servicetest.Context(f.shopper)
	const q = `{ myCoupons { edges { node { id qrToken qrPng } } } }`
	first := f.Do(mine, q, nil)
	edges, _ := field(first, "data", "myCoupons", "edges").([]any)
	if len(edges) != 5 {
		t.Fatalf("myCoupons: %v", first)
	}
	for _, e := range edges {
		token, _ := field(e, "node", "qrToken").(string)
		png, _ := field(e, "node", "qrPng").(string)
		if token == "" || !qrDataURLHolds(t, png, token) {
			t.Fatalf("coupon %v: qrPng does not hold qrToken %q", field(e, "node", "id"), token)
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if again := f.Do(mine, q, nil); mustJSON(again) != mustJSON(first) {
				t.Errorf("second request differs: %v", again)
			}
		})
	}
	wg.Wait()
}

// BenchmarkMemberHome serves the member home through GraphQL (an in-process HTTP
// server over the real app, PostgreSQL and Redis) against the very statements one
// such request issues, captured by a pgx tracer and run directly with pgx on a pool of
// the same size, one after another per request. Both sides run with the same number
// of concurrent clients, alternating A B A B over nine rounds of b.N requests each;
// it reports the medians and the ratio's min/median/max. HOME_CLIENTS sets the number
// of concurrent clients (default twice the pool).
//
//	go test -run '^$' -bench MemberHome -benchtime 300x ./resolvers
func BenchmarkMemberHome(b *testing.B) {
	pool := 8 // config.DefaultDBPool() on 2 cores
	f := newHomeFixture(b, pool)
	clients := 2 * pool
	if v, _ := strconv.Atoi(os.Getenv("HOME_CLIENTS")); v > 0 {
		clients = v
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	body := f.body()
	f.home(b, client, body)
	before := f.tracer.n.Load()
	stmts := f.tracer.capture(func() { f.home(b, client, body) })
	perReq := f.tracer.n.Load() - before
	direct := openDirect(b, f, pool)
	baseline := func(*bytes.Buffer) { runDirect(b, direct, stmts) }
	ours := func(buf *bytes.Buffer) { f.homeInto(b, client, body, buf) }
	baseline(nil) // warm the direct pool's connections and statement caches
	run := func(n int, fn func(*bytes.Buffer)) float64 {
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range clients {
			wg.Go(func() {
				var buf bytes.Buffer
				for next.Add(1) <= int64(n) {
					fn(&buf)
				}
			})
		}
		wg.Wait()
		return float64(n) / time.Since(start).Seconds()
	}
	const rounds = 9
	var rates, bases, ratios []float64
	b.ResetTimer()
	for range rounds {
		r := run(b.N, ours)
		base := run(b.N, baseline)
		rates, bases, ratios = append(rates, r), append(bases, base), append(ratios, r/base)
	}
	b.StopTimer()
	slices.Sort(rates)
	slices.Sort(bases)
	slices.Sort(ratios)
	b.ReportMetric(rates[rounds/2], "home/s")
	b.ReportMetric(bases[rounds/2], "pgx-home/s")
	b.ReportMetric(ratios[0], "x-pgx-min")
	b.ReportMetric(ratios[rounds/2], "x-pgx")
	b.ReportMetric(ratios[rounds-1], "x-pgx-max")
	b.ReportMetric(float64(perReq), "stmts/req")
	b.ReportMetric(0, "ns/op")
}

// openDirect opens a pool of the given size on the fixture's database, as the app's.
func openDirect(b *testing.B, f homeFixture, pool int) *storage.DB {
	direct, err := storage.OpenDB(context.Background(), storetest.URL(f.DB), storage.PoolSize(pool))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(direct.Close)
	return direct
}

// runDirect runs the captured statements one after another on db, reading every row.
func runDirect(b *testing.B, db *storage.DB, stmts []capturedStmt) {
	ctx := context.Background()
	for _, s := range stmts {
		rows, err := db.Pool.Query(ctx, s.sql, s.args...)
		if err != nil {
			b.Fatalf("%s: %v", s.sql, err)
		}
		for rows.Next() {
			_ = rows.RawValues()
		}
		if rows.Close(); rows.Err() != nil {
			b.Fatalf("%s: %v", s.sql, rows.Err())
		}
	}
}

// BenchmarkMemberHomeCost measures what one member-home request costs this process,
// one request at a time, beside its statements run directly with pgx: CPU time (user
// and system), heap objects allocated and goroutines started. The rates of
// BenchmarkMemberHome swing with whatever else a shared machine runs; objects and
// goroutines per request do not, and CPU per request moves far less, so this is the
// one to compare before and after a change to the GraphQL path.
//
//	go test -run '^$' -bench MemberHomeCost -benchtime 200x ./resolvers
func BenchmarkMemberHomeCost(b *testing.B) {
	f := newHomeFixture(b, 8)
	client := &http.Client{}
	body := f.body()
	f.home(b, client, body)
	stmts := f.tracer.capture(func() { f.home(b, client, body) })
	direct := openDirect(b, f, 8)
	runDirect(b, direct, stmts)
	b.ResetTimer()
	var buf bytes.Buffer
	ours := costOf(b.N, func() { f.homeInto(b, client, body, &buf) })
	base := costOf(b.N, func() { runDirect(b, direct, stmts) })
	b.StopTimer()
	b.ReportMetric(ours.cpu, "cpu-µs/home")
	b.ReportMetric(base.cpu, "cpu-µs/pgx-home")
	b.ReportMetric(ours.objects, "objects/home")
	b.ReportMetric(base.objects, "objects/pgx-home")
	b.ReportMetric(ours.goroutines, "goroutines/home")
	b.ReportMetric(0, "ns/op")
}

type cost struct{ cpu, objects, goroutines float64 }

// costOf runs fn n times and returns the process's CPU microseconds, heap objects and
// goroutines started per run.
func costOf(n int, fn func()) cost {
	samples := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}, {Name: "/sched/goroutines-created:goroutines"}}
	read := func() cost {
		metrics.Read(samples)
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return cost{cpu: float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e3,
			objects: float64(samples[0].Value.Uint64()), goroutines: float64(samples[1].Value.Uint64())}
	}
	start := read()
	for range n {
		fn()
	}
	end := read()
	per := float64(n)
	return cost{cpu: (end.cpu - start.cpu) / per, objects: (end.objects - start.objects) / per,
		goroutines: (end.goroutines - start.goroutines) / per}
}
