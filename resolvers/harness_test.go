package resolvers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// api is the schema over every real service on the test's own database (servicetest),
// run in process with the viewer taken from the request's context.
type api struct {
	*servicetest.Set
	servicetest.Client
}

func newAPI(t testing.TB, opts ...servicetest.Option) api {
	t.Helper()
	s := servicetest.New(t, storetest.DB(t), opts...)
	return api{Set: s, Client: s.Client()}
}

// worldAPI is the schema over a redemptiontest world (a group with two malls and
// their merchants), with a member-ops staff member of its mall.
type worldAPI struct {
	api
	t     *testing.T
	ctx   context.Context
	world redemptiontest.World
	ops   context.Context
}

func newWorldAPI(t *testing.T, opts ...servicetest.Option) worldAPI {
	t.Helper()
	a, ctx := newAPI(t, opts...), context.Background()
	w := redemptiontest.NewWorld(t, a.DB)
	return worldAPI{api: a, t: t, ctx: ctx, world: w, ops: w.MallStaffAs(ctx, auth.RoleMemberOps)}
}

// opsAPI is the schema over two malls of one group.
type opsAPI struct {
	api
	group       uuid.UUID
	mall, other uuid.UUID
}

func newOpsAPI(t *testing.T) opsAPI {
	t.Helper()
	a := opsAPI{api: newAPI(t), group: uuid.New(), mall: uuid.New(), other: uuid.New()}
	ctx := context.Background()
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G')`, a.group, storetest.RandomName("g")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $3, 'M1', 'Mall'), ($2, $3, 'M2', 'Other')`,
		a.mall, a.other, a.group); err != nil {
		t.Fatal(err)
	}
	return a
}

// as is a staff viewer with role over mall.
func (a opsAPI) as(role auth.Role, mall uuid.UUID) context.Context {
	return servicetest.Context(servicetest.Staff(role, auth.LevelMall, mall))
}

// field digs into a response: map keys by string, list items by int.
var field = servicetest.Field

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// fields reads a userError's field path.
func fields(v any) []string {
	l, _ := v.([]any)
	out := make([]string, len(l))
	for i, f := range l {
		out[i], _ = f.(string)
	}
	return out
}

// userError returns the single userError of a payload as "CODE field.path", or the response.
func userError(out map[string]any, path ...any) string {
	ue, _ := field(out, append(append([]any{"data"}, path...), "userErrors")...).([]any)
	if len(ue) != 1 {
		return mustJSON(out)
	}
	return field(ue[0], "code").(string) + " " + strings.Join(fields(field(ue[0], "field")), ".")
}

// errorCode returns the first error's extensions.code.
func errorCode(out map[string]any) any { return field(out, "errors", 0, "extensions", "code") }
