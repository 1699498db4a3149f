package graph

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopgraph/coopgraph"
)

// The fixtures in testdata are written by
// scripts/reference/networkx_fixtures.py with networkx 2.8.8 (Debian's
// python3-networkx, Python 3.11, numpy 1.24, scipy 1.10) and cross-checked
// with python-igraph 0.10 for multigraph path counts; see that script for
// how each value is computed.

type fixture struct {
	Name        string
	Description string
	Reference   string
	Entities    []string
	Relations   []struct{ ID, Type, From, To string }
	Cases       []fixtureCase
}

type fixtureCase struct {
	RelationTypes []string
	// Centrality maps a measure to networkx's score of every node.
	Centrality map[Measure]map[string]float64
	// Errors maps a measure to the exception networkx raised.
	Errors map[Measure]string
	Pairs  []fixturePair
}

type fixturePair struct {
	From, To string
	// Length is the number of hops, -1 when not connected.
	Length int
	// Total is the number of shortest paths in the multigraph.
	Total int64
	// NodePaths is the sorted set of shortest node paths
	// (nx.all_shortest_paths); null when there are too many to store.
	NodePaths [][]string
	// Paths are the multigraph paths in the engine's order: all of them
	// when Complete, else the first ones.
	Paths    []Path
	Complete bool
}

func loadFixtures(t testing.TB) []fixture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for _, f := range files {
		if filepath.Base(f) == "pyfloat.json" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx fixture
		if err := json.Unmarshal(b, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, fx)
	}
	if len(out) < 20 {
		t.Fatalf("found %d fixtures in testdata; run scripts/reference/networkx_fixtures.py", len(out))
	}
	return out
}

func (fx *fixture) dataset() *coopgraph.Dataset {
	ds := &coopgraph.Dataset{Name: fx.Name}
	for _, id := range fx.Entities {
		ds.Entities = append(ds.Entities, coopgraph.Entity{ID: id, Kind: "Organisation", Name: strings.ToUpper(id)})
	}
	for _, r := range fx.Relations {
		ds.Relations = append(ds.Relations, coopgraph.Relation{ID: r.ID, Type: r.Type, From: r.From, To: r.To})
	}
	return ds
}

// close reports whether got matches want within 1e-9 relative or 1e-12
// absolute (for scores near zero).
func closeTo(got, want float64) bool {
	d := math.Abs(got - want)
	return d <= 1e-12 || d <= 1e-9*math.Abs(want)
}

// fixtureGraph is the simple graph the measures rank for a fixture case
// with these relation types (all when none).
func fixtureGraph(t *testing.T, s *Snapshot, relationTypes []string) *simpleGraph {
	t.Helper()
	keep, err := s.typeFilter(relationTypes)
	if err != nil {
		t.Fatal(err)
	}
	return s.simple(nil, keep)
}

// onProcs is g computed by a job of procs goroutines (as the server's
// Limiter would run it), for tests that compare answers across workers.
func onProcs(g *simpleGraph, procs int) *simpleGraph {
	c := *g
	c.job = &job{ctx: context.Background(), procs: procs}
	return &c
}
