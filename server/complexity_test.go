package server

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/schema"
)

// servedSchema is the schema coopgraph serves.
func servedSchema() *ast.Schema {
	return schema.NewExecutableSchema(schema.Config{Resolvers: &schema.Resolver{}}).Schema()
}

func costOf(t *testing.T, sch *ast.Schema, query string, vars map[string]any) float64 {
	t.Helper()
	doc, errs := gqlparser.LoadQueryWithRules(sch, query, nil)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", query, errs)
	}
	return newCostWalk(doc, vars, sch).cost(doc.Operations[0].SelectionSet, listScope{})
}

// TestComplexityCountsPageSizes: a field with first or k counts its
// selection that many times, with variables and defaults, through
// fragments; a list without them counts a small estimate.
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
		{`{ paths(k: 5) { nodes { id name } } }`, nil, 1 + 5*(1+fewList*2)},
		{`{ entity(id: "x") { neighbours { id } } }`, nil, 1 + 1 + fewList}, // no first: an estimate
		{`{ search(text: "x", first: 3) { ...F } } fragment F on E { id name }`, nil, 1 + 3*2},
	} {
		if got := costOf(t, sch, c.query, c.vars); got != c.want {
			t.Errorf("%s: cost %v, want %v", c.query, got, c.want)
		}
	}
}

// TestComplexitySizesTheServedLists: lists without first count the most
// their resolver returns (schema/*.graphqls), and the bounds a field sets
// reach the lists below it.
func TestComplexitySizesTheServedLists(t *testing.T) {
	sch := servedSchema()
	for _, c := range []struct {
		query string
		vars  map[string]any
		want  float64
	}{
		// Refused above 1000 without first: counts 1000.
		{`{ entity(id: "x") { neighbours { id } } }`, nil, 1 + 1 + 1000},
		{`{ entity(id: "x") { neighbours(first: 5) { id } } }`, nil, 1 + 1 + 5},
		// network(max): max entities, at most 10 relations each.
		{`{ network(max: 300) { entities { id } relations { id } } }`, nil, 1 + (1 + 300) + (1 + 3000)},
		{`{ network { entities { id } } }`, nil, 1 + (1 + 5000)}, // max's default
		// subgraph: the ids given, and its relations cap.
		{`query($ids: [ID!]!) { subgraph(ids: $ids) { entities { id } relations { id } } }`,
			map[string]any{"ids": []any{"a", "b", "c"}}, 1 + (1 + 3) + (1 + maxSubgraph)},
		{`query($ids: [ID!]!) { scores(measure: DEGREE, ids: $ids) { id rank } }`,
			map[string]any{"ids": []any{"a", "b"}}, 1 + 2*2},
		// A path: maxHops+1 nodes, maxHops relations; 12 when not given.
		{`{ shortestPath(from: "a", to: "b", maxHops: 3) { nodes { id } relations { id } } }`, nil, 1 + (1 + 4) + (1 + 3)},
		{`{ shortestPath(from: "a", to: "b") { hops { text } } }`, nil, 1 + (1 + pathHops)},
		{`{ kShortestPaths(from: "a", to: "b", k: 5, maxHops: 2) { nodes { id } } }`, nil, 1 + 5*(1+3)},
		// The subgraph of shortest paths: maxHops+1 layers of at most
		// MaxSubgraphEntities entities, at most MaxSubgraphLinks links of a
		// few relations.
		{`{ shortestPathSubgraph(from: "a", to: "b", maxHops: 2) { layers { entities { id } } links { relations { id } } } }`, nil,
			1 + (1 + 3*(1+schema.MaxSubgraphEntities)) + (1 + schema.MaxSubgraphLinks*(1+fewList))},
		// A connection's first reaches its edges.
		{`{ entity(id: "x") { relationsConnection(first: 7) { totalCount edges { cursor node { id } } } } }`, nil, 1 + 1 + 1 + (1 + 7*(1+2))},
		{`{ searchConnection(text: "x") { edges { cursor } } }`, nil, 1 + (1 + 20)}, // first's default
		{`{ components(first: 3) { count components { size members(first: 2) { id } } } }`, nil, 1 + 1 + (1 + 3*(1+1+2))},
		{`{ projection(kinds: ["Organisation"]) { links { weight } } }`, nil, 1 + (1 + 100)},
		// regionPartners: first (20 by default) partners, each with its
		// projectList's first (20 by default) and a few programmes.
		{`{ regionPartners(region: "x") { region { id } projects projectList { id } programmes { id } } }`, nil, 1 + 20*((1+1)+1+(1+20)+(1+10))},
		{`{ regionPartners(region: "x", first: 3) { projectList(first: 2) { id } } }`, nil, 1 + 3*(1+2)},
		// regionPartnersPage: first partners below it; its programmes at most 1000.
		{`{ regionPartnersPage(region: "x", first: 3) { totalCount partners { projects } programmes { id } } }`, nil, 1 + 1 + (1 + 3*1) + (1 + 1000*1)},
		{`{ overview { kinds { kind } relationTypes { type } } }`, nil, 1 + (1 + float64(len(coopgraph.Kinds))) + (1 + float64(len(coopgraph.RelationTypes)))},
	} {
		if got := costOf(t, sch, c.query, c.vars); got != c.want {
			t.Errorf("%s: cost %v, want %v", c.query, got, c.want)
		}
	}
}

// TestComplexityCountsIntrospectionByItsValues: introspection costs the
// values it returns for the served schema, not 1.
func TestComplexityCountsIntrospectionByItsValues(t *testing.T) {
	sch := servedSchema()
	// PageInfo has 4 fields; Path 6, of which nodes is [Entity!]! (three
	// types deep: NON_NULL, LIST, NON_NULL, then Entity without ofType).
	for _, c := range []struct {
		query string
		want  float64
	}{
		{`{ __type(name: "PageInfo") { name fields { name } } }`, 1 + 1 + (1 + 4)},
		{`{ __type(name: "PageInfo") { fields { name description } } }`, 1 + (1 + 4*2)},
		{`{ __type(name: "Path") { fields { name } } }`, 1 + (1 + 6)},
		{`{ __type(name: "HopDirection") { enumValues { name } } }`, 1 + (1 + 2)},
		{`{ __type(name: "Nope") { name } }`, 1},
		{`{ __type(name: "Path") { ofType { name } } }`, 1 + 1}, // a named type's ofType is null
	} {
		if got := costOf(t, sch, c.query, nil); got != c.want {
			t.Errorf("%s: cost %v, want %v", c.query, got, c.want)
		}
	}
	// The ofType chain of a field's type follows its wrappers.
	q := `{ __type(name: "Path") { fields { name type { kind ofType { kind ofType { kind ofType { kind name } } } } } } }`
	doc, errs := gqlparser.LoadQueryWithRules(sch, q, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := 1.0 + 1 // __type, fields
	for _, f := range sch.Types["Path"].Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		want += 1 + 1 + 1 // name, type, type.kind
		ty, level := f.Type, 1
		for level <= 3 {
			want++ // ofType
			switch {
			case ty.NonNull:
				c := *ty
				c.NonNull = false
				ty = &c
			case ty.Elem != nil:
				ty = ty.Elem
			default:
				ty = nil
			}
			if ty == nil {
				break
			}
			want++ // kind
			if level == 3 {
				want++ // name
			}
			level++
		}
	}
	if got := newCostWalk(doc, nil, sch).cost(doc.Operations[0].SelectionSet, listScope{}); got != want {
		t.Errorf("%s: cost %v, want %v", q, got, want)
	}

	// Aliases of __schema each count the whole schema.
	one := costOf(t, sch, `{ __schema { types { fields { type { fields { name } } } } } }`, nil)
	if one < 100 {
		t.Errorf("__schema { types { fields … } } costs %v: the schema's types and fields are not counted", one)
	}
	many := costOf(t, sch, `{ a: __schema { types { fields { type { fields { name } } } } } b: __schema { types { fields { type { fields { name } } } } } }`, nil)
	if many != 2*one {
		t.Errorf("two aliases of __schema cost %v, one %v", many, one)
	}
	t.Logf("__schema { types { fields { type { fields { name } } } } } costs %.0f values", one)
}

// TestStandardIntrospectionQueryPasses: GraphiQL's introspection query
// costs far less than the default limit.
func TestStandardIntrospectionQueryPasses(t *testing.T) {
	c := costOf(t, servedSchema(), standardIntrospectionQuery, nil)
	t.Logf("GraphiQL's introspection query costs %.0f values (limit %d)", c, MaxComplexity)
	if c > MaxComplexity/4 {
		t.Errorf("GraphiQL's introspection query costs %.0f, too near the default limit of %d", c, MaxComplexity)
	}
	if c < 1000 {
		t.Errorf("GraphiQL's introspection query costs only %.0f: the schema's values are not counted", c)
	}
}

// exponentialFragments is fragment F0 spreading F1 twice, F1 spreading F2
// twice, …, n deep: 2ⁿ __typename once spread.
func exponentialFragments(n int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { __typename }\n", n)
	return b.String()
}

// TestComplexityLeavesOutSkippedSelections: a field, inline fragment or
// spread that @skip(if: true) or @include(if: false) leaves out costs
// nothing, by a literal or a variable; one whose condition is not known
// counts as included.
func TestComplexityLeavesOutSkippedSelections(t *testing.T) {
	sch := gqlparser.MustLoadSchema(&ast.Source{Name: "s.graphqls", Input: `
type Query { search(text: String!, first: Int = 10): [E!]! }
type E { id: ID! neighbours(first: Int): [E!]! }
`})
	const page = `query($with: Boolean!) { search(text: "x", first: 1000) { id neighbours(first: 1000) @include(if: $with) { id } } }`
	const whole, bare = 1 + 1000*(1+1+1000), 1 + 1000*1
	for _, c := range []struct {
		query string
		vars  map[string]any
		want  float64
	}{
		{page, map[string]any{"with": false}, bare},
		{page, map[string]any{"with": true}, whole},
		{page, nil, whole}, // not known: included
		{`{ search(text: "x", first: 1000) { id neighbours(first: 1000) @skip(if: true) { id } } }`, nil, bare},
		{`{ search(text: "x", first: 1000) { id neighbours(first: 1000) @skip(if: false) { id } } }`, nil, whole},
		{`{ search(text: "x", first: 1000) { id ... @include(if: false) { neighbours(first: 1000) { id } } } }`, nil, bare},
		{`{ search(text: "x", first: 1000) { id ...N @skip(if: true) } } fragment N on E { neighbours(first: 1000) { id } }`, nil, bare},
	} {
		if got := costOf(t, sch, c.query, c.vars); got != c.want {
			t.Errorf("%s %v: cost %v, want %v", c.query, c.vars, got, c.want)
		}
	}
}

// TestComplexityOfFragmentsIsMemoised: fragments spreading the next twice,
// 28 deep, cost 2²⁸ values, computed in a walk per fragment.
func TestComplexityOfFragmentsIsMemoised(t *testing.T) {
	sch := servedSchema()
	q := exponentialFragments(28)
	doc, errs := gqlparser.LoadQueryWithRules(sch, q, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	start := time.Now()
	got := newCostWalk(doc, nil, sch).cost(doc.Operations[0].SelectionSet, listScope{})
	took := time.Since(start)
	t.Logf("%d bytes, 28 levels of fragments: cost %.0f in %s", len(q), got, took)
	if got != 1<<28 {
		t.Errorf("cost %v, want 2²⁸", got)
	}
	if took > 2*time.Second {
		t.Errorf("the walk took %s", took)
	}
	// Small enough for the plain walk: both agree.
	small := exponentialFragments(8)
	doc, _ = gqlparser.LoadQueryWithRules(sch, small, nil)
	m := newCostWalk(doc, nil, sch).cost(doc.Operations[0].SelectionSet, listScope{})
	p := newPlainCostWalk(doc, nil, sch).cost(doc.Operations[0].SelectionSet, listScope{})
	if m != p || m != 1<<8 {
		t.Errorf("8 levels: memoised %v, plain %v, want 256", m, p)
	}
}

// TestExpensiveFieldsAreCountedPerAlias: each alias of an analytics field
// counts, through fragments; DEGREE and reads do not.
func TestExpensiveFieldsAreCountedPerAlias(t *testing.T) {
	sch := servedSchema()
	for _, c := range []struct {
		query string
		vars  map[string]any
		want  float64
	}{
		{`{ centrality(measure: DEGREE) { score } search(text: "x") { id } }`, nil, 0},
		{`{ a: centrality(measure: BETWEENNESS) { score } b: centrality(measure: BETWEENNESS) { score } }`, nil, 2},
		{`query($m: CentralityMeasure!) { centrality(measure: $m) { score } }`, map[string]any{"m": "PAGERANK"}, 1},
		{`query($m: CentralityMeasure!) { centrality(measure: $m) { score } }`, map[string]any{"m": "DEGREE"}, 0},
		{`{ centrality(measure: DEGREE, projection: {kinds: ["Organisation"]}) { score } }`, nil, 1},
		{`{ ...A ...A } fragment A on Query { communities { count } projection(kinds: ["Region"]) { totalCount } }`, nil, 4},
		{`{ ... on Query { communities { count } } }`, nil, 1},
		{`{ whatIfRemoved(id: "x") { disconnectedPairs } kShortestPaths(from: "a", to: "b", k: 2) { length } allShortestPaths(from: "a", to: "b") { length } }`, nil, 2},
		{`{ shortestPath(from: "a", to: "b") { length } partners(id: "x") { count } components { count } bridges { a { id } } articulationPoints { id } }`, nil, 0},
	} {
		doc, errs := gqlparser.LoadQueryWithRules(sch, c.query, nil)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", c.query, errs)
		}
		if got := newCostWalk(doc, c.vars, sch).expensive(doc.Operations[0].SelectionSet); got != c.want {
			t.Errorf("%s: %v analytics fields, want %v", c.query, got, c.want)
		}
	}
}

// standardIntrospectionQuery is graphql-js's getIntrospectionQuery with
// descriptions, specifiedByURL, directiveIsRepeatable and
// schemaDescription, as GraphiQL sends it.
const standardIntrospectionQuery = `query IntrospectionQuery {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name
      ofType { kind name ofType { kind name } } } } } } } } } }
}`

// webDocuments reads the GraphQL documents the page (web/page/src/api.js,
// with its field lists substituted) and the playground's examples
// (web/playground/src/examples.js) send, by operation name.
func webDocuments(t *testing.T) map[string]string {
	t.Helper()
	docs := map[string]string{}
	api, err := os.ReadFile("../web/page/src/api.js")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	for _, m := range regexp.MustCompile("(?s)const (\\w+) = (?:'([^']*)'|`([^`]*)`);").FindAllStringSubmatch(string(api), -1) {
		consts[m[1]] = m[2] + m[3]
	}
	expand := func(s string) string {
		for range 3 {
			for k, v := range consts {
				s = strings.ReplaceAll(s, "${"+k+"}", v)
			}
		}
		return s
	}
	for _, m := range regexp.MustCompile("(?s)ask\\(\\s*'(\\w+)',\\s*`([^`]*)`").FindAllStringSubmatch(string(api), -1) {
		docs[m[1]] = expand(m[2])
	}
	ex, err := os.ReadFile("../web/playground/src/examples.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?s)query: `([^`]*)`").FindAllStringSubmatch(string(ex), -1) {
		name := regexp.MustCompile(`query (\w+)`).FindStringSubmatch(m[1])
		docs["playground "+name[1]] = m[1]
	}
	if len(docs) < 15 {
		t.Fatalf("found only %d documents in web/: %v", len(docs), slices.Collect(maps.Keys(docs)))
	}
	return docs
}

// TestPageAndPlaygroundDocumentsPass runs every document the page and the
// playground send, with the largest variables the page sends (network of
// 3000, 5000 ids, first 200, k 20), through the checks of the default
// limits: none may refuse them.
func TestPageAndPlaygroundDocumentsPass(t *testing.T) {
	sch := servedSchema()
	ids := make([]any, 5000)
	for i := range ids {
		ids[i] = fmt.Sprint("e", i)
	}
	vars := map[string]any{"max": int64(3000), "ids": ids, "first": int64(200), "k": int64(20), "maxHops": int64(12),
		"withK": true, "measure": "BETWEENNESS", "id": "x", "text": "x", "from": "a", "to": "b"}
	docs := webDocuments(t)
	names := slices.Sorted(maps.Keys(docs))
	for _, name := range names {
		q := docs[name]
		size := sizeLimit{maxBytes: MaxQueryBytes, maxTokens: MaxTokens, maxSelections: MaxSelections, maxRepeats: MaxRepeats}
		if err := size.MutateOperationParameters(t.Context(), &graphql.RawParams{Query: q}); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		doc, errs := gqlparser.LoadQueryWithRules(sch, q, nil)
		if len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
			continue
		}
		op := doc.Operations[0]
		w := newCostWalk(doc, vars, sch)
		c, n := w.cost(op.SelectionSet, listScope{}), w.expensive(op.SelectionSet)
		d := depthWalk{doc: doc, memo: map[string]int{}, open: map[string]bool{}}.depth(op.SelectionSet)
		t.Logf("%-28s %6d bytes %4d selections  cost %7.0f  analytics %.0f  depth %d", name, len(q), countSelections(doc), c, n, d)
		if c > MaxComplexity || n > MaxAnalytics || d > MaxDepth {
			t.Errorf("%s: cost %.0f (limit %d), analytics %.0f (limit %d), depth %d (limit %d)", name, c, MaxComplexity, n, MaxAnalytics, d, MaxDepth)
		}
	}
	// The partner regions' map asks for 1000 partner countries, without
	// their projects (@include(if: false)).
	q, ok := docs["PageRegionPartners"]
	if !ok {
		t.Fatal("the page sends no PageRegionPartners")
	}
	doc, errs := gqlparser.LoadQueryWithRules(sch, q, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	mapVars := map[string]any{"region": "malopolskie", "level": int64(0), "first": int64(1000), "withProjects": false}
	if c := newCostWalk(doc, mapVars, sch).cost(doc.Operations[0].SelectionSet, listScope{}); c > MaxComplexity {
		t.Errorf("the partner regions' map: cost %.0f (limit %d)", c, MaxComplexity)
	}
}

// TestKnownOperationNamesHoldTheWebsNames: every operation the page and
// the playground send keeps its /metrics series however many names
// clients send.
func TestKnownOperationNamesHoldTheWebsNames(t *testing.T) {
	for name, q := range webDocuments(t) {
		op := regexp.MustCompile(`query (\w+)`).FindStringSubmatch(q)
		if len(op) < 2 || !slices.Contains(KnownOperationNames, op[1]) {
			t.Errorf("%s: its operation name is not in KnownOperationNames", name)
		}
	}
}
