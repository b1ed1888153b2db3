// Package scalar holds the marshalling of Atrium's custom GraphQL scalars.
package scalar

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopspring/decimal"
)

// MarshalDecimal writes a decimal as a JSON string, so no client parses money as a float.
func MarshalDecimal(d decimal.Decimal) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(d.String()))
	})
}

// UnmarshalDecimal reads a decimal from a string (preferred) or a JSON number.
func UnmarshalDecimal(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case string:
		d, err := decimal.NewFromString(x)
		if err != nil {
			return decimal.Decimal{}, fmt.Errorf("%q is not a decimal number", x)
		}
		return d, nil
	case json.Number:
		return decimal.NewFromString(x.String())
	case int:
		return decimal.NewFromInt(int64(x)), nil
	case int64:
		return decimal.NewFromInt(x), nil
	}
	return decimal.Decimal{}, fmt.Errorf("a Decimal must be a string like \"12.50\", got %T", v)
}
