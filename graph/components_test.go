package graph

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// The structure fixtures, testdata/{components,brokers,community,partners}_*.json,
// are written by scripts/reference/structure_fixtures.py with networkx
// 2.8.8 (Debian's python3-networkx, Python 3.11); see that script for how
// each value is computed. Each file holds several graphs, each with its
// entities (and their kinds, where they matter), relations and
// family-specific expectations.

type structureFile struct {
	Name, Description, Reference string
	Graphs                       []structureGraph
}

type structureGraph struct {
	Name, Description string
	Entities          []string
	Kinds             map[string]string // entity id -> kind; Organisation when absent
	Relations         []struct{ ID, Type, From, To string }
	Cases             json.RawMessage // family-specific
	PartnerCases      []partnerCase
	Projections       []projectionCase
}

func loadStructure(t testing.TB, family string) []structureFile {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", family+"_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no testdata/%s_*.json; run scripts/reference/structure_fixtures.py", family)
	}
	var out []structureFile
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var sf structureFile
		if err := json.Unmarshal(b, &sf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(sf.Graphs) == 0 {
			t.Fatalf("%s: no graphs", f)
		}
		out = append(out, sf)
	}
	return out
}

// forGraphs calls f for every graph of the family with its snapshot and
// its cases decoded into a []C.
func forGraphs[C any](t *testing.T, family string, f func(t *testing.T, g *structureGraph, s *Snapshot, cases []C)) {
	for _, sf := range loadStructure(t, family) {
		for i := range sf.Graphs {
			g := &sf.Graphs[i]
			var cases []C
			if len(g.Cases) > 0 {
				if err := json.Unmarshal(g.Cases, &cases); err != nil {
					t.Fatalf("%s/%s: %v", sf.Name, g.Name, err)
				}
			}
			t.Run(g.Name, func(t *testing.T) { f(t, g, NewSnapshot(g.dataset()), cases) })
		}
	}
}

func (g *structureGraph) dataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: g.Name}
	for _, id := range g.Entities {
		kind := g.Kinds[id]
		if kind == "" {
			kind = "Organisation"
		}
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: kind, Name: id})
	}
	for _, r := range g.Relations {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: r.ID, Type: r.Type, From: r.From, To: r.To})
	}
	return ds
}

type componentsCase struct {
	RelationTypes []string
	Components    [][]string
}

// TestComponentsNetworkx: Components equals nx.connected_components on
// nx.Graph(kept relations) (networkx 2.8.8) for every fixture graph and
// relation-type filter: the same sets, each ascending, ordered by size
// descending then first id.
func TestComponentsNetworkx(t *testing.T) {
	n := 0
	forGraphs(t, "components", func(t *testing.T, g *structureGraph, s *Snapshot, cases []componentsCase) {
		for _, c := range cases {
			n++
			got, err := s.Components(context.Background(), c.RelationTypes)
			if err != nil {
				t.Fatalf("%v: %v", c.RelationTypes, err)
			}
			if want := c.Components; !slices.EqualFunc(got, want, slices.Equal) && (len(got) != 0 || len(want) != 0) {
				t.Errorf("%v:\n got %v\nwant %v", c.RelationTypes, got, want)
			}
		}
	})
	if n < 20 {
		t.Errorf("only %d cases", n)
	}
}

func TestComponentsErrors(t *testing.T) {
	s := NewSnapshot(smallDataset())
	if _, err := s.Components(context.Background(), []string{"LIKES"}); coopgraph.ErrorCode(err) != coopgraph.EINVALID || !errorMentions(err, "LIKES") {
		t.Errorf("unknown type: %v", err)
	}
	// A type of the vocabulary no relation has: every entity alone.
	got, err := s.Components(context.Background(), []string{"FUNDED_BY"})
	if err != nil || len(got) != s.NumNodes() {
		t.Errorf("FUNDED_BY: %v, %v", got, err)
	}
	got, err = NewSnapshot(nil).Components(context.Background(), nil)
	if err != nil || len(got) != 0 {
		t.Errorf("empty snapshot: %v, %v", got, err)
	}
}
