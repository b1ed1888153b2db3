package valuation

import (
	"errors"
	"testing"
)

func TestOut(t *testing.T) {
	cases := []struct {
		name string
		b    Balance
		n    int64
		want int64
		err  error
	}{
		{"one of ten at an even cost", Balance{10, 1000}, 1, 100, nil},
		{"a third rounds half up", Balance{3, 100}, 1, 33, nil},
		{"two thirds round half up", Balance{3, 100}, 2, 67, nil},
		{"exactly half a fen rounds up", Balance{2, 1}, 1, 1, nil},
		{"the last unit takes what is left", Balance{1, 33}, 1, 33, nil},
		{"all of it takes all the value", Balance{7, 1001}, 7, 1001, nil},
		{"free stock costs nothing", Balance{5, 0}, 2, 0, nil},
		{"more than the balance", Balance{2, 200}, 3, 0, ErrShort},
		{"from nothing", Balance{0, 0}, 1, 0, ErrShort},
		{"zero units", Balance{5, 500}, 0, 0, ErrShort},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Out(c.b, c.n)
			if got != c.want || !errors.Is(err, c.err) {
				t.Errorf("Out(%+v, %d) = %d, %v; want %d, %v", c.b, c.n, got, err, c.want, c.err)
			}
		})
	}
}

// TestOutEmptiesExactly: taking a balance out one unit at a time leaves zero fen.
func TestOutEmptiesExactly(t *testing.T) {
	b := Balance{7, 1000}
	for b.Quantity > 0 {
		c, err := Out(b, 1)
		if err != nil {
			t.Fatal(err)
		}
		b = Balance{b.Quantity - 1, b.ValueFen - c}
		if b.ValueFen < 0 {
			t.Fatalf("negative value %+v", b)
		}
	}
	if b.ValueFen != 0 {
		t.Fatalf("left %d fen", b.ValueFen)
	}
}

func TestAtAverage(t *testing.T) {
	cases := []struct {
		name string
		b    Balance
		n    int64
		want int64
	}{
		{"found units at the average cost", Balance{4, 1000}, 2, 500},
		{"rounded half up", Balance{3, 100}, 1, 33},
		{"an empty balance has no cost", Balance{0, 0}, 3, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := AtAverage(c.b, c.n); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
}

func TestReceipt(t *testing.T) {
	cases := []struct {
		name                       string
		ordered, received, counted int64
		want                       Discrepancy
	}{
		{"exactly what was due", 10, 0, 10, Discrepancy{}},
		{"short", 10, 0, 8, Discrepancy{Short: 2}},
		{"over", 10, 0, 12, Discrepancy{Over: 2}},
		{"the rest of a partial receipt", 10, 6, 4, Discrepancy{}},
		{"after an over receipt nothing is due", 10, 12, 1, Discrepancy{Over: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Receipt(c.ordered, c.received, c.counted); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestFullyReceived(t *testing.T) {
	cases := []struct {
		name  string
		lines []Line
		want  bool
	}{
		{"every line received", []Line{{10, 10}, {5, 6}}, true},
		{"one line short", []Line{{10, 10}, {5, 4}}, false},
		{"no lines", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := FullyReceived(c.lines); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
