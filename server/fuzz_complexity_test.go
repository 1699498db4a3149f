package server

import (
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// expandedSize is the number of selections of set once every fragment is
// written out where it is spread (memoised, saturating): the work of the
// plain walk.
func expandedSize(doc *ast.QueryDocument, set ast.SelectionSet, memo map[string]float64) float64 {
	n := 0.0
	for _, sel := range set {
		n++
		switch s := sel.(type) {
		case *ast.Field:
			n += expandedSize(doc, s.SelectionSet, memo)
		case *ast.InlineFragment:
			n += expandedSize(doc, s.SelectionSet, memo)
		case *ast.FragmentSpread:
			c, ok := memo[s.Name]
			if !ok {
				memo[s.Name] = 0 // a cycle adds nothing
				if f := doc.Fragments.ForName(s.Name); f != nil {
					c = expandedSize(doc, f.SelectionSet, memo)
				}
				memo[s.Name] = c
			}
			n += c
		}
	}
	return min(n, maxCost)
}

// FuzzComplexity gives the cost estimator arbitrary documents that pass
// the size limits (as the server does): it must never panic, must finish
// fast, must count at least one per field, and on documents small enough
// for it, the memoised cost must equal the plain count's. Documents that
// do not validate are walked too (parsed only), as a defence.
func FuzzComplexity(f *testing.F) {
	for _, seed := range []string{
		`{ entity(id: "malopolskie") { id name neighbours { id relations(first: 3) { id from { id } } } } }`,
		`query($n: Int) { search(text: "x", first: $n) { ...E } } fragment E on Entity { id name aliases }`,
		`{ a: centrality(measure: BETWEENNESS) { score } b: centrality(measure: DEGREE) { score } ... on Query { communities { count communities { members { id } } } } }`,
		`{ shortestPath(from: "a", to: "b", maxHops: 3) { nodes { id } hops { text } } kShortestPaths(from: "a", to: "b", k: 4) { relations { id } } }`,
		`query($ids: [ID!]!) { subgraph(ids: $ids) { entities { id } relations { id } } network(max: 10) { entities { id } } }`,
		`{ components { components { members { id } } } projection(kinds: ["Region"]) { links { a { id } contexts { id } } } }`,
		`{ __schema { types { name fields { name type { name ofType { name } } } } } }`,
		`{ __type(name: "Entity") { fields { args { name type { ...T } } type { ...T } } } } fragment T on __Type { kind name ofType { kind name ofType { kind } } }`,
		`{ __schema { queryType { name } directives { name locations args { name } } } __typename }`,
		exponentialFragments(6),
		`query { ...A } fragment A on Query { ...B ...B overview { entities } } fragment B on Query { search(text: "x") { id } }`,
		`{ ...A } fragment A on Query { ...A }`,
		`{ a: shortestPath(from: "a", to: "b", maxHops: 2) { ...P } b: shortestPath(from: "a", to: "b", maxHops: 5) { ...P } } fragment P on Path { nodes { id } }`,
		standardIntrospectionQuery,
	} {
		f.Add(seed, int64(5))
	}
	sch := servedSchema()
	limits := sizeLimit{maxBytes: MaxQueryBytes, maxTokens: MaxTokens, maxSelections: MaxSelections, maxRepeats: MaxRepeats}
	f.Fuzz(func(t *testing.T, q string, n int64) {
		if err := limits.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: q}); err != nil {
			return
		}
		doc, errs := gqlparser.LoadQueryWithRules(sch, q, nil)
		if len(errs) > 0 {
			// Not valid: walk what parses, without definitions.
			pdoc, err := parser.ParseQuery(&ast.Source{Input: q})
			if err != nil {
				return
			}
			doc = pdoc
		}
		vars := map[string]any{"n": n, "first": n, "k": n, "max": n, "ids": []any{"a", "b"}}
		for _, op := range doc.Operations {
			start := time.Now()
			w := newCostWalk(doc, vars, sch)
			c := w.cost(op.SelectionSet, listScope{})
			e := w.expensive(op.SelectionSet)
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("the walk took %s on %q", took, q)
			}
			if !(c >= 0 && c <= maxCost) || !(e >= 0) {
				t.Fatalf("cost %v, analytics %v for %q", c, e, q)
			}
			size := expandedSize(doc, op.SelectionSet, map[string]float64{})
			if size <= 2000 && c <= 100000 {
				p := newPlainCostWalk(doc, vars, sch).cost(op.SelectionSet, listScope{})
				if p != c {
					t.Fatalf("memoised cost %v, plain %v for %q", c, p, q)
				}
			}
		}
	})
}
