package uscc_test

import (
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/service/billing/uscc"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		code string
		ok   bool
	}{
		{"published sample (GB 32100 illustration)", "91350100M000100Y43", true},
		{"plausible code, check character off", "91310115MA1H7GJ0XT", false},
		{"check character 0 (sum ≡ 0)", "", true},
		{"lower case normalized", "91350100m000100y43", true},
		{"17 characters", "91350100M000100Y4", false},
		{"19 characters", "91350100M000100Y430", false},
		{"wrong check character", "91350100M000100Y44", false},
		{"letter I not in the alphabet", "91350100M000I00Y43", false},
		{"letter O as check", "91350100M000100Y4O", false},
		{"authority H", "H1350100M000100Y43", false},
		{"division with a letter", "9135A100M000100Y43", false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := uscc.Normalize(tc.code)
			if tc.name == "check character 0 (sum ≡ 0)" {
				code = withCheck(t, "9111000010000000", '0')
			}
			err := uscc.Validate(code)
			if tc.ok != (err == nil) {
				t.Fatalf("Validate(%q) = %v, want ok %v", code, err, tc.ok)
			}
			if err != nil && !errors.Is(err, uscc.ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
		})
	}
}

// withCheck completes a 16-character prefix with the 17th character that makes the
// check character want, and the check character itself.
func withCheck(t *testing.T, prefix16 string, want byte) string {
	t.Helper()
	for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
		first := prefix16 + string(c)
		if got, _ := uscc.CheckChar(first); got == want {
			return first + string(want)
		}
	}
	t.Fatalf("no 17th character gives check %c", want)
	return ""
}
