package export_test

import (
	"encoding/xml"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
	"github.com/coopgraph/coopgraph/export"
)

// graphML is the part of GraphML the writer produces, as encoding/xml
// reads it back.
type graphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string        `xml:"id,attr"`
			Data []graphMLData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string        `xml:"id,attr"`
			Source string        `xml:"source,attr"`
			Target string        `xml:"target,attr"`
			Data   []graphMLData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func readGraphML(t *testing.T, b []byte) (g graphML, nodes, edges map[string]map[string]string) {
	t.Helper()
	if err := xml.Unmarshal(b, &g); err != nil {
		t.Fatalf("the GraphML does not parse: %v\n%s", err, b)
	}
	names := map[string]string{}
	for _, k := range g.Keys {
		names[k.ID] = k.Name
	}
	values := func(data []graphMLData) map[string]string {
		m := map[string]string{}
		for _, d := range data {
			name, ok := names[d.Key]
			if !ok {
				t.Fatalf("data for undeclared key %q", d.Key)
			}
			m[name] = d.Value
		}
		return m
	}
	nodes, edges = map[string]map[string]string{}, map[string]map[string]string{}
	for _, n := range g.Graph.Nodes {
		nodes[n.ID] = values(n.Data)
	}
	for _, e := range g.Graph.Edges {
		m := values(e.Data)
		m["source"], m["target"] = e.Source, e.Target
		edges[e.ID] = m
	}
	return g, nodes, edges
}

func TestGraphMLReadsBackAsWritten(t *testing.T) {
	sub := tricky()
	g, nodes, edges := readGraphML(t, write(t, export.GraphML, sub))

	if g.Graph.EdgeDefault != "directed" {
		t.Errorf("edgedefault %q", g.Graph.EdgeDefault)
	}
	var keys []string
	for _, k := range g.Keys {
		keys = append(keys, k.For+":"+k.Name+":"+k.Type)
	}
	want := []string{
		"node:kind:string", "node:name:string", "node:aliases:string", "node:documents:string",
		"node:community:long", "node:betweenness:double",
		"node:country:string", "node:description:string", "node:property:label:string", "node:url:string",
		"edge:type:string", "edge:role:string", "edge:start:string", "edge:end:string",
		"edge:document:string", "edge:quote:string", "edge:weight:string",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("keys\n%q\nwant\n%q", keys, want)
	}

	var ids []string
	for _, n := range g.Graph.Nodes {
		ids = append(ids, n.ID)
	}
	if !slices.Equal(ids, []string{"malopolskie", "proj:s3/pilot", "slaskie"}) {
		t.Errorf("nodes in order %q", ids)
	}
	wantNodes := map[string]map[string]string{
		"malopolskie": {
			"kind": "Region", "name": `Małopolska <"Lesser" & 'Poland'>`, "aliases": "Małopolska;Lesser Poland;ł;ś",
			"documents": "000.txt;004.txt", "community": "1", "betweenness": "0.30000000000000004",
			"country": "PL", "description": "line one\nline two\tand a tab, \"quoted\"",
		},
		// XML cannot hold U+0001: it becomes U+FFFD rather than making the
		// file unreadable.
		"proj:s3/pilot": {"kind": "Project", "name": "S3 Pilot \uFFFD control", "community": "2", "url": "https://example.eu/?a=1&b=2"},
		"slaskie": {
			"kind": "Region", "name": "Województwo Śląskie", "aliases": "Śląsk;Silesia", "community": "1",
			"betweenness": "0", "country": "PL", "property:label": "a property named label",
		},
	}
	if !maps.EqualFunc(nodes, wantNodes, maps.Equal) {
		t.Errorf("nodes\n%q\nwant\n%q", nodes, wantNodes)
	}

	ids = ids[:0]
	for _, e := range g.Graph.Edges {
		ids = append(ids, e.ID)
	}
	if !slices.Equal(ids, []string{"malopolskie|PARTICIPATES_IN|proj:s3/pilot|partner", "r0", "r1", "r2"}) {
		t.Errorf("edges in order %q", ids)
	}
	for _, r := range sub.Relations {
		if got, want := edges[r.ID], relationValues(r); !maps.Equal(got, want) {
			t.Errorf("edge %s\n%q\nwant\n%q", r.ID, got, want)
		}
	}
}

// relationValues is what every format should hold for r, empty values
// left out.
func relationValues(r coopgraph.Relation) map[string]string {
	m := map[string]string{"source": r.From, "target": r.To, "type": r.Type, "role": r.Role, "start": r.Start,
		"end": r.End, "document": r.Document, "quote": r.Quote}
	maps.Copy(m, r.Properties)
	maps.DeleteFunc(m, func(_, v string) bool { return v == "" })
	return m
}

// The whole seed dataset: every entity and relation, every value.
func TestGraphMLHoldsTheSeedDataset(t *testing.T) {
	ds, sub := seed(t)
	_, nodes, edges := readGraphML(t, write(t, export.GraphML, sub))
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

func entityValues(e coopgraph.Entity) map[string]string {
	m := map[string]string{"kind": e.Kind, "name": e.Name, "aliases": strings.Join(e.Aliases, ";"),
		"documents": strings.Join(e.Documents, ";")}
	maps.Copy(m, e.Properties)
	maps.DeleteFunc(m, func(_, v string) bool { return v == "" })
	return m
}
