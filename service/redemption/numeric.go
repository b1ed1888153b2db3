package redemption

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// NumericLen is the length of a numeric code: 11 random digits and a Luhn check digit.
const NumericLen = 12

// newNumeric returns a random numeric code with its check digit.
func newNumeric() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000_000))
	if err != nil {
		return "", err
	}
	body := n.String()
	body = strings.Repeat("0", NumericLen-1-len(body)) + body
	return body + string(rune('0'+luhn(body))), nil
}

// luhn returns the Luhn check digit for the digits of body.
func luhn(body string) int {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// ParseNumeric normalises a typed code (spaces and dashes allowed) and checks its
// length and check digit; a mistyped digit or swapped neighbours give ErrCodeInvalid.
func ParseNumeric(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
		default:
			return "", ErrCodeInvalid
		}
	}
	code := b.String()
	if len(code) != NumericLen || int(code[NumericLen-1]-'0') != luhn(code[:NumericLen-1]) {
		return "", ErrCodeInvalid
	}
	return code, nil
}

// looksNumeric reports whether s is meant as a typed numeric code rather than a token.
func looksNumeric(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == ' ' || r == '-') {
			return false
		}
	}
	return s != ""
}
