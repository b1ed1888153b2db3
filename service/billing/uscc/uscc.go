// Package uscc validates a unified social credit code (统一社会信用代码, GB 32100-2015),
// the tax number a fapiao (发票) is issued to: 18 characters from the code's alphabet
// (digits and upper-case letters without I, O, Z, S, V), the first the registering
// authority (1–9, A–G, Y), the second the kind, 3–8 the administrative division
// (digits), and the last a check character: 31 − (Σ value(cᵢ) × weightᵢ mod 31) over
// the first 17, with weights 3ⁱ mod 31, and 31 written as 0. It is pure.
package uscc

import (
	"strings"

	"github.com/atrium-mall/atrium/service/errs"
)

// ErrInvalid: the tax number is not a valid unified social credit code.
var ErrInvalid = errs.New(errs.KindUser, "INVALID_TAX_NUMBER",
	"the tax number is an 18-character unified social credit code (统一社会信用代码) with a valid check character")

// alphabet is the code's characters, by value.
const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// weights of the first 17 characters: 3^i mod 31.
var weights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// Normalize upper-cases and trims a code as typed.
func Normalize(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckChar is the check character of the first 17 characters of a code (ok false
// when one is outside the alphabet or there are not 17).
func CheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(alphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * weights[i]
	}
	return alphabet[(31-sum%31)%31], true
}

// Validate checks a normalized code: length, alphabet, authority, division, check character.
func Validate(code string) error {
	switch {
	case len(code) != 18:
		return ErrInvalid.Msgf("a unified social credit code has 18 characters, not %d", len(code))
	case !strings.ContainsRune("123456789ABCDEFGY", rune(code[0])):
		return ErrInvalid.Msgf("the first character (the registering authority) is 1–9, A–G or Y")
	case strings.Trim(code[2:8], "0123456789") != "":
		return ErrInvalid.Msgf("characters 3 to 8 (the administrative division) are digits")
	}
	want, ok := CheckChar(code[:17])
	switch {
	case !ok || strings.IndexByte(alphabet, code[17]) < 0:
		return ErrInvalid.Msgf("the code uses digits and capital letters other than I, O, Z, S and V")
	case code[17] != want:
		return ErrInvalid.Msgf("the check character is wrong")
	}
	return nil
}
