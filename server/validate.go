package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/atrium-mall/atrium/auth"
)

// EarlyValidation parses and validates a document before gqlgen does, and stops at the
// first error past Max: gqlgen's validation walks the whole document and builds every
// error (2,000 unknown fields took 18 times a `{ __typename }` only to answer 20 of
// them). A document that passes goes into the query cache gqlgen reads, so it is parsed
// and validated once; a document with at most Max errors is left to gqlgen, which
// answers its errors as usual (the walk is bounded by those few errors and the token
// limit); past Max the request is answered with one TOO_MANY_ERRORS error carrying the
// first one's message. A caller without a viewer reads at most AnonymousTokens of a
// document that is not already known (cached): what anonymous callers run (logins,
// public reads, GraphiQL's introspection in dev: under 200 tokens) is small, so their
// floods stop early. It runs after APQ and trusted documents have supplied the query.
type EarlyValidation struct {
	Schema          *ast.Schema
	Cache           graphql.Cache[*ast.QueryDocument]
	MaxTokens       int
	AnonymousTokens int
	Max             int
	Dev             bool // the same rules as gqlgen's: suggestions only in dev
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = EarlyValidation{}

// ExtensionName implements graphql.HandlerExtension.
func (EarlyValidation) ExtensionName() string { return "EarlyValidation" }

// Validate implements graphql.HandlerExtension.
func (EarlyValidation) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (v EarlyValidation) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil
	}
	if _, ok := v.Cache.Get(ctx, p.Query); ok {
		return nil
	}
	limit := v.MaxTokens
	if auth.ViewerFrom(ctx) == nil {
		limit = min(limit, v.AnonymousTokens)
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, limit)
	if err != nil {
		if gqlErr, ok := err.(*gqlerror.Error); ok {
			errcode.Set(gqlErr, errcode.ParseFailed)
			return gqlErr
		}
		return nil
	}
	if len(doc.Operations) == 0 {
		return nil // gqlgen says "no operation provided"
	}
	found, stopped := validateUpTo(v.Schema, doc, v.ruleSet(), v.Max)
	switch {
	case stopped:
		return tooManyErrors(found[0], v.Max)
	case len(found) == 0:
		v.Cache.Add(ctx, p.Query, doc)
	}
	return nil
}

// ruleSet is gqlgen's rule set as its executor builds it (SetDisableSuggestion).
func (v EarlyValidation) ruleSet() *rules.Rules {
	r := rules.NewDefaultRules()
	if !v.Dev {
		r.RemoveRule(rules.FieldsOnCorrectTypeRule.Name)
		r.AddRule(rules.FieldsOnCorrectTypeRuleWithoutSuggestions.Name, rules.FieldsOnCorrectTypeRuleWithoutSuggestions.RuleFunc)
		r.RemoveRule(rules.ScalarLeafsRule.Name)
		r.AddRule(rules.ScalarLeafsRuleWithoutSuggestions.Name, rules.ScalarLeafsRuleWithoutSuggestions.RuleFunc)
	}
	return r
}

// stopWalk is what a capped rule panics with to abandon the walk; validateUpTo recovers
// it and nothing else.
type stopWalk struct{}

// validateUpTo validates doc with the rules, each rule's errors counted together; the
// walk is abandoned when the count passes max (stopped is then true).
func validateUpTo(schema *ast.Schema, doc *ast.QueryDocument, set *rules.Rules, max int) (found gqlerror.List, stopped bool) {
	capped := rules.NewRules()
	for name, rule := range set.GetInner() {
		capped.AddRule(name, func(observers *core.Events, addError core.AddErrFunc) {
			rule(observers, func(options ...core.ErrorOption) {
				if len(found) >= max {
					panic(stopWalk{})
				}
				err := &gqlerror.Error{Rule: name}
				for _, o := range options {
					o(err)
				}
				found = append(found, err)
			})
		})
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopWalk); !ok {
				panic(r)
			}
			stopped = true
		}
	}()
	validator.ValidateWithRules(schema, doc, capped) // its own list stays empty: errors come here
	return found, false
}

func tooManyErrors(first *gqlerror.Error, max int) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf("validation stopped after %d errors; the first: %s", max, first.Message),
		Locations:  first.Locations,
		Extensions: map[string]any{"code": "TOO_MANY_ERRORS"},
	}
}
