package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// killable runs the malls query and the logout mutation on a database connection the
// test terminates (pg_terminate_backend) while the first call sleeps in PostgreSQL.
type killable struct {
	graph.ResolverRoot
	db      *storage.DB
	started chan int32 // the backend pid of the first call
	calls   *atomic.Int32
}

func (k killable) Query() graph.QueryResolver { return killableQuery{k.ResolverRoot.Query(), k} }
func (k killable) Mutation() graph.MutationResolver {
	return killableMutation{k.ResolverRoot.Mutation(), k}
}

type killableQuery struct {
	graph.QueryResolver
	k killable
}

type killableMutation struct {
	graph.MutationResolver
	k killable
}

// work sleeps in PostgreSQL; the first call reports its backend first, to be killed.
func (k killable) work(ctx context.Context) error {
	n := k.calls.Add(1)
	conn, err := k.db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	var pid int32
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		return err
	}
	if n == 1 {
		k.started <- pid
	}
	if _, err := conn.Exec(ctx, `SELECT pg_sleep(0.5)`); err != nil {
		return fmt.Errorf("work: %w", err)
	}
	return nil
}

func (q killableQuery) Malls(ctx context.Context, _ *int, _ *string) (model.MallConnection, error) {
	return model.MallConnection{Edges: []model.MallEdge{}}, q.k.work(ctx)
}

func (m killableMutation) RechargeCard(ctx context.Context, _ model.RechargeCardInput) (model.RechargeCardPayload, error) {
	return model.RechargeCardPayload{UserErrors: []model.UserError{}}, m.k.work(ctx)
}

func (m killableMutation) Logout(ctx context.Context) (model.LogoutPayload, error) {
	return model.LogoutPayload{Ok: true, UserErrors: []model.UserError{}}, m.k.work(ctx)
}

// TestQueryRetriedAfterKilledConnection: a query whose database connection is
// terminated mid-statement runs again on another connection and answers, and so does a
// mutation keyed by an idempotency key; a mutation without one is not run again (it may
// have committed) and answers INTERNAL.
func TestQueryRetriedAfterKilledConnection(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	cases := []struct {
		name, query, want string
		calls             int32
	}{
		{"query", `{ malls { edges { cursor } } }`, `"data":{"malls":{"edges":[]}}`, 2},
		{"mutation", `mutation { logout { ok } }`, `"INTERNAL"`, 1},
		{"mutation with an idempotency key", `mutation { rechargeCard(input: {mallId: "m", cardNumber: "1", amount: "1",
			idempotencyKey: "k1"}) { userErrors { code } } }`, `"data":{"rechargeCard":{"userErrors":[]}}`, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := killable{db: db, started: make(chan int32, 1), calls: new(atomic.Int32)}
			srv := newServerWith(t, func(c graph.Config) graph.Config {
				k.ResolverRoot = c.Resolvers
				c.Resolvers = k
				return c
			}, func(_ *server.GraphQLOptions, r *server.Routes) {
				admin := &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
					Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: uuid.New()}}}
				r.Authn = func(context.Context, string) (*auth.Viewer, error) { return admin, nil }
			})
			go func() {
				pid := <-k.started
				time.Sleep(50 * time.Millisecond) // into pg_sleep
				if _, err := db.Pool.Exec(context.Background(), `SELECT pg_terminate_backend($1)`, pid); err != nil {
					t.Error(err)
				}
			}()
			_, body := post(t, srv, tc.query)
			if !strings.Contains(body, tc.want) {
				t.Fatalf("want %s, got %s", tc.want, body)
			}
			if n := k.calls.Load(); n != tc.calls {
				t.Fatalf("%d runs, want %d", n, tc.calls)
			}
		})
	}
}
