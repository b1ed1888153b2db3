package scalar

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

func TestUnmarshalDecimal(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want string // "" when refused
	}{
		{"money as a string", "12.50", "12.5"},
		{"a JSON number", json.Number("3"), "3"},
		{"an int", 7, "7"},
		{"not a number", "abc", ""},
		{"a NUL byte", "1\x00", ""},
		{"a thousand digits", strings.Repeat("9", 1000), ""},
		{"a huge exponent", "1e999999999", ""},
		{"a tiny exponent", "1e-999999999", ""},
		{"a boolean", true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := UnmarshalDecimal(tc.in)
			if tc.want == "" {
				if !errors.Is(err, errs.ErrInvalid) {
					t.Fatalf("err = %v, want INVALID_INPUT", err)
				}
				if s := err.Error(); strings.Contains(s, "999") || strings.Contains(s, "\x00") {
					t.Fatalf("the error echoes the value: %q", s)
				}
				return
			}
			if err != nil || d.String() != tc.want {
				t.Fatalf("got %s, %v; want %s", d, err, tc.want)
			}
		})
	}
}

// TestMarshalDecimalWritesString: the output is d.String() quoted, for money, points,
// fractions below one, negative values, integers with trailing zeros and values too
// large for the short path.
func TestMarshalDecimalWritesString(t *testing.T) {
	values := []decimal.Decimal{
		decimal.Zero, decimal.New(0, -2), decimal.New(1250, -2), decimal.New(-5, -2), decimal.New(-100, -2),
		decimal.New(10, 0), decimal.New(1, 20), decimal.New(123456789012345, -2), decimal.New(-999999999999999, -18),
		decimal.New(7, -19), decimal.RequireFromString("123456789012345678901234567890.123"),
		decimal.RequireFromString("-0.0001"), decimal.RequireFromString("0.10"), decimal.NewFromInt(math.MinInt64),
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		values = append(values, decimal.New(rnd.Int64N(2e15)-1e15, -rnd.Int32N(8)))
	}
	for _, d := range values {
		var b strings.Builder
		MarshalDecimal(d).MarshalGQL(&b)
		if want := `"` + d.String() + `"`; b.String() != want {
			t.Fatalf("%s (coefficient %s, exponent %d): wrote %s", want, d.Coefficient(), d.Exponent(), b.String())
		}
	}
}
