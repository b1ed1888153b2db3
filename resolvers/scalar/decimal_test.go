package scalar

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

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
