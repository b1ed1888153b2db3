package resolvers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/internal/servicetest"
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
