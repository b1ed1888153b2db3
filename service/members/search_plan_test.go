package members

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// seedPhone is the phone of the i-th seeded member (1-based): 13000000000 + i.
func seedPhone(i int) string { return strconv.Itoa(13000000000 + i) }

// seedCard is the card number of the i-th seeded member.
func seedCard(i int) string { return "S" + seedPhone(i) }

// seedMembers registers members from+1 … from+n of group (phones seedPhone, one card
// each numbered seedCard of cardType) in one INSERT … SELECT generate_series per table
// (foreign-key triggers off for the session: the rows are consistent by construction),
// then VACUUM ANALYZEs both tables.
func seedMembers(tb testing.TB, db *storage.DB, group, mall, cardType uuid.UUID, from, n int) {
	tb.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO members (id, group_id, registered_mall_id, name, phone, registered_at)
			SELECT gen_random_uuid(), $1, $2, 'M', (13000000000 + i)::text, now() - i * interval '1 second'
			FROM generate_series($3::int + 1, $3::int + $4::int) i`, group, mall, from, n); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO cards (id, group_id, member_id, card_type_id, number)
			SELECT gen_random_uuid(), m.group_id, m.id, $2, 'S' || m.phone FROM members m
			WHERE m.group_id = $1 AND m.phone COLLATE "C" >= (13000000000 + $3::int + 1)::text
			  AND m.phone COLLATE "C" <= (13000000000 + $3::int + $4::int)::text`, group, cardType, from, n)
		return err
	})
	if err != nil {
		tb.Fatalf("seed %d members: %v", n, err)
	}
	// As autovacuum would: statistics, and a visibility map for index-only scans.
	if _, err := db.Pool.Exec(ctx, `VACUUM ANALYZE members, cards`); err != nil {
		tb.Fatal(err)
	}
}

// sqlRecorder remembers the statements a pool runs and their arguments.
type sqlRecorder struct {
	mu   sync.Mutex
	sql  []string
	args [][]any
}

func (r *sqlRecorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sql, r.args = append(r.sql, d.SQL), append(r.args, d.Args)
	return ctx
}

func (r *sqlRecorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// last is the last search statement that ran and its arguments.
func (r *sqlRecorder) last(t *testing.T) (string, []any) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.sql) - 1; i >= 0; i-- {
		if strings.Contains(r.sql[i], "SearchMembers") {
			return r.sql[i], r.args[i]
		}
	}
	t.Fatal("no search statement ran")
	return "", nil
}

// plans returns PostgreSQL's plan of sql with args, as a custom plan (the values known)
// and as a generic plan (prepared, plan_cache_mode = force_generic_plan: what a
// statement cached by pgx may be planned as after five runs).
func plans(t *testing.T, db *storage.DB, sql string, args []any) (custom, generic string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	text := func(q string, args ...any) string {
		rows, err := conn.Query(ctx, q, append([]any{pgx.QueryExecModeSimpleProtocol}, args...)...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return strings.Join(lines, "\n")
	}
	custom = text("EXPLAIN "+sql, args...)
	name := "plan_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	text("SET plan_cache_mode = force_generic_plan")
	defer text("RESET plan_cache_mode")
	// Sent as is: the statement's own $n are the prepared statement's parameters.
	if _, err := conn.Conn().PgConn().Exec(ctx, "PREPARE "+name+" AS "+sql).ReadAll(); err != nil {
		t.Fatalf("prepare: %v", err)
	}
	defer text("DEALLOCATE " + name)
	marks := make([]string, len(args))
	for i := range args {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	generic = text("EXPLAIN EXECUTE "+name+"("+strings.Join(marks, ", ")+")", args...)
	return custom, generic
}

// TestSearchPlansUseIndexes: on a group of 20,000 analysed members with a card each,
// every search shape (whole phone, phone prefix, card number, none) is planned on an
// index, as a custom and as a generic plan — never a sequential scan (issue 11, point 3).
func TestSearchPlansUseIndexes(t *testing.T) {
	f := setup(t)
	seedMembers(t, f.db, f.groupA, f.mallA, f.cardTypeA, 0, 20_000)
	rec := &sqlRecorder{}
	cfg := f.db.Pool.Config()
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(f.ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	d := f.deps
	d.DB = &storage.DB{Pool: pool}
	svc := New(d)
	cases := []struct {
		name   string
		filter MemberFilter
		index  string // an index the plan must read
		want   int    // members found
	}{
		{"whole phone", MemberFilter{Phone: seedPhone(12345)}, "members_group_phone_idx", 1},
		{"phone prefix", MemberFilter{Phone: seedPhone(12345)[:9]}, "members_group_phone_c_idx", 20},
		{"8-digit phone prefix", MemberFilter{Phone: "13000012"}, "members_group_phone_c_idx", 20},
		// A prefix all the group shares: reading the group in id order finds a page sooner.
		{"short phone prefix", MemberFilter{Phone: "1300"}, "members_group", 20},
		{"card number", MemberFilter{CardNumber: seedCard(777)}, "cards_number_key", 1},
		{"card number and phone", MemberFilter{CardNumber: seedCard(777), Phone: "130"}, "cards_number_key", 1},
		{"none", MemberFilter{}, "members_", 20},
		{"tag only", MemberFilter{Tag: "vip"}, "members_", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := svc.SearchMembers(f.deskA, c.filter, page.Request{First: 20})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Items) != c.want {
				t.Errorf("found %d members, want %d", len(res.Items), c.want)
			}
			sql, args := rec.last(t)
			custom, generic := plans(t, f.db, sql, args)
			for kind, plan := range map[string]string{"custom": custom, "generic": generic} {
				if strings.Contains(plan, "Seq Scan") || !strings.Contains(plan, c.index) {
					t.Errorf("%s plan scans without %s:\n%s", kind, c.index, plan)
				}
			}
		})
	}
}

// TestSearchShape names the statement each combination of phone and card number runs.
func TestSearchShape(t *testing.T) {
	cases := []struct {
		name, phone, card string
		want              searchShape
	}{
		{"nothing", "", "", searchAll},
		{"whole phone", "13800138000", "", searchPhone},
		{"phone prefix", "138", "", searchShortPrefix},
		{"7 digits", "1380013", "", searchPhonePrefix},
		{"6 digits", "138001", "", searchShortPrefix},
		{"one digit", "1", "", searchShortPrefix},
		{"card number", "", "C1", searchCard},
		{"card number leads a phone", "13800138000", "C1", searchCard},
	}
	for _, c := range cases {
		if got := shapeOf(c.phone, c.card); got != c.want {
			t.Errorf("%s: shape %d, want %d", c.name, got, c.want)
		}
	}
}

// searchWorld is a benchmark's database of its own: a group, its mall, a card type,
// size seeded members, and a service-desk viewer of the mall.
type searchWorld struct {
	svc  *Service
	desk context.Context
	size int
}

func newSearchWorld(b *testing.B, size int) searchWorld {
	db := storetest.DB(b)
	ctx := context.Background()
	group, mall, ct := service.NewID(), service.NewID(), service.NewID()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO org_groups (id, code, name) VALUES ($1, 'G', 'G')`, []any{group}},
		{`INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, 'M', 'M')`, []any{mall, group}},
		{`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'SV', 'SV', 'stored_value')`,
			[]any{ct, group}},
	} {
		if _, err := db.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	seedMembers(b, db, group, mall, ct, 0, size)
	b.Logf("seeded %d members in %v", size, time.Since(start).Round(time.Millisecond))
	objs, err := storage.NewLocalObjects(b.TempDir(), "http://127.0.0.1/objects", []byte("k"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(wechattest.New("wxapp", "wxsecret"))
	b.Cleanup(srv.Close)
	svc := New(Deps{DB: db, Objects: objs, WeChat: auth.NewWeChat(srv.URL, "wxapp", "wxsecret", srv.Client()),
		Org: orgtest.Service(db), Ledger: &fakeLedger{}, Now: time.Now,
		Config: Config{CodeKey: []byte("0123456789abcdef0123456789abcdef")}})
	desk := auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: mall}}})
	return searchWorld{svc: svc, desk: desk, size: size}
}

// benchSize is the large side of BenchmarkMemberSearch: ATRIUM_BENCH_MEMBERS, else
// 1,000,000 when the benchmark is asked for by name (-bench MemberSearch), else 100,000
// (make bench, -bench .), and 100,000 with -short.
func benchSize(b *testing.B) int {
	if v := os.Getenv("ATRIUM_BENCH_MEMBERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1000 {
			b.Fatalf("ATRIUM_BENCH_MEMBERS=%q: want a number ≥ 1000", v)
		}
		return n
	}
	if f := flag.Lookup("test.bench"); testing.Short() || f == nil || !strings.Contains(f.Value.String(), "MemberSearch") {
		return 100_000
	}
	return 1_000_000
}

// BenchmarkMemberSearch: a staff search by whole phone, phone prefix (9 digits: 100
// members at either size) and card number, on 10,000 members and on a large group
// (1,000,000 when asked for by name; ATRIUM_BENCH_MEMBERS sets it; see benchSize), each
// in a database of its own, the two sizes alternating search by search. It prints µs per
// search (the viewer's groups and the search: two statements) at each size and the ratio
// large/small per shape, with the min/median/max of that ratio over rounds of 20
// (target: ≤ 2 — index plans, not scans). Seeding 1,000,000 takes a few minutes.
//
//	go test -run '^$' -bench MemberSearch -benchtime 400x -timeout 30m ./service/members
//	ATRIUM_BENCH_MEMBERS=200000 go test -run '^$' -bench MemberSearch ./service/members
func BenchmarkMemberSearch(b *testing.B) {
	// Seeded once: the parent runs once, its sub-benchmark as many times as it needs.
	small, large := newSearchWorld(b, 10_000), newSearchWorld(b, benchSize(b))
	b.Run("alternating", func(b *testing.B) { benchMemberSearch(b, small, large) })
}

func benchMemberSearch(b *testing.B, small, large searchWorld) {
	shapes := []struct {
		name   string
		filter func(i int) MemberFilter
	}{
		{"phone", func(i int) MemberFilter { return MemberFilter{Phone: seedPhone(i)} }},
		{"prefix", func(i int) MemberFilter { return MemberFilter{Phone: seedPhone(i)[:9]} }},
		{"card", func(i int) MemberFilter { return MemberFilter{CardNumber: seedCard(i)} }},
	}
	search := func(w searchWorld, f MemberFilter) time.Duration {
		start := time.Now()
		res, err := w.svc.SearchMembers(w.desk, f, page.Request{First: 20})
		if err != nil || len(res.Items) == 0 {
			b.Fatalf("search %+v on %d: %d found, %v", f, w.size, len(res.Items), err)
		}
		return time.Since(start)
	}
	const round = 20
	type side struct{ total, inRound time.Duration }
	sides := make([][2]side, len(shapes))
	ratios := make([][]float64, len(shapes))
	rnd := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := range b.N {
		for s, shape := range shapes {
			// Each side searches a member of its own range (the small one: 1…10,000).
			a := search(small, shape.filter(1+rnd.IntN(small.size)))
			z := search(large, shape.filter(1+rnd.IntN(large.size)))
			sides[s][0].inRound += a
			sides[s][1].inRound += z
			if (i+1)%round == 0 || i == b.N-1 {
				ratios[s] = append(ratios[s], sides[s][1].inRound.Seconds()/sides[s][0].inRound.Seconds())
				for k := range 2 {
					sides[s][k].total += sides[s][k].inRound
					sides[s][k].inRound = 0
				}
			}
		}
	}
	b.StopTimer()
	label := func(n int) string {
		if n%1_000_000 == 0 {
			return fmt.Sprintf("%dM", n/1_000_000)
		}
		return fmt.Sprintf("%dk", n/1000)
	}
	for s, shape := range shapes {
		us := func(d time.Duration) float64 { return d.Seconds() * 1e6 / float64(b.N) }
		b.ReportMetric(us(sides[s][0].total), shape.name+"-"+label(small.size)+"-µs")
		b.ReportMetric(us(sides[s][1].total), shape.name+"-"+label(large.size)+"-µs")
		b.ReportMetric(sides[s][1].total.Seconds()/sides[s][0].total.Seconds(), shape.name+"-x")
		r := ratios[s]
		slices.Sort(r)
		b.ReportMetric(r[0], shape.name+"-x-min")
		b.ReportMetric(r[len(r)/2], shape.name+"-x-median")
		b.ReportMetric(r[len(r)-1], shape.name+"-x-max")
	}
}
