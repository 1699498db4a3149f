package server

import (
	"context"
	"encoding/json"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/graph"
	"github.com/coopgraph/coopgraph/schema"
)

// complexityLimit refuses, before anything runs, an operation that asks for
// more than max values or for more than maxExpensive analytics
// computations.
//
// Its complexity is an upper estimate of the values its answer holds:
//
//	cost(field) = 1 + n · cost(selection)
//
// where n is 1 for a field that is no list, first (or k) when given or
// defaulted, and otherwise the most the resolver returns (listSize: 1000
// for the lists refused above 1000 without first, max or 10·max for
// network, the ids given for subgraph and scores, maxHops+1 for a path…).
// gqlgen's own count adds each field once, whatever first says, so
// `first: 1000` nested three levels deep (10⁹ values) would pass a limit of
// a few thousand. Introspection is counted by the values it returns for the
// served schema (introspectionWalk), not as one field.
//
// A fragment's cost does not depend on where it is spread, only on the
// list bounds it inherits (listScope), so it is computed once per fragment and
// scope: fragments spreading the next twice, 28 deep, cost 28 walks rather
// than 2²⁸. Costs are float64 and saturate at maxCost, never overflow.
type complexityLimit struct {
	max          int
	maxExpensive int
	schema       *ast.Schema
}

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
	w := newCostWalk(opCtx.Doc, opCtx.Variables, l.schema)
	if n := w.expensive(opCtx.Operation.SelectionSet); n > float64(l.maxExpensive) {
		err := gqlerror.Errorf("the query asks for %.0f analytics computations (centrality other than DEGREE, communities, whatIfRemoved, projections, kShortestPaths), more than the limit of %d: send them in separate queries", n, l.maxExpensive)
		err.Extensions = map[string]any{"code": coopgraph.ELIMIT}
		return err
	}
	if c := w.cost(opCtx.Operation.SelectionSet, listScope{}); c > float64(l.max) {
		err := gqlerror.Errorf("the query asks for about %.0f values, more than the limit of %d: lower first (or k, max, the ids given), or ask for fewer nested fields", c, l.max)
		err.Extensions = map[string]any{"code": coopgraph.ELIMIT}
		return err
	}
	return nil
}

// maxCost is where costs saturate: far above any limit, far below overflow.
const maxCost = math.MaxFloat64 / 4

// Sizes of lists that have no page size of their own (see listSize).
const (
	maxListed   = 1000  // lists refused above this many without first
	maxSubgraph = 50000 // relations among subgraph's ids, refused above
	pathHops    = 12    // a path's relations when maxHops is not given: the most maxHops allows
	// fewList estimates the small per-entity lists no resolver bounds
	// (aliases, properties, facts, documents, the contexts two partners
	// share): an estimate, not a bound — the dataset decides.
	fewList = 10
)

// listScope carries the bounds a field gives the lists below it: a
// connection's page size to its edges, a path field's maxHops to the
// path's nodes, network's max to its entities.
type listScope struct {
	page      float64 // first of the field above (edges, links, components, examples)
	hops      float64 // relations of a path
	entities  float64 // Subgraph.entities
	relations float64 // Subgraph.relations
}

// costWalk computes an operation's cost and counts its analytics fields.
type costWalk struct {
	doc    *ast.QueryDocument
	vars   map[string]any
	schema *ast.Schema
	memo   map[fragmentScope]float64 // nil: no memo (the plain count the fuzz test compares with)
	open   map[string]bool           // fragments being walked: a cycle (refused by validation anyway) costs nothing
	intro  *introspectionWalk
	counts map[string]float64 // expensive fields per fragment
}

type fragmentScope struct {
	name string
	s    listScope
}

func newCostWalk(doc *ast.QueryDocument, vars map[string]any, schema *ast.Schema) *costWalk {
	return &costWalk{doc: doc, vars: vars, schema: schema, memo: map[fragmentScope]float64{}, open: map[string]bool{},
		intro: newIntrospectionWalk(doc, schema, true), counts: map[string]float64{}}
}

func (w *costWalk) cost(set ast.SelectionSet, sc listScope) float64 {
	total := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !w.skipped(s.Directives) {
				total += w.field(s, sc)
			}
		case *ast.InlineFragment:
			if !w.skipped(s.Directives) {
				total += w.cost(s.SelectionSet, sc)
			}
		case *ast.FragmentSpread:
			if !w.skipped(s.Directives) {
				total += w.fragment(s.Name, sc)
			}
		}
	}
	return min(total, maxCost)
}

// skipped reports whether @skip(if: true) or @include(if: false) leaves a
// selection out: the executor never resolves it, so its values are not
// counted (the page asks for a partner's projects with @include, keeping
// its document static, and a map of 1000 partners without them would
// otherwise count as a million projects). A condition not known here
// counts the selection as included.
func (w *costWalk) skipped(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		cond, ok := d.ArgumentMap(w.vars)["if"].(bool)
		if ok && cond == (d.Name == "skip") {
			return true
		}
	}
	return false
}

func (w *costWalk) fragment(name string, sc listScope) float64 {
	key := fragmentScope{name, sc}
	if c, ok := w.memo[key]; ok {
		return c
	}
	f := w.fragmentDef(name)
	if f == nil || w.open[name] {
		return 0
	}
	w.open[name] = true
	c := w.cost(f.SelectionSet, sc)
	delete(w.open, name)
	if w.memo != nil {
		w.memo[key] = c
	}
	return c
}

func (w *costWalk) fragmentDef(name string) *ast.FragmentDefinition {
	if w.doc == nil {
		return nil
	}
	return w.doc.Fragments.ForName(name)
}

func (w *costWalk) field(f *ast.Field, sc listScope) float64 {
	switch f.Name {
	case "__typename":
		return 1
	case "__schema":
		return 1 + w.intro.schemaCost(f.SelectionSet)
	case "__type":
		name, _ := w.args(f)["name"].(string)
		if w.schema == nil || w.schema.Types[name] == nil {
			return 1
		}
		return 1 + w.intro.typeCost(f.SelectionSet, &ast.Type{NamedType: name})
	}
	n, below := w.listSize(f, sc)
	return min(1+n*w.cost(f.SelectionSet, below), maxCost)
}

func (w *costWalk) args(f *ast.Field) map[string]any {
	if f.Definition == nil {
		return nil
	}
	return f.ArgumentMap(w.vars)
}

// listSize is how many times the field's selection counts, and the scope it
// gives the fields below. A field with first or k counts that many; a list
// without them counts the most its resolver returns, read from the
// schema's documented limits (schema/*.graphqls).
func (w *costWalk) listSize(f *ast.Field, sc listScope) (float64, listScope) {
	if f.Definition == nil {
		return 1, listScope{}
	}
	args := w.args(f)
	first, hasFirst := positive(args["first"])
	if k, ok := positive(args["k"]); ok {
		first, hasFirst = k, true
	}
	below := listScope{}
	if hasFirst {
		below.page = first
	}
	parent := ""
	if f.ObjectDefinition != nil {
		parent = f.ObjectDefinition.Name
	}
	switch parent + "." + f.Name {
	case "Query.shortestPath", "Query.allShortestPaths", "Query.kShortestPaths", "Query.shortestPathSubgraph":
		below.hops = pathHops
		if h, ok := positive(args["maxHops"]); ok {
			below.hops = min(h, pathHops)
		}
	case "Query.network":
		m, ok := positive(args["max"])
		if !ok {
			m = 5000
		}
		below.entities, below.relations = m, 10*m
	case "Query.subgraph":
		below.entities, below.relations = float64(listLen(args["ids"])), maxSubgraph
	}
	if f.Definition.Type == nil || f.Definition.Type.Elem == nil {
		return 1, below // no list: its first bounds a list below (a connection's edges)
	}
	if hasFirst {
		return first, below
	}
	switch parent + "." + f.Name {
	case "Query.scores", "Query.communityOf":
		return float64(listLen(args["ids"])), below
	case "Subgraph.entities":
		return sc.entities, below
	case "Subgraph.relations":
		return sc.relations, below
	case "Path.nodes":
		return sc.hops + 1, below
	case "Path.relations", "Path.hops":
		return sc.hops, below
	case "PathSubgraph.layers":
		return sc.hops + 1, below
	case "PathLayer.entities":
		return schema.MaxSubgraphEntities, below // the resolver refuses a subgraph of more entities
	case "PathSubgraph.links":
		return schema.MaxSubgraphLinks, below // and of more hops
	case "EntityConnection.edges", "RelationConnection.edges", "NeighbourConnection.edges", "CentralityConnection.edges",
		"ComponentList.components", "ProjectionLinks.links", "Impact.examples", "RegionPartnerPage.partners":
		return sc.page, below
	case "Overview.kinds":
		return float64(len(coopgraph.Kinds)), below
	case "Overview.relationTypes":
		return float64(len(coopgraph.RelationTypes)), below
	case "Entity.neighbours", "Entity.relations", "Query.allShortestPaths", "Query.partners", "Query.commonPartners",
		"Query.articulationPoints", "Query.bridges", "RegionPartnerPage.programmes":
		return maxListed, below
	case "FilterChoices.countries", "FilterChoices.programmes", "FilterChoices.documents":
		return maxListed, below // the network's own: 171, 268 and 13 on the linked one
	}
	return fewList, below
}

// positive reads a page size argument as a number; ok is false when it is
// absent or not positive (the resolver refuses that itself).
func positive(v any) (float64, bool) {
	var x float64
	switch v := v.(type) {
	case int64:
		x = float64(v)
	case int:
		x = float64(v)
	case int32:
		x = float64(v)
	case float64:
		x = v
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return 0, false
		}
		x = f
	default:
		return 0, false
	}
	if !(x > 0) {
		return 0, false
	}
	return x, true
}

func listLen(v any) int {
	if l, ok := v.([]any); ok {
		return len(l)
	}
	return 0
}

// expensive counts the operation's analytics fields: each alias, each
// spread of a fragment holding one, counts (with @include and @skip as if
// included). They are all fields of Query, so only the root selection and
// the fragments on it are walked.
func (w *costWalk) expensive(set ast.SelectionSet) float64 {
	n := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if w.isExpensive(s) {
				n++
			}
		case *ast.InlineFragment:
			n += w.expensive(s.SelectionSet)
		case *ast.FragmentSpread:
			if c, ok := w.counts[s.Name]; ok {
				n += c
				continue
			}
			f := w.fragmentDef(s.Name)
			if f == nil || w.open[s.Name] {
				continue
			}
			w.open[s.Name] = true
			c := w.expensive(f.SelectionSet)
			delete(w.open, s.Name)
			w.counts[s.Name] = c
			n += c
		}
	}
	return min(n, maxCost)
}

// isExpensive says whether a field runs a computation whose cost grows
// faster than the network (so that one of them can hold a core for
// seconds on CORDIS), rather than one search or one pass over it:
// centrality by a measure that is not Linear in the registry (betweenness,
// closeness and harmonic are a search from every entity, O(V·E); PageRank
// and eigenvector a few Lanczos cycles of up to 16 passes) and scores under it, any centrality on a projection, the
// projection itself (pairs of a context's members: quadratic in a hub's
// degree), communities and communityOf (Louvain's passes), whatIfRemoved
// (a search from every entity of the component, or of a sample past
// graph.MaxWhatIfWork) and kShortestPaths (Yen:
// a search per spur node of each of k paths). A shortest path,
// shortestPathSubgraph (one search and one walk over its result),
// allShortestPaths (one search, at most 1000 paths), components,
// articulation points and bridges (one depth-first pass), partners,
// regionPartners and regionPartnersPage (one pass over a region's organisations, their projects and
// those projects' participants; still admitted by the analytics Limiter and
// kept per snapshot, see graph.RegionPartners) and the entity reads are
// linear and stay out.
func (w *costWalk) isExpensive(f *ast.Field) bool {
	if f.ObjectDefinition == nil || f.ObjectDefinition.Name != "Query" {
		return false
	}
	switch f.Name {
	case "centrality", "centralityConnection", "scores":
		args := w.args(f)
		m, _ := args["measure"].(string)
		info, ok := graph.LookupMeasure(graph.Measure(m))
		return !ok || !info.Linear || args["projection"] != nil
	case "communities", "communityOf", "whatIfRemoved", "projection", "kShortestPaths":
		return true
	}
	return false
}

// introspectionWalk counts the values an introspection selection returns
// for the served schema, exactly, as gqlgen's introspection resolvers
// would (with deprecated fields and enum values included, whatever
// includeDeprecated says). A type's cost under a selection is computed
// once (memo), so nested types { fields { type { fields … } } } cost a walk
// per selection and type, never the product of their counts.
type introspectionWalk struct {
	doc    *ast.QueryDocument
	schema *ast.Schema
	memo   map[introKey]float64 // nil: no memo
	open   map[introKey]bool
}

// introKey is a selection set (by its first selection and length: the
// document is not changed while walked) under one introspection value.
type introKey struct {
	first ast.Selection
	n     int
	kind  byte   // 's'chema, 't'ype, 'f'ield, 'i'nput value, 'e'num value, 'd'irective
	typ   string // the __Type or the input value's type, wrappers included
	def   any    // the field or directive definition
}

func newIntrospectionWalk(doc *ast.QueryDocument, schema *ast.Schema, memo bool) *introspectionWalk {
	w := &introspectionWalk{doc: doc, schema: schema, open: map[introKey]bool{}}
	if memo {
		w.memo = map[introKey]float64{}
	}
	return w
}

// value is one introspection object: the schema, a type, a field, an
// input value (argument or input field), an enum value or a directive.
type introValue struct {
	kind byte
	typ  *ast.Type
	fd   *ast.FieldDefinition
	dd   *ast.DirectiveDefinition
}

func (w *introspectionWalk) schemaCost(set ast.SelectionSet) float64 {
	return w.walk(set, introValue{kind: 's'})
}

func (w *introspectionWalk) typeCost(set ast.SelectionSet, t *ast.Type) float64 {
	return w.walk(set, introValue{kind: 't', typ: t})
}

// walk is the cost of set selected on v, memoised.
func (w *introspectionWalk) walk(set ast.SelectionSet, v introValue) float64 {
	if len(set) == 0 || w.schema == nil {
		return 0
	}
	key := introKey{first: set[0], n: len(set), kind: v.kind}
	if v.typ != nil {
		key.typ = v.typ.String()
	}
	if v.fd != nil {
		key.def = v.fd
	}
	if v.dd != nil {
		key.def = v.dd
	}
	if c, ok := w.memo[key]; ok {
		return c
	}
	if w.open[key] {
		return 0
	}
	w.open[key] = true
	total := 0.0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total += 1 + w.field(s, v)
		case *ast.InlineFragment:
			total += w.walk(s.SelectionSet, v)
		case *ast.FragmentSpread:
			if w.doc != nil {
				if f := w.doc.Fragments.ForName(s.Name); f != nil {
					total += w.walk(f.SelectionSet, v)
				}
			}
		}
		total = min(total, maxCost)
	}
	delete(w.open, key)
	if w.memo != nil {
		w.memo[key] = total
	}
	return total
}

// field is what the field f of v adds beyond its own 1: the values of the
// objects it returns. One method a kind of introspection value.
func (w *introspectionWalk) field(f *ast.Field, v introValue) float64 {
	sub := f.SelectionSet
	switch v.kind {
	case 's':
		return w.schemaField(f.Name, sub)
	case 't':
		return w.typeField(f.Name, sub, v.typ)
	case 'f':
		switch f.Name {
		case "args":
			return w.inputs(sub, v.fd.Arguments)
		case "type":
			return w.walk(sub, introValue{kind: 't', typ: v.fd.Type})
		}
	case 'i':
		if f.Name == "type" {
			return w.walk(sub, introValue{kind: 't', typ: v.typ})
		}
	case 'd':
		switch f.Name {
		case "args":
			return w.inputs(sub, v.dd.Arguments)
		case "locations":
			return float64(len(v.dd.Locations))
		}
	}
	return 0 // a scalar
}

// schemaField is what a field of __Schema adds.
func (w *introspectionWalk) schemaField(name string, sub ast.SelectionSet) float64 {
	switch name {
	case "types":
		names := make([]string, 0, len(w.schema.Types))
		for n := range w.schema.Types {
			names = append(names, n)
		}
		return w.types(sub, names)
	case "queryType":
		return w.root(sub, w.schema.Query)
	case "mutationType":
		return w.root(sub, w.schema.Mutation)
	case "subscriptionType":
		return w.root(sub, w.schema.Subscription)
	case "directives":
		c := 0.0
		for _, d := range w.schema.Directives {
			c += w.walk(sub, introValue{kind: 'd', dd: d})
		}
		return c
	}
	return 0
}

// typeField is what a field of __Type t adds.
func (w *introspectionWalk) typeField(name string, sub ast.SelectionSet, t *ast.Type) float64 {
	if name == "ofType" {
		switch {
		case t.NonNull:
			u := *t
			u.NonNull = false
			return w.walk(sub, introValue{kind: 't', typ: &u})
		case t.Elem != nil:
			return w.walk(sub, introValue{kind: 't', typ: t.Elem})
		}
		return 0
	}
	def := w.schema.Types[t.NamedType]
	if t.NonNull || t.Elem != nil || def == nil {
		return 0 // a wrapper's fields, interfaces… are null
	}
	switch name {
	case "fields":
		if def.Kind != ast.Object && def.Kind != ast.Interface {
			return 0
		}
		c := 0.0
		for _, fd := range def.Fields {
			if len(fd.Name) < 2 || fd.Name[:2] != "__" {
				c += w.walk(sub, introValue{kind: 'f', fd: fd})
			}
		}
		return c
	case "inputFields":
		if def.Kind != ast.InputObject {
			return 0
		}
		c := 0.0
		for _, fd := range def.Fields {
			c += w.walk(sub, introValue{kind: 'i', typ: fd.Type})
		}
		return c
	case "interfaces":
		return w.types(sub, def.Interfaces)
	case "possibleTypes":
		if def.Kind != ast.Interface && def.Kind != ast.Union {
			return 0
		}
		c := 0.0
		for _, p := range w.schema.GetPossibleTypes(def) {
			c += w.walk(sub, introValue{kind: 't', typ: &ast.Type{NamedType: p.Name}})
		}
		return c
	case "enumValues":
		return float64(len(def.EnumValues)) * w.walk(sub, introValue{kind: 'e'})
	}
	return 0
}

// types is what sub adds for each of the named types.
func (w *introspectionWalk) types(sub ast.SelectionSet, names []string) float64 {
	c := 0.0
	for _, n := range names {
		c += w.walk(sub, introValue{kind: 't', typ: &ast.Type{NamedType: n}})
	}
	return c
}

// inputs is what sub adds for each argument's input value.
func (w *introspectionWalk) inputs(sub ast.SelectionSet, args ast.ArgumentDefinitionList) float64 {
	c := 0.0
	for _, a := range args {
		c += w.walk(sub, introValue{kind: 'i', typ: a.Type})
	}
	return c
}

func (w *introspectionWalk) root(set ast.SelectionSet, def *ast.Definition) float64 {
	if def == nil {
		return 0
	}
	return w.walk(set, introValue{kind: 't', typ: &ast.Type{NamedType: def.Name}})
}

// newPlainCostWalk is a walk without memo: it costs what newCostWalk does,
// exponentially slower on fragments spread many times; the tests compare
// the two.
func newPlainCostWalk(doc *ast.QueryDocument, vars map[string]any, schema *ast.Schema) *costWalk {
	return &costWalk{doc: doc, vars: vars, schema: schema, open: map[string]bool{},
		intro: newIntrospectionWalk(doc, schema, false), counts: map[string]float64{}}
}
