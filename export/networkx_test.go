package export_test

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
)

// readBack reads a GraphML and a GEXF file with networkx and prints, for
// each, the graph's size and every node's and edge's attributes as JSON.
//
// networkx before 3.0 (Debian 12 ships 2.8.8) knows GEXF up to 1.2draft:
// 1.3 is read the same way under its own namespaces, which is the entry
// networkx 3 added to this table.
const readBack = `
import json, sys
import networkx as nx
from networkx.readwrite import gexf
if "1.3" not in gexf.GEXF.versions:
    gexf.GEXF.versions["1.3"] = dict(gexf.GEXF.versions["1.2draft"],
        NS_GEXF="http://gexf.net/1.3", NS_VIZ="http://gexf.net/1.3/viz", VERSION="1.3")

def dump(G):
    # A multigraph keys parallel edges by their ids; a simple graph keeps
    # the id as an attribute.
    edges = {}
    triples = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, k, d in triples:
        edges[d.get("id", k)] = dict(d, source=u, target=v)
    return {"directed": G.is_directed(), "multigraph": G.is_multigraph(), "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "nodeData": dict(G.nodes(data=True)), "edgeData": edges, "graphData": dict(G.graph)}

print(json.dumps({"version": nx.__version__,
                  "graphml": dump(nx.read_graphml(sys.argv[1])),
                  "gexf": dump(nx.read_gexf(sys.argv[2]))}))
`

type nxGraph struct {
	Directed   bool
	Multigraph bool
	Nodes      int
	Edges      int
	NodeData   map[string]map[string]any
	EdgeData   map[string]map[string]any
	GraphData  map[string]any
}

// pythons are the interpreters with networkx to check against: Debian's
// first, then the one on PATH when it is another.
func pythons(t *testing.T) []string {
	var out []string
	seen := map[string]bool{}
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		real, err := filepath.EvalSymlinks(p)
		if err != nil || seen[real] {
			continue
		}
		seen[real] = true
		if exec.Command(p, "-c", "import networkx").Run() == nil {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Skip("no python3 with networkx (Debian: apt-get install python3-networkx): skipping the networkx read-back")
	}
	return out
}

// networkx reads the seed dataset's GraphML and GEXF exports as the same
// graph: as many nodes and edges, and the same attributes.
func TestNetworkxReadsTheExports(t *testing.T) {
	ds, sub := seed(t)
	gml, gx := writeExports(t, sub)
	want := expectReadBack(t, ds)
	for _, py := range pythons(t) {
		got := readWithNetworkx(t, py, gml, gx)
		if c := got.GraphML.GraphData["credits"]; c != strings.Join(sub.Credits, "\n") {
			t.Errorf("%s, graphml: the graph's credits are %q, want the credit lines %q", py, c, sub.Credits)
		}
		for format, g := range map[string]nxGraph{"graphml": got.GraphML, "gexf": got.GEXF} {
			want.checkShape(t, py, format, g)
			want.checkEntities(t, py, format, g)
			want.checkRelations(t, py, format, g)
		}
	}
}

// writeExports writes sub as GraphML and as GEXF into a temporary
// directory and returns the two files' paths.
func writeExports(t *testing.T, sub *export.Subgraph) (gml, gx string) {
	t.Helper()
	sub.Credits = []string{"NUTS: © European Union, Eurostat", "Source: keep.eu (Interact)"}
	dir := t.TempDir()
	gml, gx = filepath.Join(dir, "seed.graphml"), filepath.Join(dir, "seed.gexf")
	if err := os.WriteFile(gml, write(t, export.GraphML, sub), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gx, write(t, export.GEXF, sub), 0o644); err != nil {
		t.Fatal(err)
	}
	return gml, gx
}

// readBackExpectation is what networkx must read of the seed's exports:
// its size, whether it has parallel relations, and a few entities and
// relations to compare attribute by attribute.
type readBackExpectation struct {
	ds        *coopgraph.Dataset
	ents      map[string]coopgraph.Entity
	entityIDs []string
	relations []coopgraph.Relation
	parallel  bool
}

// expectReadBack picks a few entities and relations, among them some with
// Polish quotes and letters, roles, dates and parallel relations.
func expectReadBack(t *testing.T, ds *coopgraph.Dataset) *readBackExpectation {
	t.Helper()
	want := &readBackExpectation{ds: ds, ents: map[string]coopgraph.Entity{},
		entityIDs: []string{"malopolskie", "slaskie", "respondet", "vanguard-initiative", "dom-polski-poludniowej"}}
	for _, e := range ds.Entities {
		want.ents[e.ID] = e
	}
	for _, r := range ds.Relations {
		if strings.ContainsAny(r.Quote, "„”łśżąę") || r.Role != "" && r.Start != "" && len(want.relations) < 12 {
			want.relations = append(want.relations, r)
		}
	}
	pairs := map[[2]string]bool{}
	for _, r := range ds.Relations {
		want.parallel = want.parallel || pairs[[2]string{r.From, r.To}]
		pairs[[2]string{r.From, r.To}] = true
	}
	if len(want.relations) < 3 {
		t.Fatalf("the seed has only %d relations with Polish quotes or roles and dates", len(want.relations))
	}
	return want
}

// nxReadBack is what the readBack script prints.
type nxReadBack struct {
	Version string
	GraphML nxGraph
	GEXF    nxGraph
}

// readWithNetworkx runs the readBack script with the interpreter py on the
// GraphML file gml and the GEXF file gx.
func readWithNetworkx(t *testing.T, py, gml, gx string) nxReadBack {
	t.Helper()
	cmd := exec.Command(py, "-c", readBack, gml, gx)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", py, err, stderr.String())
	}
	var got nxReadBack
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s: %v\n%s", py, err, out)
	}
	t.Logf("%s: networkx %s", py, got.Version)
	return got
}

// checkShape: a directed graph of as many nodes and edges as the seed, a
// multigraph when the seed has parallel relations.
func (rb *readBackExpectation) checkShape(t *testing.T, py, format string, g nxGraph) {
	t.Helper()
	ds := rb.ds
	if !g.Directed || g.Nodes != len(ds.Entities) || g.Edges != len(ds.Relations) {
		t.Errorf("%s, %s: directed %v, %d nodes, %d edges; want %d, %d", py, format, g.Directed, g.Nodes, g.Edges, len(ds.Entities), len(ds.Relations))
	}
	if g.Multigraph != rb.parallel {
		t.Errorf("%s, %s: multigraph %v, but the seed has parallel relations: %v", py, format, g.Multigraph, rb.parallel)
	}
}

// checkEntities: the chosen entities' attributes, in GEXF the name as the
// label and the kind's colour.
func (rb *readBackExpectation) checkEntities(t *testing.T, py, format string, g nxGraph) {
	t.Helper()
	for _, id := range rb.entityIDs {
		e, ok := rb.ents[id]
		if !ok {
			t.Fatalf("the seed has no entity %q", id)
		}
		d := strings_(g.NodeData[id])
		if format == "gexf" {
			// The name is the node's label; the colour is the kind's.
			d["name"] = d["label"]
			delete(d, "label")
			if c := export.KindColours[e.Kind]; !strings.Contains(d["viz"], `"r":`+itoa(c[0])) {
				t.Errorf("%s, gexf, %s: viz %s, want the colour of %s %v", py, id, d["viz"], e.Kind, c)
			}
			delete(d, "viz")
		}
		if want := entityValues(e); !maps.Equal(d, want) {
			t.Errorf("%s, %s, entity %s:\n got %q\nwant %q", py, format, id, d, want)
		}
	}
}

// checkRelations: the chosen relations' attributes, in GEXF the type as
// the label.
func (rb *readBackExpectation) checkRelations(t *testing.T, py, format string, g nxGraph) {
	t.Helper()
	for _, r := range rb.relations {
		d := strings_(g.EdgeData[r.ID])
		delete(d, "id")
		if format == "gexf" {
			if d["label"] != r.Type {
				t.Errorf("%s, gexf, relation %s: label %q", py, r.ID, d["label"])
			}
			delete(d, "label")
		}
		if want := relationValues(r); !maps.Equal(d, want) {
			t.Errorf("%s, %s, relation %s:\n got %q\nwant %q", py, format, r.ID, d, want)
		}
	}
}

// strings_ turns networkx's attribute values into the strings they were
// written as (JSON for nested values such as GEXF's viz).
func strings_(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
			continue
		}
		b, _ := json.Marshal(v)
		out[k] = string(b)
	}
	return out
}

func itoa(x uint8) string {
	b, _ := json.Marshal(x)
	return string(b)
}
