package meters_test

import (
	"fmt"
	"testing"

	"github.com/atrium-mall/atrium/service/meters"
)

func TestWaves(t *testing.T) {
	for _, tc := range []struct {
		name   string
		meters []string
		want   string
	}{
		{"empty batch: no statement", nil, "[]"},
		{"one reading per meter: one statement", []string{"a", "b", "c"}, "[[0 1 2]]"},
		{"one meter: a statement per reading, in order", []string{"a", "a", "a"}, "[[0] [1] [2]]"},
		{"mixed: k-th reading of each meter in wave k", []string{"a", "b", "a", "c", "b", "a"}, "[[0 1 3] [2 4] [5]]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(meters.Waves(tc.meters)); got != tc.want {
				t.Fatalf("Waves(%v) = %s, want %s", tc.meters, got, tc.want)
			}
		})
	}
}
