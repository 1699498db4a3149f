package server

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestComplexityCountsPageSizes: a field with first or k counts its
// selection that many times, with variables and defaults, through
// fragments; introspection counts once.
func TestComplexityCountsPageSizes(t *testing.T) {
	sch := gqlparser.MustLoadSchema(&ast.Source{Name: "s.graphqls", Input: `
type Query {
  search(text: String!, first: Int = 10): [E!]!
  paths(k: Int!): [P!]!
  entity(id: ID!): E
}
type E { id: ID! name: String! neighbours(first: Int): [E!]! }
type P { nodes: [E!]! }
`})
	for _, c := range []struct {
		query string
		vars  map[string]any
		want  float64
	}{
		{`{ entity(id: "x") { id name } }`, nil, 3},
		{`{ search(text: "x") { id name } }`, nil, 1 + 10*2},       // the default first
		{`{ search(text: "x", first: 100) { id } }`, nil, 1 + 100}, // a literal
		{`query($n: Int) { search(text: "x", first: $n) { id } }`, map[string]any{"n": int64(1000)}, 1 + 1000},
		{`{ search(text: "x", first: 1000) { neighbours(first: 1000) { id } } }`, nil, 1 + 1000*(1+1000)},
		{`{ paths(k: 5) { nodes { id name } } }`, nil, 1 + 5*(1+2)},
		{`{ entity(id: "x") { neighbours { id } } }`, nil, 1 + 1 + 1}, // no first: counted once
		{`{ search(text: "x", first: 3) { ...F } } fragment F on E { id name }`, nil, 1 + 3*2},
		{`{ __schema { types { name fields { name } } } }`, nil, 1},
	} {
		doc, errs := gqlparser.LoadQuery(sch, c.query)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", c.query, errs)
		}
		w := costWalk{doc: doc, vars: c.vars, open: map[string]bool{}}
		if got := w.cost(doc.Operations[0].SelectionSet); got != c.want {
			t.Errorf("%s: cost %v, want %v", c.query, got, c.want)
		}
	}
}
