// Package export writes a part of the cooperation network (the whole
// graph, the paths between two entities, a neighbourhood, a community) in
// the formats other tools read: GraphML (networkx, igraph, Cytoscape, yEd),
// GEXF 1.3 (Gephi) and CSV (spreadsheets, and coopgraph's own CSV import,
// see loader/FORMAT.md).
//
// It knows neither where a subgraph comes from (package export/scope
// chooses it from the analytics snapshot) nor HTTP: writers take an
// io.Writer. Output is deterministic: entities and relations are written in
// ascending id order and columns in a fixed order, so that the same
// subgraph always gives the same bytes.
//
// Every format carries the same columns under the same names (see
// Columns): an entity's kind, name, aliases and documents, the attributes
// computed for the export, and its properties; a relation's type, role,
// dates, source document and quote, and its properties. Lists (aliases,
// documents) are joined with ";", as the CSV import splits them. Facts,
// which carry a source of their own, are not exported: the API serves them.
//
// The credit lines of the sources (Subgraph.Credits) go wherever a format
// has room for what describes the whole graph: GraphML's <desc> and a
// graph attribute "credits" (networkx's G.graph, igraph's graph
// attributes), GEXF's <meta> description. A CSV table has no such place
// (a comment line or an odd row is not CSV to most readers, and would not
// read back through the CSV import): CreditsText is the sidecar the
// command line writes beside the two tables, CREDITS.txt.
package export

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/coopgraph/coopgraph"
)

// Subgraph is what an export writes: entities, the relations among them,
// and optional per-entity attributes computed for the export.
type Subgraph struct {
	Entities  []coopgraph.Entity
	Relations []coopgraph.Relation
	// Attributes are values computed for this export, such as the index
	// of an entity's community or its centrality score, written after
	// the entity's fixed columns and before its properties.
	Attributes []Attribute
	// Credits are the credit lines of the sources the network is made
	// from (coopgraph.Dataset.Credits), written with the graph.
	Credits []string
	// Documents describe the documents the entities and relations cite
	// (coopgraph.Dataset.Documents, ordered by id). GraphML and GEXF then
	// carry each relation's document title, publisher and address beside
	// its document id and quote, and each entity's sources as titles
	// (the CSV tables keep the import's columns, to read back as they were
	// written).
	Documents []coopgraph.Document
}

// CreditsText is the credit lines of sub, one a line, to be written beside
// the CSV tables (CREDITS.txt); "" when there are none.
func CreditsText(sub *Subgraph) string {
	if len(sub.Credits) == 0 {
		return ""
	}
	return strings.Join(sub.Credits, "\n") + "\n"
}

// Attribute is a per-entity value computed for an export.
type Attribute struct {
	Name string
	Type AttributeType
	// Values holds each entity's value, as written, by entity id; an
	// entity without one gets an empty cell (no value in GraphML, GEXF).
	Values map[string]string
}

// AttributeType says how readers should type an attribute's values.
type AttributeType int

const (
	String AttributeType = iota
	Int
	Double
)

// IntAttribute is an integer attribute, such as a community index.
func IntAttribute(name string, values map[string]int) Attribute {
	a := Attribute{Name: name, Type: Int, Values: make(map[string]string, len(values))}
	for id, v := range values {
		a.Values[id] = strconv.Itoa(v)
	}
	return a
}

// DoubleAttribute is a real-valued attribute, such as a centrality score,
// written in the shortest form that reads back to the same float64.
func DoubleAttribute(name string, values map[string]float64) Attribute {
	a := Attribute{Name: name, Type: Double, Values: make(map[string]string, len(values))}
	for id, v := range values {
		a.Values[id] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return a
}

// Format names an export format as the API and the CLI spell it.
type Format string

const (
	GraphMLFormat  Format = "graphml"
	GEXFFormat     Format = "gexf"
	NodesCSVFormat Format = "nodes.csv"
	EdgesCSVFormat Format = "edges.csv"
)

// Formats lists the formats, in the order help texts give them.
var Formats = []Format{GraphMLFormat, GEXFFormat, NodesCSVFormat, EdgesCSVFormat}

// Writer returns the writer of the named format; an unknown name is an
// EINVALID error listing the formats.
func Writer(format string) (func(io.Writer, *Subgraph) error, error) {
	switch Format(format) {
	case GraphMLFormat:
		return GraphML, nil
	case GEXFFormat:
		return GEXF, nil
	case NodesCSVFormat:
		return NodesCSV, nil
	case EdgesCSVFormat:
		return EdgesCSV, nil
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return nil, coopgraph.Errorf(coopgraph.EINVALID, "unknown export format %q: use %s", format, strings.Join(names, ", "))
}

// The fixed columns, in the order every format writes them. "id" and
// "label" are taken by the formats themselves (GraphML and GEXF element
// ids, Gephi's labels), "source" and "target" by the ends of a relation.
var (
	nodeFixed = []string{"kind", "name", "aliases", "documents"}
	edgeFixed = []string{"type", "role", "start", "end", "document", "quote"}
	nodeTaken = []string{"id", "label"}
	edgeTaken = []string{"id", "label", "source", "target"}
)

// The columns GraphML and GEXF add when the subgraph describes its
// documents (Subgraph.Documents).
var (
	nodeSources = []string{"sources"}
	edgeSources = []string{"documentTitle", "documentPublisher", "documentUrl"}
)

// listSeparator joins aliases and documents, as the CSV import splits them.
const listSeparator = ";"

// column is one written attribute: its name in the output and where its
// values come from.
type column struct {
	name  string
	typ   AttributeType
	value func(i int) string // the value of the i-th entity or relation
}

// table is a subgraph checked and laid out for writing: entities and
// relations sorted by id, and the columns of each.
type table struct {
	entities  []coopgraph.Entity
	relations []coopgraph.Relation
	nodeCols  []column
	edgeCols  []column
}

// Columns returns the names of the attribute columns a subgraph is written
// with, besides the ids (and a relation's ends): for entities kind, name,
// aliases, documents, then the subgraph's Attributes, then every property
// any entity has, sorted; for relations type, role, start, end, document,
// quote, then every property, sorted. A property whose name is taken
// (a fixed column, an attribute, "id", "label", "source", "target") is
// written as "property:NAME".
func Columns(sub *Subgraph) (nodes, edges []string, err error) {
	t, err := layout(sub)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range t.nodeCols {
		nodes = append(nodes, c.name)
	}
	for _, c := range t.edgeCols {
		edges = append(edges, c.name)
	}
	return nodes, edges, nil
}

// layout checks sub and lays it out. A subgraph whose ids repeat, whose
// relations reach an entity it does not hold, or whose attributes are
// unnamed, repeated or named like a fixed column is an EINVALID error: it
// would not read back as the graph it claims to be.
func layout(sub *Subgraph) (*table, error) { return layoutWith(sub, false) }

// layoutWith is layout, with the documents' columns when sources is set
// and the subgraph describes its documents.
func layoutWith(sub *Subgraph, sources bool) (*table, error) {
	sources = sources && len(sub.Documents) > 0
	t := &table{entities: slices.Clone(sub.Entities), relations: slices.Clone(sub.Relations)}
	slices.SortFunc(t.entities, func(a, b coopgraph.Entity) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(t.relations, func(a, b coopgraph.Relation) int { return cmp.Compare(a.ID, b.ID) })
	ids := make(map[string]bool, len(t.entities))
	for i, e := range t.entities {
		if e.ID == "" {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "an entity of the subgraph has no id")
		}
		if i > 0 && e.ID == t.entities[i-1].ID {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "entity %q is twice in the subgraph", e.ID)
		}
		ids[e.ID] = true
	}
	for i, r := range t.relations {
		if r.ID == "" {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "a relation of the subgraph has no id")
		}
		if i > 0 && r.ID == t.relations[i-1].ID {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "relation %q is twice in the subgraph", r.ID)
		}
		for _, end := range []string{r.From, r.To} {
			if !ids[end] {
				return nil, coopgraph.Errorf(coopgraph.EINVALID, "relation %q links %q, which is not in the subgraph", r.ID, end)
			}
		}
	}

	taken := map[string]bool{}
	for _, n := range append(append(slices.Clone(nodeTaken), nodeFixed...), nodeSources...) {
		taken[n] = true
	}
	ents := t.entities
	t.nodeCols = []column{
		{name: "kind", value: func(i int) string { return ents[i].Kind }},
		{name: "name", value: func(i int) string { return ents[i].Name }},
		{name: "aliases", value: func(i int) string { return strings.Join(ents[i].Aliases, listSeparator) }},
		{name: "documents", value: func(i int) string { return strings.Join(ents[i].Documents, listSeparator) }},
	}
	docs := sub.Documents
	if sources {
		t.nodeCols = append(t.nodeCols, column{name: "sources", value: func(i int) string {
			titles := make([]string, len(ents[i].Documents))
			for k, id := range ents[i].Documents {
				titles[k] = sourceText(coopgraph.FindDocument(docs, id))
			}
			return strings.Join(titles, listSeparator+" ")
		}})
	}
	for _, a := range sub.Attributes {
		if a.Name == "" || taken[a.Name] {
			return nil, coopgraph.Errorf(coopgraph.EINVALID, "attribute name %q is empty or already taken", a.Name)
		}
		taken[a.Name] = true
		values := a.Values
		t.nodeCols = append(t.nodeCols, column{name: a.Name, typ: a.Type, value: func(i int) string { return values[ents[i].ID] }})
	}
	t.nodeCols = append(t.nodeCols, propertyColumns(len(ents), func(i int) map[string]string { return ents[i].Properties }, taken)...)

	taken = map[string]bool{}
	for _, n := range append(append(slices.Clone(edgeTaken), edgeFixed...), edgeSources...) {
		taken[n] = true
	}
	rels := t.relations
	t.edgeCols = []column{
		{name: "type", value: func(i int) string { return rels[i].Type }},
		{name: "role", value: func(i int) string { return rels[i].Role }},
		{name: "start", value: func(i int) string { return rels[i].Start }},
		{name: "end", value: func(i int) string { return rels[i].End }},
		{name: "document", value: func(i int) string { return rels[i].Document }},
		{name: "quote", value: func(i int) string { return rels[i].Quote }},
	}
	if sources {
		doc := func(i int) coopgraph.Document { return coopgraph.FindDocument(docs, rels[i].Document) }
		t.edgeCols = append(t.edgeCols,
			column{name: "documentTitle", value: func(i int) string {
				if rels[i].Document == "" {
					return ""
				}
				return doc(i).Title
			}},
			column{name: "documentPublisher", value: func(i int) string { return doc(i).Publisher }},
			column{name: "documentUrl", value: func(i int) string { return doc(i).URL }})
	}
	t.edgeCols = append(t.edgeCols, propertyColumns(len(rels), func(i int) map[string]string { return rels[i].Properties }, taken)...)
	return t, nil
}

// sourceText names a document for a reader: "Title — Publisher".
func sourceText(d coopgraph.Document) string {
	if d.Publisher == "" {
		return d.Title
	}
	return d.Title + " — " + d.Publisher
}

// propertyColumns is one column per property name any of the n items has,
// in name order, each named after its property unless the name is taken.
func propertyColumns(n int, props func(i int) map[string]string, taken map[string]bool) []column {
	names := map[string]bool{}
	for i := range n {
		for k := range props(i) {
			names[k] = true
		}
	}
	var cols []column
	for _, k := range slices.Sorted(maps.Keys(names)) {
		name := k
		for taken[name] {
			name = "property:" + name
		}
		taken[name] = true
		cols = append(cols, column{name: name, value: func(i int) string { return props(i)[k] }})
	}
	return cols
}

// errWriter remembers the first write error, so that writers can write
// element after element and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) WriteString(s string) {
	if e.err == nil {
		_, e.err = io.WriteString(e.w, s)
	}
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
