package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/graph"
)

// TestComplexityPricesAreRemembered: the complexity limit prices a document once per
// set of variables and answers the same from what it remembers — an operation under
// the limit passes again, one over it is refused every time, and the same document
// with other variables gets its own price (up to 200 ids the variables are small
// enough to be remembered; from 499 on they are priced every time).
func TestComplexityPricesAreRemembered(t *testing.T) {
	srv := newServer(t, func(c graph.Config) graph.Config { return c })
	const q = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }` // 1 + one per id; the limit is 500
	ask := func(n int) string {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("id%d", i)
		}
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"ids": ids}})
		_, out := postJSON(t, srv, body, false)
		return out
	}
	for round := range 3 {
		for _, tc := range []struct {
			ids     int
			refused bool
		}{{3, false}, {200, false}, {499, false}, {500, true}, {3, false}, {200, false}, {800, true}} {
			out := ask(tc.ids)
			if refused := strings.Contains(out, "COMPLEXITY_LIMIT_EXCEEDED"); refused != tc.refused {
				t.Fatalf("round %d, %d ids: refused %v, want %v: %.300s", round, tc.ids, refused, tc.refused, out)
			}
			if tc.refused && !strings.Contains(out, fmt.Sprintf("complexity %d,", tc.ids+1)) {
				t.Fatalf("round %d, %d ids: the error does not give the price %d: %.300s", round, tc.ids, tc.ids+1, out)
			}
		}
	}
}
