// Package scalar holds the marshalling of Atrium's custom GraphQL scalars.
package scalar

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

// MarshalDecimal writes a decimal as a JSON string, so no client parses money as a float.
func MarshalDecimal(d decimal.Decimal) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		buf := make([]byte, 0, 24)
		buf = append(buf, '"')
		buf = appendDecimal(buf, d)
		_, _ = w.Write(append(buf, '"'))
	})
}

// appendDecimal appends d as d.String() writes it (no exponent, no trailing zeros
// after the point: "12.5", "-0.05", "10"). Money and points (numeric(18,2), at most 15
// digits) take a path without big.Int text; anything else goes through String. A
// member home writes about a hundred of these.
func appendDecimal(buf []byte, d decimal.Decimal) []byte {
	exp := d.Exponent()
	if exp > 0 || exp < -18 || d.NumDigits() > 15 {
		return append(buf, d.String()...)
	}
	c := d.CoefficientInt64()
	if c < 0 {
		buf = append(buf, '-')
		c = -c
	}
	var tmp [40]byte
	digits := strconv.AppendInt(tmp[:0], c, 10)
	scale := int(-exp)
	if scale == 0 {
		return append(buf, digits...)
	}
	for len(digits) <= scale { // at least one digit before the point
		digits = append([]byte{'0'}, digits...)
	}
	point := len(digits) - scale
	frac := digits[point:]
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	buf = append(buf, digits[:point]...)
	if len(frac) > 0 {
		buf = append(append(buf, '.'), frac...)
	}
	return buf
}

// Bounds of a Decimal argument: money and points never need more.
const (
	maxDecimalChars = 40
	maxDecimalExp   = 30
)

// errDecimal is a Decimal argument that is not one (BAD_USER_INPUT; the value is not
// echoed, so a hostile one neither fills the response nor the logs).
var errDecimal = errs.ErrInvalid.Msgf("a Decimal is a string like \"12.50\" of at most %d characters", maxDecimalChars)

// UnmarshalDecimal reads a decimal from a string (preferred) or a JSON number.
func UnmarshalDecimal(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case string:
		return parseDecimal(x)
	case json.Number:
		return parseDecimal(x.String())
	case int:
		return decimal.NewFromInt(int64(x)), nil
	case int64:
		return decimal.NewFromInt(x), nil
	}
	return decimal.Decimal{}, errDecimal
}

// parseDecimal parses s within the bounds.
func parseDecimal(s string) (decimal.Decimal, error) {
	if len(s) > maxDecimalChars {
		return decimal.Decimal{}, errDecimal
	}
	d, err := decimal.NewFromString(s)
	if err != nil || d.Exponent() > maxDecimalExp || d.Exponent() < -maxDecimalExp {
		return decimal.Decimal{}, errDecimal
	}
	return d, nil
}
