package benchab

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/atrium-mall/atrium/storage"
)

// Stmt is one statement a traced pool ran: its SQL, its command tag ("INSERT 0 1")
// and the pgx batch it was sent in (0: sent alone; batches are numbered from 1).
type Stmt struct {
	SQL, Tag string
	Batch    int
}

// Tracer records the statements of a pool (pgx QueryTracer and BatchTracer).
type Tracer struct {
	mu      sync.Mutex
	stmts   []Stmt
	batches int
}

type sqlKey struct{}

type batchKey struct{}

func (t *Tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, sqlKey{}, d.SQL)
}

func (t *Tracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	sql, _ := ctx.Value(sqlKey{}).(string)
	t.add(sql, d.CommandTag.String(), 0)
}

func (t *Tracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.batches++
	return context.WithValue(ctx, batchKey{}, t.batches)
}

func (t *Tracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	n, _ := ctx.Value(batchKey{}).(int)
	t.add(d.SQL, d.CommandTag.String(), n)
}

func (t *Tracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (t *Tracer) add(sql, tag string, batch int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stmts = append(t.stmts, Stmt{SQL: sql, Tag: tag, Batch: batch})
}

// RoundTrips is how many times the client waited for PostgreSQL to run stmts: once per
// statement sent alone, once per batch.
func RoundTrips(stmts []Stmt) int {
	n, batches := 0, map[int]bool{}
	for _, s := range stmts {
		switch {
		case s.Batch == 0:
			n++
		case !batches[s.Batch]:
			batches[s.Batch] = true
			n++
		}
	}
	return n
}

// Take returns the statements recorded since the last Take and forgets them.
func (t *Tracer) Take() []Stmt {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.stmts
	t.stmts = nil
	return out
}

// Pool is a second pool of up to conns connections on db's database (both sides of a
// comparison then share it); it is closed when the test ends.
func Pool(tb testing.TB, db *storage.DB, conns int32) *storage.DB {
	tb.Helper()
	cfg := db.Pool.Config()
	cfg.MaxConns = conns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return &storage.DB{Pool: pool}
}

// Traced is a second pool on db's database whose statements tr records; it is closed
// when the test ends.
func Traced(tb testing.TB, db *storage.DB) (*storage.DB, *Tracer) {
	tb.Helper()
	cfg := db.Pool.Config()
	tr := &Tracer{}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return &storage.DB{Pool: pool}, tr
}

var writeRe = regexp.MustCompile(`(?is)\b(insert\s+into|update|delete\s+from)\s+([a-z_][a-z0-9_.]*)`)

// Writes is which tables stmts wrote and how many rows each, by command tag, as sorted
// "table VERB ×rows" lines (a statement whose writes hide in a CTE counts its main
// target only).
func Writes(stmts []Stmt) []string {
	rows := map[string]int64{}
	for _, s := range stmts {
		f := strings.Fields(s.Tag)
		if len(f) == 0 {
			continue
		}
		verb := f[0]
		if verb != "INSERT" && verb != "UPDATE" && verb != "DELETE" {
			continue
		}
		var n int64
		if _, _ = fmt.Sscan(f[len(f)-1], &n); n == 0 {
			continue // wrote nothing (ON CONFLICT DO NOTHING, a missed condition)
		}
		target := "?"
		for _, m := range writeRe.FindAllStringSubmatch(s.SQL, -1) {
			if strings.EqualFold(strings.Fields(m[1])[0], verb) {
				target = strings.ToLower(m[2]) // the last: the main statement follows its CTEs
			}
		}
		rows[target+" "+verb] += n
	}
	var out []string
	for k, n := range rows {
		out = append(out, fmt.Sprintf("%s ×%d", k, n))
	}
	slices.Sort(out)
	return out
}
