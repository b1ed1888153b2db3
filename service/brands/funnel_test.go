package brands

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
)

// path builds the entries of one prospect: stages entered on the given days after
// 2026-01-01 (a lost stage takes reason).
func path(n int, reason LostReason, steps ...any) []Entry {
	id := uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(n)))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []Entry
	for i := 0; i < len(steps); i += 2 {
		e := Entry{ProspectID: id, Stage: steps[i].(Stage), At: t0.Add(time.Duration(steps[i+1].(float64) * 24 * float64(time.Hour)))}
		if e.Stage == StageLost {
			e.LostReason = reason
		}
		out = append(out, e)
	}
	return out
}

func concat(parts ...[]Entry) []Entry {
	var out []Entry
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func ptr(f float64) *float64 { return &f }

type want struct {
	prospects, won, lost, open int
	reached                    [6]int
	conversion                 [6]*float64
	median                     [6]*float64
	reasons                    []ReasonCount
}

func TestComputeFunnel(t *testing.T) {
	const (
		lead, visited, negotiating, loi, contract, won, lost = StageLead, StageVisited, StageNegotiating, StageLOI,
			StageContract, StageWon, StageLost
	)
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    want
	}{
		{"no prospects: empty funnel, no rates", nil, want{}},
		{"one open lead", path(1, "", lead, 0.0),
			want{prospects: 1, open: 1, reached: [6]int{1}, conversion: [6]*float64{nil, ptr(0)}}},
		{"one prospect won through every stage",
			path(1, "", lead, 0.0, visited, 2.0, negotiating, 5.0, loi, 15.0, contract, 20.0, won, 30.0),
			want{prospects: 1, won: 1, reached: [6]int{1, 1, 1, 1, 1, 1},
				conversion: [6]*float64{nil, ptr(1), ptr(1), ptr(1), ptr(1), ptr(1)},
				median:     [6]*float64{nil, ptr(2), ptr(3), ptr(10), ptr(5), ptr(10)}}},
		{"half the leads are visited",
			concat(path(1, "", lead, 0.0, visited, 4.0), path(2, "", lead, 0.0)),
			want{prospects: 2, open: 2, reached: [6]int{2, 1}, conversion: [6]*float64{nil, ptr(0.5), ptr(0)},
				median: [6]*float64{nil, ptr(4)}}},
		{"a skipped stage counts as passed but has no duration",
			path(1, "", lead, 0.0, loi, 3.0),
			want{prospects: 1, open: 1, reached: [6]int{1, 1, 1, 1},
				conversion: [6]*float64{nil, ptr(1), ptr(1), ptr(1), ptr(0)}}},
		{"median of an even count is the mean of the middle two",
			concat(path(1, "", lead, 0.0, visited, 1.0), path(2, "", lead, 0.0, visited, 3.0),
				path(3, "", lead, 0.0, visited, 10.0), path(4, "", lead, 0.0, visited, 5.0)),
			want{prospects: 4, open: 4, reached: [6]int{4, 4}, conversion: [6]*float64{nil, ptr(1), ptr(0)},
				median: [6]*float64{nil, ptr(4)}}},
		{"median of an odd count is the middle one",
			concat(path(1, "", lead, 0.0, visited, 1.0), path(2, "", lead, 0.0, visited, 30.0),
				path(3, "", lead, 0.0, visited, 2.0)),
			want{prospects: 3, open: 3, reached: [6]int{3, 3}, conversion: [6]*float64{nil, ptr(1), ptr(0)},
				median: [6]*float64{nil, ptr(2)}}},
		{"fractional days count",
			path(1, "", lead, 0.0, visited, 0.5),
			want{prospects: 1, open: 1, reached: [6]int{1, 1}, conversion: [6]*float64{nil, ptr(1), ptr(0)},
				median: [6]*float64{nil, ptr(0.5)}}},
		{"a lost prospect counts up to the stage it reached",
			path(1, LostRent, lead, 0.0, visited, 1.0, negotiating, 2.0, lost, 9.0),
			want{prospects: 1, lost: 1, reached: [6]int{1, 1, 1},
				conversion: [6]*float64{nil, ptr(1), ptr(1), ptr(0)},
				median:     [6]*float64{nil, ptr(1), ptr(1)},
				reasons:    []ReasonCount{{LostRent, 1}}}},
		{"lost reasons most frequent first, ties by reason",
			concat(path(1, LostRent, lead, 0.0, lost, 1.0), path(2, LostArea, lead, 0.0, lost, 1.0),
				path(3, LostRent, lead, 0.0, lost, 2.0), path(4, LostTiming, lead, 0.0, lost, 2.0)),
			want{prospects: 4, lost: 4, reached: [6]int{4}, conversion: [6]*float64{nil, ptr(0)},
				reasons: []ReasonCount{{LostRent, 2}, {LostArea, 1}, {LostTiming, 1}}}},
		{"won, lost and open side by side",
			concat(path(1, "", lead, 0.0, visited, 1.0, negotiating, 3.0, contract, 10.0, won, 20.0),
				path(2, LostCompetitor, lead, 0.0, visited, 2.0, lost, 4.0),
				path(3, "", lead, 0.0, visited, 3.0, negotiating, 8.0)),
			want{prospects: 3, won: 1, lost: 1, open: 1, reached: [6]int{3, 3, 2, 1, 1, 1},
				conversion: [6]*float64{nil, ptr(1), ptr(2.0 / 3), ptr(0.5), ptr(1), ptr(1)},
				median:     [6]*float64{nil, ptr(2), ptr(3.5), nil, nil, ptr(10)},
				reasons:    []ReasonCount{{LostCompetitor, 1}}}},
		{"entries out of order are sorted per prospect",
			concat(path(1, "", visited, 2.0), path(2, "", lead, 0.0), path(1, "", lead, 0.0)),
			want{prospects: 2, open: 2, reached: [6]int{2, 1}, conversion: [6]*float64{nil, ptr(0.5), ptr(0)},
				median: [6]*float64{nil, ptr(2)}}},
		{"a stage entered twice counts from its first entry",
			concat(path(1, "", lead, 0.0, visited, 2.0), path(1, "", visited, 6.0)),
			want{prospects: 1, open: 1, reached: [6]int{1, 1}, conversion: [6]*float64{nil, ptr(1), ptr(0)},
				median: [6]*float64{nil, ptr(2)}}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkFunnel(t, ComputeFunnel(tc.entries), tc.want) })
	}
}

func checkFunnel(t *testing.T, got Funnel, w want) {
	t.Helper()
	if got.Prospects != w.prospects || got.Won != w.won || got.Lost != w.lost || got.Open != w.open {
		t.Errorf("counts = %d prospects, %d won, %d lost, %d open; want %d, %d, %d, %d", got.Prospects, got.Won, got.Lost,
			got.Open, w.prospects, w.won, w.lost, w.open)
	}
	if len(got.Steps) != len(Pipeline) {
		t.Fatalf("steps = %d", len(got.Steps))
	}
	for i, s := range got.Steps {
		if s.Stage != Pipeline[i] || s.Reached != w.reached[i] || !same(s.Conversion, w.conversion[i]) ||
			!same(s.MedianDays, w.median[i]) {
			t.Errorf("step %s = reached %d, conversion %s, median %s; want %d, %s, %s", s.Stage, s.Reached,
				show(s.Conversion), show(s.MedianDays), w.reached[i], show(w.conversion[i]), show(w.median[i]))
		}
	}
	if fmt.Sprint(got.LostReasons) != fmt.Sprint(w.reasons) && (len(got.LostReasons) > 0 || len(w.reasons) > 0) {
		t.Errorf("lost reasons = %v, want %v", got.LostReasons, w.reasons)
	}
}

func same(a, b *float64) bool {
	return (a == nil) == (b == nil) && (a == nil || math.Abs(*a-*b) < 1e-9)
}

func show(f *float64) string {
	if f == nil {
		return "nil"
	}
	return fmt.Sprintf("%.4f", *f)
}
