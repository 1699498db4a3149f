package export_test

import (
	"encoding/xml"
	"maps"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
)

// gexf is the part of GEXF 1.3 the writer produces, as encoding/xml reads
// it back.
type gexf struct {
	XMLName xml.Name `xml:"http://gexf.net/1.3 gexf"`
	Version string   `xml:"version,attr"`
	Graph   struct {
		Mode            string `xml:"mode,attr"`
		DefaultEdgeType string `xml:"defaultedgetype,attr"`
		Attributes      []struct {
			Class     string `xml:"class,attr"`
			Attribute []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
				Type  string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"attributes"`
		Nodes []struct {
			ID     string      `xml:"id,attr"`
			Label  string      `xml:"label,attr"`
			Values []gexfValue `xml:"attvalues>attvalue"`
			Colour *struct {
				R int `xml:"r,attr"`
				G int `xml:"g,attr"`
				B int `xml:"b,attr"`
			} `xml:"http://gexf.net/1.3/viz color"`
		} `xml:"nodes>node"`
		Edges []struct {
			ID     string      `xml:"id,attr"`
			Source string      `xml:"source,attr"`
			Target string      `xml:"target,attr"`
			Label  string      `xml:"label,attr"`
			Values []gexfValue `xml:"attvalues>attvalue"`
		} `xml:"edges>edge"`
	} `xml:"graph"`
}

type gexfValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

func readGEXF(t *testing.T, b []byte) (g gexf, nodes, edges map[string]map[string]string) {
	t.Helper()
	if err := xml.Unmarshal(b, &g); err != nil {
		t.Fatalf("the GEXF does not parse: %v\n%s", err, b)
	}
	titles := map[string]map[string]string{}
	for _, a := range g.Graph.Attributes {
		titles[a.Class] = map[string]string{}
		for _, at := range a.Attribute {
			titles[a.Class][at.ID] = at.Title
		}
	}
	values := func(class string, vs []gexfValue) map[string]string {
		m := map[string]string{}
		for _, v := range vs {
			title, ok := titles[class][v.For]
			if !ok {
				t.Fatalf("value for undeclared %s attribute %q", class, v.For)
			}
			m[title] = v.Value
		}
		return m
	}
	nodes, edges = map[string]map[string]string{}, map[string]map[string]string{}
	for _, n := range g.Graph.Nodes {
		m := values("node", n.Values)
		m["name"] = n.Label
		nodes[n.ID] = m
	}
	for _, e := range g.Graph.Edges {
		m := values("edge", e.Values)
		m["source"], m["target"] = e.Source, e.Target
		if e.Label != m["type"] {
			t.Errorf("edge %s: label %q, type %q", e.ID, e.Label, m["type"])
		}
		edges[e.ID] = m
	}
	return g, nodes, edges
}

func TestGEXFReadsBackAsWritten(t *testing.T) {
	sub := tricky()
	g, nodes, edges := readGEXF(t, write(t, export.GEXF, sub))
	if g.Version != "1.3" || g.Graph.Mode != "static" || g.Graph.DefaultEdgeType != "directed" {
		t.Errorf("version %q, mode %q, edges %q", g.Version, g.Graph.Mode, g.Graph.DefaultEdgeType)
	}
	declared := map[string][]string{}
	for _, a := range g.Graph.Attributes {
		for _, at := range a.Attribute {
			declared[a.Class] = append(declared[a.Class], at.Title+":"+at.Type)
		}
	}
	wantNode := []string{"kind:string", "aliases:string", "documents:string", "community:long", "betweenness:double",
		"country:string", "description:string", "property:label:string", "url:string"}
	wantEdge := []string{"type:string", "role:string", "start:string", "end:string", "document:string", "quote:string", "weight:string"}
	if !slices.Equal(declared["node"], wantNode) || !slices.Equal(declared["edge"], wantEdge) {
		t.Errorf("declared %q\nwant node %q\nedge %q", declared, wantNode, wantEdge)
	}

	wantNodes := map[string]map[string]string{
		"malopolskie": {
			"kind": "Region", "name": `Małopolska <"Lesser" & 'Poland'>`, "aliases": "Małopolska;Lesser Poland;ł;ś",
			"documents": "000.txt;004.txt", "community": "1", "betweenness": "0.30000000000000004",
			"country": "PL", "description": "line one\nline two\tand a tab, \"quoted\"",
		},
		"proj:s3/pilot": {"kind": "Project", "name": "S3 Pilot \uFFFD control", "community": "2", "url": "https://example.eu/?a=1&b=2"},
		"slaskie": {
			"kind": "Region", "name": "Województwo Śląskie", "aliases": "Śląsk;Silesia", "community": "1",
			"betweenness": "0", "country": "PL", "property:label": "a property named label",
		},
	}
	if !maps.EqualFunc(nodes, wantNodes, maps.Equal) {
		t.Errorf("nodes\n%q\nwant\n%q", nodes, wantNodes)
	}
	for _, r := range sub.Relations {
		if got, want := edges[r.ID], relationValues(r); !maps.Equal(got, want) {
			t.Errorf("edge %s\n%q\nwant\n%q", r.ID, got, want)
		}
	}
	var ids []string
	for _, n := range g.Graph.Nodes {
		ids = append(ids, n.ID)
		c := export.KindColours[nodes[n.ID]["kind"]]
		if n.Colour == nil || n.Colour.R != int(c[0]) || n.Colour.G != int(c[1]) || n.Colour.B != int(c[2]) {
			t.Errorf("node %s: colour %+v, want %v", n.ID, n.Colour, c)
		}
	}
	if !slices.Equal(ids, []string{"malopolskie", "proj:s3/pilot", "slaskie"}) {
		t.Errorf("nodes in order %q", ids)
	}
}

func TestGEXFHoldsTheSeedDataset(t *testing.T) {
	ds, sub := seed(t)
	_, nodes, edges := readGEXF(t, write(t, export.GEXF, sub))
	if len(nodes) != len(ds.Entities) || len(edges) != len(ds.Relations) {
		t.Fatalf("%d nodes, %d edges; the seed has %d entities, %d relations", len(nodes), len(edges), len(ds.Entities), len(ds.Relations))
	}
	for _, e := range ds.Entities {
		if got, want := nodes[e.ID], entityValues(e); !maps.Equal(got, want) {
			t.Errorf("node %s\n%q\nwant\n%q", e.ID, got, want)
		}
	}
	for _, r := range ds.Relations {
		if got, want := edges[r.ID], relationValues(r); !maps.Equal(got, want) {
			t.Errorf("edge %s\n%q\nwant\n%q", r.ID, got, want)
		}
	}
}

// Every kind of the vocabulary has a colour of its own.
func TestEveryKindHasAColour(t *testing.T) {
	seen := map[[3]uint8]string{}
	for _, kind := range coopgraph.Kinds {
		k := kind.Name
		c, ok := export.KindColours[k]
		if !ok {
			t.Errorf("kind %s has no colour", k)
		}
		if other, dup := seen[c]; dup {
			t.Errorf("kinds %s and %s share a colour", k, other)
		}
		seen[c] = k
	}
}
