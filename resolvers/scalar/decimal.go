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
		_, _ = io.WriteString(w, strconv.Quote(d.String()))
	})
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
