package gqlserial

import (
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// Object writes a resolved object's fields as gqlgen's FieldSet does — each alias
// once, in the order collected — without what FieldSet.MarshalGQL allocates per
// object: a copy of every collected field (a pointer to its range variable escapes
// through an iterator) and a map of the aliases written. The generated object
// marshallers return it in place of the FieldSet once Dispatch has filled its values.
func Object(fields []graphql.CollectedField, values []graphql.Marshaler) graphql.Marshaler {
	return &object{fields: fields, values: values}
}

type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

var (
	openBrace  = []byte{'{'}
	closeBrace = []byte{'}'}
	comma      = []byte{','}
	quote      = []byte{'"'}
	quoteColon = []byte{'"', ':'}
)

// MarshalGQL implements graphql.Marshaler.
func (o *object) MarshalGQL(w io.Writer) {
	_, _ = w.Write(openBrace)
	first := true
	var seen map[string]bool // for a long selection; a short one is searched
	if len(o.fields) > maxSearched {
		seen = make(map[string]bool, len(o.fields))
	}
	for i := range o.fields {
		alias := o.fields[i].Alias
		if seen != nil && seen[alias] || seen == nil && written(o.fields[:i], alias) {
			continue
		}
		if seen != nil {
			seen[alias] = true
		}
		if !first {
			_, _ = w.Write(comma)
		}
		first = false
		writeName(w, alias)
		o.values[i].MarshalGQL(w)
	}
	_, _ = w.Write(closeBrace)
}

// maxSearched is the most fields whose aliases are searched rather than mapped.
const maxSearched = 32

// written: an earlier field has the alias (graphql.CollectFields merges fields of one
// alias, so this is a guard, over the few fields of one object).
func written(before []graphql.CollectedField, alias string) bool {
	for i := range before {
		if before[i].Alias == alias {
			return true
		}
	}
	return false
}

// writeName writes "alias": — a GraphQL name needs no escaping; anything else is
// quoted as a JSON string.
func writeName(w io.Writer, alias string) {
	if !plainName(alias) {
		graphql.MarshalString(alias).MarshalGQL(w)
		_, _ = w.Write(quoteColon[1:])
		return
	}
	_, _ = w.Write(quote)
	_, _ = io.WriteString(w, alias)
	_, _ = w.Write(quoteColon)
}

func plainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
