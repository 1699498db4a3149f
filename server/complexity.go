package server

import (
	"context"
	"encoding/json"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/coopgraph/coopgraph"
)

// complexityLimit refuses an operation that asks for more than max values:
// its complexity is the number of fields it would resolve, where a field
// with a page size (first, k) counts its selection that many times:
//
//	cost(field) = 1 + n · cost(selection),  n = first or k (its default when not given), else 1
//
// gqlgen's own count adds each field once, whatever first says, so
// `first: 1000` nested three levels deep (10⁹ values) would pass a limit of
// a few thousand. Arguments are read with their variables and defaults; a
// fragment costs what its fields cost where it is spread.
type complexityLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = complexityLimit{}

func (complexityLimit) ExtensionName() string                          { return "ComplexityLimit" }
func (complexityLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (l complexityLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	w := costWalk{doc: opCtx.Doc, vars: opCtx.Variables, open: map[string]bool{}}
	if c := w.cost(opCtx.Operation.SelectionSet); c > float64(l.max) {
		err := gqlerror.Errorf("the query asks for about %.0f values, more than the limit of %d: lower first (or k), or ask for fewer nested fields", c, l.max)
		err.Extensions = map[string]any{"code": coopgraph.ELIMIT}
		return err
	}
	return nil
}

// pageArguments are the arguments that say how many items a list field
// returns.
var pageArguments = []string{"first", "k"}

// costWalk computes an operation's cost; float64 so that absurd page sizes
// saturate rather than overflow.
type costWalk struct {
	doc  *ast.QueryDocument
	vars map[string]any
	open map[string]bool // fragments being walked: a cycle (refused by validation anyway) costs nothing
}

func (w costWalk) cost(set ast.SelectionSet) float64 {
	total := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				total++ // bounded by the schema
				continue
			}
			total += 1 + w.pageSize(s)*w.cost(s.SelectionSet)
		case *ast.InlineFragment:
			total += w.cost(s.SelectionSet)
		case *ast.FragmentSpread:
			f := s.Definition
			if f == nil && w.doc != nil {
				f = w.doc.Fragments.ForName(s.Name)
			}
			if f == nil || w.open[s.Name] {
				continue
			}
			w.open[s.Name] = true
			total += w.cost(f.SelectionSet)
			delete(w.open, s.Name)
		}
	}
	return min(total, math.MaxFloat64/2)
}

// pageSize is the value of the field's first or k argument, with its
// default; 1 when it has none (or it is not a positive number: the
// resolver refuses that itself).
func (w costWalk) pageSize(f *ast.Field) float64 {
	if f.Definition == nil {
		return 1
	}
	args := f.ArgumentMap(w.vars)
	for _, name := range pageArguments {
		switch v := args[name].(type) {
		case int64:
			if v > 0 {
				return float64(v)
			}
		case int:
			if v > 0 {
				return float64(v)
			}
		case float64:
			if v > 0 {
				return v
			}
		case json.Number:
			if x, err := v.Float64(); err == nil && x > 0 {
				return x
			}
		}
	}
	return 1
}
